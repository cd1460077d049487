package dev.kerb.djl

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.nn.Block
import dev.kerb.core.ApplyOptions
import dev.kerb.core.Constraint
import dev.kerb.core.Tensor
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import kotlin.math.abs
import kotlin.math.max
import kotlin.math.sqrt
import dev.kerb.core.Shape as KerbShape

/** Shared pieces of the DJL tests: blocks initialized with random values, the Keras-layout oracle, norms. */
internal object DjlTesting {
    /** Initializes [block] for [input] and replaces every parameter by N(0, [scale]) values from [seed]. */
    fun initialize(manager: NDManager, block: Block, input: Shape, seed: Long, scale: Float = 2f,
                   type: DataType = DataType.FLOAT32): Block {
        block.initialize(manager, type, input)
        val random = java.util.Random(seed)
        for (p in block.parameters) {
            val array = p.value.array
            val values = DoubleArray(Math.toIntExact(array.size())) { random.nextGaussian() * scale }
            array.set(manager.create(values, array.shape).toType(type, false).toByteBuffer())
        }
        return block
    }

    /** Gives every parameter of [block] N(0, 0.3) values from [seed], so two runs start from the same weights. */
    fun seedParameters(manager: NDManager, block: Block, input: Shape, seed: Long) {
        if (!block.isInitialized) block.initialize(manager, DataType.FLOAT32, input)
        val random = java.util.Random(seed)
        for (p in block.parameters) {
            val array = p.value.array
            array.set(FloatArray(Math.toIntExact(array.size())) { (random.nextGaussian() * 0.3).toFloat() })
        }
    }

    /**
     * The oracle: the DJL array moved to Keras' layout with DJL's own transpose, constrained there by Kerb in Keras'
     * axes, as float64 values in Keras' layout.
     */
    fun kerasOracle(djl: NDArray, layout: KerasLayout, constraint: Constraint): DoubleArray {
        val keras = toKerasLayout(djl, layout)
        val values = keras.toType(DataType.FLOAT64, false).toDoubleArray()
        val t = Tensor.of(values, KerbShape.of(*keras.shape.shape.map { it.toInt() }.toIntArray()))
        constraint.apply(t, ApplyOptions.DEFAULT)
        return values
    }

    /**
     * For each layout, the DJL axes that Keras' axes 0, 1, ... are, stated here apart from the code under test:
     * Keras keeps Dense kernels (in, out), ConvND kernels (spatial..., in, out), Embedding (input_dim, output_dim), RNN
     * kernels (in, gates * units) and recurrent kernels (units, gates * units) (keras.io layer docs, Keras 3.15);
     * PyTorch and DJL keep Linear (out, in), ConvNd (out, in, spatial...), RNN weight_ih (gates * hidden, in) and
     * weight_hh (gates * hidden, hidden) (pytorch.org torch.nn docs, 2.7).
     */
    private val KERAS_AXES_IN_DJL = mapOf(
        KerasLayout.DENSE_KERNEL to intArrayOf(1, 0),
        KerasLayout.CONV1D_KERNEL to intArrayOf(2, 1, 0),
        KerasLayout.CONV2D_KERNEL to intArrayOf(2, 3, 1, 0),
        KerasLayout.CONV3D_KERNEL to intArrayOf(2, 3, 4, 1, 0),
        KerasLayout.EMBEDDING to intArrayOf(0, 1),
        KerasLayout.RNN_KERNEL to intArrayOf(1, 0),
        KerasLayout.RNN_RECURRENT_KERNEL to intArrayOf(1, 0),
        KerasLayout.VECTOR to intArrayOf(0),
    )

    /** Returns [djl] in Keras' layout, transposed by DJL. */
    fun toKerasLayout(djl: NDArray, layout: KerasLayout): NDArray = djl.transpose(*KERAS_AXES_IN_DJL.getValue(layout))

    /** Asserts [actual] is within [relative] of [expected], element by element, relative to the largest magnitude. */
    fun assertClose(actual: DoubleArray, expected: DoubleArray, relative: Double, what: String) {
        actual.size shouldBe expected.size
        val scale = max(expected.maxOf { abs(it) }, 1e-30)
        for (i in actual.indices) {
            withClue(what, i) { actual[i] shouldBe (expected[i] plusOrMinus relative * scale) }
        }
    }

    private inline fun withClue(what: String, i: Int, block: () -> Unit) =
        io.kotest.assertions.withClue("$what, element $i") { block() }

    /** Returns the L2 norms of the rows of [values] viewed as [rows] rows. */
    fun rowNorms(values: DoubleArray, rows: Int): DoubleArray {
        val len = values.size / rows
        return DoubleArray(rows) { r -> sqrt((0 until len).sumOf { values[r * len + it] * values[r * len + it] }) }
    }
}
