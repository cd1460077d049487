package dev.kerb.model.init

import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.model.catalog.text
import java.util.random.RandomGenerator
import kotlin.math.abs
import kotlin.math.max
import kotlin.math.sqrt

/**
 * The distribution every value of a variable is drawn from, independently: what Keras' random and constant
 * initializers reduce to once the variable's shape is known.
 */
internal class Distribution(private val kind: Kind, private val a: Double, private val b: Double) {
    /** Uniform on [a, b), normal with mean a and stddev b, the same truncated at two stddevs as Keras', or a. */
    enum class Kind { CONSTANT, UNIFORM, NORMAL, TRUNCATED_NORMAL }

    /** Draws one value. */
    fun next(random: RandomGenerator): Double = when (kind) {
        Kind.CONSTANT -> a
        Kind.UNIFORM -> a + (b - a) * random.nextDouble()
        Kind.NORMAL -> a + b * random.nextGaussian()
        Kind.TRUNCATED_NORMAL -> a + b * truncated(random)
    }

    /** Draws [count] values into [out], a loop per kind, for writing large variables fast. */
    fun fill(out: FloatArray, count: Int, random: RandomGenerator) {
        when (kind) {
            Kind.CONSTANT -> out.fill(a.toFloat(), 0, count)
            Kind.UNIFORM -> {
                val span = b - a
                for (i in 0 until count) out[i] = (a + span * random.nextDouble()).toFloat()
            }
            Kind.NORMAL -> for (i in 0 until count) out[i] = (a + b * random.nextGaussian()).toFloat()
            Kind.TRUNCATED_NORMAL -> for (i in 0 until count) out[i] = (a + b * truncated(random)).toFloat()
        }
    }

    /** A unit normal draw truncated at two stddevs, by rejection, as `jax.random.truncated_normal(-2, 2)` is. */
    private fun truncated(random: RandomGenerator): Double {
        var z: Double
        do z = random.nextGaussian() while (abs(z) > 2.0)
        return z
    }
}

/**
 * An initializer whose values are drawn independently from one [Distribution]; a large variable can be drawn in
 * chunks, each from its own stream, on any number of threads, with the same result.
 */
internal abstract class Elementwise : Initializer {
    /** The distribution of every value of a variable of [shape]. */
    abstract fun distribution(shape: IntArray): Distribution

    override fun initialize(values: Tensor, random: RandomGenerator) {
        val distribution = distribution(values.shape().dims())
        for (i in 0 until values.size()) values.set(i, distribution.next(random))
    }
}

/** `RandomUniform`, `RandomNormal`, `TruncatedNormal`, `Constant`, `Zeros` and `Ones`: one distribution for any shape. */
internal class Fixed(private val distribution: Distribution) : Elementwise() {
    override fun distribution(shape: IntArray): Distribution = distribution
}

/** Keras' `VarianceScaling`, which `Glorot*`, `He*` and `Lecun*` are with their scale, mode and distribution. */
internal class VarianceScaling(
    private val scale: Double,
    private val mode: String,
    distribution: String,
    private val inputAxes: List<Int>? = null,
    private val outputAxes: List<Int>? = null,
) : Elementwise() {
    private val distribution = distribution.lowercase().let { if (it == "normal") "truncated_normal" else it }

    init {
        require(scale > 0.0) { "Argument `scale` must be positive float. Received: scale=$scale" }
        require(mode in MODES) { "Invalid `mode` argument: $mode. Please use one of $MODES" }
        require(this.distribution in DISTRIBUTIONS) {
            "Invalid `distribution` argument: $distribution. Please use one of $DISTRIBUTIONS"
        }
    }

    override fun distribution(shape: IntArray): Distribution {
        val (fanIn, fanOut) = fans(shape, inputAxes, outputAxes)
        val units = when (mode) {
            "fan_in" -> fanIn.toDouble()
            "fan_out" -> fanOut.toDouble()
            else -> (fanIn + fanOut) / 2.0
        }
        val variance = scale / max(1.0, units)
        return when (distribution) {
            // The stddev of a unit normal truncated at two stddevs, as Keras divides by it.
            "truncated_normal" -> Distribution(Distribution.Kind.TRUNCATED_NORMAL, 0.0, sqrt(variance) / 0.87962566103423978)
            "untruncated_normal" -> Distribution(Distribution.Kind.NORMAL, 0.0, sqrt(variance))
            else -> sqrt(3.0 * variance).let { Distribution(Distribution.Kind.UNIFORM, -it, it) }
        }
    }

    private companion object {
        val MODES = listOf("fan_in", "fan_out", "fan_avg")
        val DISTRIBUTIONS = listOf("uniform", "truncated_normal", "untruncated_normal")
    }
}

/** Python's text for a shape tuple, as Keras' messages give it. */
private fun keras(shape: Shape): String = shape.dims().toList().text()

/** Keras' `Identity`: `gain` times the identity matrix, for rank-2 variables only. */
internal class IdentityMatrix(private val gain: Double) : Initializer {
    override fun initialize(values: Tensor, random: RandomGenerator) {
        val shape = values.shape()
        require(shape.rank() == 2) {
            "Identity matrix initializer can only be used for 2D matrices. Received: shape=${keras(shape)} of rank " +
                "${shape.rank()}."
        }
        val cols = shape.dim(1)
        for (i in 0 until values.size()) values.set(i, if (i / cols == i % cols) gain else 0.0)
    }
}

/**
 * Keras' `Orthogonal`: the Q of a normal matrix's QR decomposition, signs fixed by R's diagonal so that Q is
 * uniformly distributed, the variable viewed as a `(prod(shape[:-1]), shape[-1])` matrix, times `gain`.
 */
internal class Orthogonal(private val gain: Double) : Initializer {
    override fun initialize(values: Tensor, random: RandomGenerator) {
        val shape = values.shape()
        require(shape.rank() >= 2) {
            "The tensor to initialize must be at least two-dimensional. Received: shape=${keras(shape)} of rank " +
                "${shape.rank()}."
        }
        val cols = shape.dim(shape.rank() - 1)
        val rows = values.size() / maxOf(cols, 1)
        val m = max(rows, cols)
        val n = minOf(rows, cols)
        val q = orthonormalColumns(m, n, random)
        for (r in 0 until rows) for (c in 0 until cols) {
            // q is m x n, column-major; a wide variable takes its transpose.
            val v = if (rows >= cols) q[c * m + r] else q[r * m + c]
            values.set(r * cols + c, gain * v)
        }
    }

    /** Returns the m x n (m >= n) Q of a normal matrix by Householder QR, column-major, with R's diagonal positive. */
    private fun orthonormalColumns(m: Int, n: Int, random: RandomGenerator): DoubleArray {
        val a = DoubleArray(m * n) { random.nextGaussian() }
        val reflectors = ArrayList<DoubleArray>(n)
        val signs = DoubleArray(n)
        for (k in 0 until n) {
            val v = DoubleArray(m - k) { a[k * m + k + it] }
            val norm = sqrt(v.sumOf { it * it })
            val alpha = if (v[0] > 0) -norm else norm
            v[0] -= alpha
            val vNorm = sqrt(v.sumOf { it * it })
            if (vNorm > 0) for (i in v.indices) v[i] /= vNorm
            reflect(a, m, k, k, n, v)
            reflectors += v
            signs[k] = if (alpha > 0) 1.0 else if (alpha < 0) -1.0 else 0.0
        }
        val q = DoubleArray(m * n)
        for (j in 0 until n) q[j * m + j] = 1.0
        for (k in n - 1 downTo 0) reflect(q, m, k, 0, n, reflectors[k])
        for (j in 0 until n) for (i in 0 until m) q[j * m + i] *= signs[j]
        return q
    }

    /**
     * Applies I - 2vv' to rows k.. of columns [from, to) of the column-major m-row matrix [x]; columns are
     * independent, so a large reflection spreads them over the cores with the same result.
     */
    private fun reflect(x: DoubleArray, m: Int, k: Int, from: Int, to: Int, v: DoubleArray) {
        val columns = java.util.stream.IntStream.range(from, to)
        (if ((to - from).toLong() * v.size >= PARALLEL) columns.parallel() else columns).forEach { j ->
            val base = j * m + k
            var dot = 0.0
            for (i in v.indices) dot += v[i] * x[base + i]
            dot *= 2.0
            for (i in v.indices) x[base + i] -= dot * v[i]
        }
    }

    private companion object {
        /** The work (multiply-adds) from which a reflection is worth spreading over the cores. */
        const val PARALLEL = 1L shl 16
    }
}
