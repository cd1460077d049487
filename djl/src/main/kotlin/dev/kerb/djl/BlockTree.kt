package dev.kerb.djl

import ai.djl.nn.Block
import ai.djl.nn.Parameter
import ai.djl.nn.convolutional.Conv1d
import ai.djl.nn.convolutional.Conv2d
import ai.djl.nn.convolutional.Conv3d
import ai.djl.nn.core.Embedding
import ai.djl.nn.core.Linear
import ai.djl.nn.norm.BatchNorm
import ai.djl.nn.norm.LayerNorm
import ai.djl.nn.recurrent.GRU
import ai.djl.nn.recurrent.LSTM
import ai.djl.nn.recurrent.RNN
import ai.djl.nn.recurrent.RecurrentBlock

/** One parameter of a block tree: its path as DJL's `getParameters()` names it, its block and its role there. */
internal class ParameterSite(val path: String, val block: Block, val role: String, val parameter: Parameter) {
    /** Returns the Keras layout DJL's block keeps this parameter in, or null when there is none. */
    val layout: KerasLayout? get() = layoutOf(block, role)
}

internal object BlockTree {
    /** Lists every parameter under [root], depth first, with DJL's names (`01SequentialBlock_02Linear_weight`). */
    fun sites(root: Block): List<ParameterSite> {
        val out = ArrayList<ParameterSite>()
        fun walk(block: Block, prefix: String) {
            for (p in block.directParameters) out += ParameterSite(prefix + p.key, block, p.key, p.value)
            for (child in block.children) walk(child.value, prefix + child.key + "_")
        }
        walk(root, "")
        return out
    }

    /** Lists the blocks under [root] that hold parameters themselves, depth first. */
    fun weightedBlocks(root: Block): List<Block> = sites(root).map { it.block }.distinct()

    /** Returns the name of the DJL block class a Keras layer class is built as, or null for one Kerb does not map. */
    fun djlClassFor(kerasClass: String): Class<out Block>? = when (kerasClass) {
        "Dense" -> Linear::class.java
        "Conv1D", "Convolution1D" -> Conv1d::class.java
        "Conv2D", "Convolution2D" -> Conv2d::class.java
        "Conv3D", "Convolution3D" -> Conv3d::class.java
        "Embedding" -> Embedding::class.java
        "SimpleRNN" -> RNN::class.java
        "LSTM" -> LSTM::class.java
        "GRU" -> GRU::class.java
        "BatchNormalization" -> BatchNorm::class.java
        "LayerNormalization" -> LayerNorm::class.java
        else -> null
    }
}

private val RECURRENT_INPUT_WEIGHT = Regex("l_\\d+_i2h_WEIGHT.*")
private val RECURRENT_STATE_WEIGHT = Regex("l_\\d+_h2h_WEIGHT.*")
private val RECURRENT_BIAS = Regex("l_\\d+_(i2h|h2h)_BIAS.*")

/** Returns the Keras layout of parameter [role] of [block], or null when DJL's block has no Keras counterpart. */
internal fun layoutOf(block: Block, role: String): KerasLayout? = when (block) {
    is Linear -> mapOf("weight" to KerasLayout.DENSE_KERNEL, "bias" to KerasLayout.VECTOR)[role]
    is Conv1d -> mapOf("weight" to KerasLayout.CONV1D_KERNEL, "bias" to KerasLayout.VECTOR)[role]
    is Conv2d -> mapOf("weight" to KerasLayout.CONV2D_KERNEL, "bias" to KerasLayout.VECTOR)[role]
    is Conv3d -> mapOf("weight" to KerasLayout.CONV3D_KERNEL, "bias" to KerasLayout.VECTOR)[role]
    is Embedding<*> -> if (role == "embedding") KerasLayout.EMBEDDING else null
    is BatchNorm, is LayerNorm -> if (role == "gamma" || role == "beta") KerasLayout.VECTOR else null
    is RecurrentBlock -> when {
        RECURRENT_INPUT_WEIGHT.matches(role) -> KerasLayout.RNN_KERNEL
        RECURRENT_STATE_WEIGHT.matches(role) -> KerasLayout.RNN_RECURRENT_KERNEL
        RECURRENT_BIAS.matches(role) -> KerasLayout.VECTOR
        else -> null
    }
    else -> null
}
