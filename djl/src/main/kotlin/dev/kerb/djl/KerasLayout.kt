package dev.kerb.djl

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType

/**
 * How a Keras weight's axes sit in the DJL (PyTorch-layout) parameter that holds the same values.
 *
 * Keras keeps a Dense kernel as (in, out) and a Conv2D kernel as HWIO; DJL keeps (out, in) and OIHW. A constraint
 * written in Keras' axis numbers is moved onto DJL's axes through [djlAxisOf], so `MaxNorm(axis=0)` on a Dense kernel
 * (each output unit's incoming weights) becomes a norm over DJL axis 1 of a `Linear` weight.
 *
 * @property rank the weight's rank in both layouts
 * @property outputAxis the Keras axis of output units or filters (the last one), or -1 where there is none
 */
public enum class KerasLayout(
    private val kerasToDjl: IntArray,
    public val outputAxis: Int,
    internal val description: String,
) {
    /** A Keras `Dense` kernel (in, out) as a DJL `Linear` weight (out, in). */
    DENSE_KERNEL(intArrayOf(1, 0), 1, "Dense kernel"),

    /** A Keras `Conv1D` kernel (width, in, out) as a DJL `Conv1d` weight (out, in, width). */
    CONV1D_KERNEL(intArrayOf(2, 1, 0), 2, "Conv1D kernel"),

    /** A Keras `Conv2D` kernel HWIO as a DJL `Conv2d` weight OIHW. */
    CONV2D_KERNEL(intArrayOf(2, 3, 1, 0), 3, "Conv2D kernel"),

    /** A Keras `Conv3D` kernel DHWIO as a DJL `Conv3d` weight OIDHW. */
    CONV3D_KERNEL(intArrayOf(2, 3, 4, 1, 0), 4, "Conv3D kernel"),

    /** A Keras `Embedding` matrix (input_dim, output_dim): the same layout in DJL. */
    EMBEDDING(intArrayOf(0, 1), -1, "Embedding matrix"),

    /**
     * A Keras `SimpleRNN`/`LSTM`/`GRU` kernel (in, gates * units) as DJL's `l_0_i2h_WEIGHT` (gates * units, in). The
     * gates are stacked in another order (GRU: Keras z, r, h; PyTorch r, z, n), which no norm over a whole axis sees.
     */
    RNN_KERNEL(intArrayOf(1, 0), 1, "recurrent layer's kernel"),

    /** A Keras recurrent kernel (units, gates * units) as DJL's `l_0_h2h_WEIGHT` (gates * units, units). */
    RNN_RECURRENT_KERNEL(intArrayOf(1, 0), 1, "recurrent kernel"),

    /** A vector: a bias, `BatchNormalization`'s gamma and beta. The same in both layouts. */
    VECTOR(intArrayOf(0), -1, "vector");

    /** Returns the weight's rank. */
    public val rank: Int get() = kerasToDjl.size

    /**
     * Returns the DJL axis that holds Keras axis [kerasAxis]; negative axes count from the end, as in Keras.
     *
     * @throws IllegalArgumentException if the axis is outside the layout's rank
     */
    public fun djlAxisOf(kerasAxis: Int): Int {
        val axis = if (kerasAxis < 0) kerasAxis + rank else kerasAxis
        require(axis in 0 until rank) { "axis $kerasAxis is outside a Keras ${description} of rank $rank" }
        return kerasToDjl[axis]
    }

    /** Returns the DJL axes, ascending, of the Keras [kerasAxes]. */
    internal fun djlAxes(kerasAxes: Collection<Int>): IntArray = kerasAxes.map { djlAxisOf(it) }.sorted().toIntArray()

    /** Returns a new contiguous float32 or float64 array of [manager] with the values of [keras] in DJL's layout. */
    internal fun fromKeras(manager: NDManager, keras: NDArray): NDArray {
        val djlToKeras = IntArray(rank).also { inverse -> kerasToDjl.forEachIndexed { k, d -> inverse[d] = k } }
        val view = keras.transpose(*djlToKeras)
        return if (view.dataType == DataType.FLOAT64) manager.create(view.toDoubleArray(), view.shape)
        else manager.create(view.toFloatArray(), view.shape)
    }

    /** Returns a view of [djl], an array in DJL's layout, in Keras' layout. */
    internal fun toKeras(djl: NDArray): NDArray = djl.transpose(*kerasToDjl)
}

/**
 * Slices named by their role rather than by axis numbers: the same words mean the same slices in Keras' layout and
 * in DJL's, so a constraint attached this way never needs axis arithmetic.
 */
public enum class Slices {
    /**
     * Each output unit's (or filter's) incoming weights: Keras' default `MaxNorm(axis=0)` on a Dense kernel,
     * `axis=[0, 1, 2]` on a Conv2D kernel; the max-norm of Srivastava et al. (2014).
     */
    PER_OUTPUT_UNIT,

    /** A convolution's filters, each one's weights over its window and input channels; [PER_OUTPUT_UNIT]. */
    PER_FILTER,

    /** Each input unit's outgoing weights: the norm over the output axis only (`axis=1` on a Dense kernel). */
    PER_INPUT_UNIT,

    /** Each row of an embedding matrix, one token's vector: `axis=1` on a Keras `Embedding`. */
    PER_EMBEDDING_ROW,

    /** The whole weight as one vector. */
    WHOLE;

    /**
     * Returns the Keras axes these slices reduce in [layout].
     *
     * @throws IllegalArgumentException if the slices do not exist in that layout (output units of a vector, say)
     */
    internal fun kerasAxes(layout: KerasLayout): List<Int> {
        val all = (0 until layout.rank).toList()
        return when (this) {
            PER_OUTPUT_UNIT, PER_FILTER -> {
                require(layout.outputAxis >= 0) { "a Keras ${layout.description} has no output units to take $this" }
                all - layout.outputAxis
            }
            PER_INPUT_UNIT -> {
                require(layout.outputAxis >= 0) { "a Keras ${layout.description} has no input units to take $this" }
                listOf(layout.outputAxis)
            }
            PER_EMBEDDING_ROW -> {
                require(layout == KerasLayout.EMBEDDING) { "$this needs an Embedding matrix, not a Keras ${layout.description}" }
                listOf(1)
            }
            WHOLE -> all
        }
    }
}
