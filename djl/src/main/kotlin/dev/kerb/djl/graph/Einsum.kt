package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.types.Shape

/**
 * An einsum of two operands, each without a repeated letter (`abc,cde->abde`), as EinsumDense and MultiHeadAttention
 * write them; DJL has no einsum, so it is computed by transposes, reshapes and one batched matMul.
 *
 * Letters in both operands and the output are batch axes, in both operands only are summed by the product, in one
 * operand and the output are that operand's free axes, and in one operand only are summed before the product.
 */
internal class Einsum(equation: String) {
    /** The equation as [FORM] matches it: the whole, then the left, right and output letters. */
    private val letters = requireNotNull(FORM.matchEntire(equation)) { "'$equation' is not an einsum of two operands" }
        .groupValues

    /** The left operand's letters. */
    private val left = letters[1]

    /** The right operand's letters. */
    private val right = letters[2]

    /** The output's letters. */
    private val output = letters[3]

    init {
        require(letters.drop(1).all { it.toSet().size == it.length }) { "'$equation' repeats a letter in one operand" }
        require(output.all { it in left || it in right }) { "'$equation' has an output letter in neither operand" }
    }

    /** The batch axes, in the output's order. */
    private val batch = output.filter { it in left && it in right }

    /** The axes the product sums, in the left operand's order. */
    private val contracted = left.filter { it in right && it !in output }

    /** The left operand's free axes, in the output's order. */
    private val leftFree = output.filter { it in left && it !in right }

    /** The right operand's free axes, in the output's order. */
    private val rightFree = output.filter { it in right && it !in left }

    /** The left operand's axes once those in it alone are summed. */
    private val leftKept = left.filter { it in right || it in output }

    /** The right operand's axes once those in it alone are summed. */
    private val rightKept = right.filter { it in left || it in output }

    /** Returns the einsum of [a] (the left operand) and [b] (the right one). */
    operator fun invoke(a: NDArray, b: NDArray): NDArray {
        val x = sumOut(a, left, leftKept)
        val y = sumOut(b, right, rightKept)
        val size = HashMap<Char, Long>()
        leftKept.forEachIndexed { i, c -> size[c] = x.shape[i] }
        rightKept.forEachIndexed { i, c -> size[c] = y.shape[i] }
        fun count(axes: String) = axes.fold(1L) { product, c -> product * size.getValue(c) }
        // One matMul of (batch, left free, contracted) by (batch, contracted, right free) covers every such einsum.
        val lhs = arrange(x, leftKept, batch + leftFree + contracted).reshape(count(batch), count(leftFree), count(contracted))
        val rhs = arrange(y, rightKept, batch + contracted + rightFree).reshape(count(batch), count(contracted), count(rightFree))
        val product = batch + leftFree + rightFree
        val result = lhs.matMul(rhs).reshape(Shape(*product.map { size.getValue(it) }.toLongArray()))
        return arrange(result, product, output)
    }

    companion object {
        /** Two operands' letters and the output's. */
        private val FORM = Regex("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]*)")

        /** Sums [array] (axes named by [letters]) over the axes not in [kept]. */
        private fun sumOut(array: NDArray, letters: String, kept: String): NDArray {
            if (kept.length == letters.length) return array
            return array.sum(letters.indices.filter { letters[it] !in kept }.toIntArray())
        }

        /** Transposes [array] from axes named [from] to the order [to]. */
        private fun arrange(array: NDArray, from: String, to: String): NDArray =
            if (from == to) array else array.transpose(*to.map { from.indexOf(it) }.toIntArray())

        /**
         * Returns the einsum of EinsumDense's [equation] on an input of [rank], its `...` written as letters the
         * equation does not use, one per axis that the input's letters leave out.
         */
        fun elided(equation: String, rank: Int): Einsum {
            if ("..." !in equation) return Einsum(equation)
            val elided = rank - (equation.substringBefore(',').length - "...".length)
            val unused = (('A'..'Z') + ('a'..'z')).filter { it !in equation }.take(elided)
            return Einsum(equation.replace("...", unused.joinToString("")))
        }
    }
}
