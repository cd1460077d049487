package dev.kerb.djl

import ai.djl.nn.Block
import dev.kerb.core.Constraint
import dev.kerb.model.ModelConstraint
import dev.kerb.model.ModelSpec
import dev.kerb.model.catalog.KerasLayers

/** Finds, for each constraint of a Keras config, the DJL block and parameter that hold its weight. */
internal object KerasConfigAttach {
    /** Attaches one constraint; returns null, or the reason it could not. */
    fun interface Attach {
        fun attach(block: Block, role: String, constraint: Constraint, source: String): String?
    }

    fun byName(spec: ModelSpec, blocks: Map<String, Block>, attach: Attach, unmatched: (UnmatchedConstraint) -> Unit) {
        for (c in spec.constraints()) {
            val block = blocks[c.layer]
            val reason = when {
                BlockTree.djlClassFor(c.layerClass) == null -> noMapping(c)
                block == null -> "no DJL block was given for Keras layer '${c.layer}'"
                else -> attachOne(c, block, attach)
            }
            if (reason != null) unmatched(UnmatchedConstraint(c.layer, c.key, c.constraint, reason))
        }
    }

    fun byOrder(spec: ModelSpec, djlBlocks: List<Block>, attach: Attach, unmatched: (UnmatchedConstraint) -> Unit) {
        val kerasLayers = spec.layers().filter { BlockTree.djlClassFor(it.className) != null }.map { it.path }
        val paired = HashMap<String, Block>()
        var stopped: String? = null
        for ((i, layer) in kerasLayers.withIndex()) {
            val block = djlBlocks.getOrNull(i)
            val className = spec.layer(layer).className
            val expected = BlockTree.djlClassFor(className)!!
            if (block == null) {
                stopped = "Keras layer '$layer' is weighted layer ${i + 1} in order; the DJL block has ${djlBlocks.size}"
                break
            }
            if (!expected.isInstance(block)) {
                stopped = "Keras layer '$layer' ($className) was paired by order with DJL's " +
                    "${block.javaClass.simpleName}, not a ${expected.simpleName}; pair the rest by name"
                break
            }
            paired[layer] = block
        }
        for (c in spec.constraints()) {
            val block = paired[c.layer]
            val reason = when {
                block != null -> attachOne(c, block, attach)
                BlockTree.djlClassFor(c.layerClass) == null -> noMapping(c)
                else -> stopped ?: "no DJL block was paired with Keras layer '${c.layer}'"
            }
            if (reason != null) unmatched(UnmatchedConstraint(c.layer, c.key, c.constraint, reason))
        }
    }

    private fun attachOne(c: ModelConstraint, block: Block, attach: Attach): String? {
        val expected = BlockTree.djlClassFor(c.layerClass) ?: return noMapping(c)
        if (!expected.isInstance(block)) {
            return "Keras layer '${c.layer}' is a ${c.layerClass}, DJL's block is a ${block.javaClass.simpleName}, " +
                "not a ${expected.simpleName}"
        }
        val role = roleOf(c.layerClass, c.key) ?: return when (c.key) {
            "bias_constraint" -> "Keras' ${c.layerClass} keeps one bias where DJL keeps two (l_0_i2h_BIAS and " +
                "l_0_h2h_BIAS), and constrains their sum; attach to either with attach(block, role, ...)"
            else -> "Kerb does not map ${c.layerClass}'s ${c.key} to a DJL parameter"
        }
        return attach.attach(block, role, c.constraint, "Keras layer '${c.layer}' ${c.key}")
    }

    private fun noMapping(c: ModelConstraint) = "Kerb has no DJL layout for Keras' ${c.layerClass} layers; attach " +
        "its weights with attachNative"

    /**
     * Returns DJL's name for the parameter that holds a Keras layer's weight, or null when DJL keeps it otherwise: the
     * layer catalog says which Keras variable the key governs, and DJL's blocks name that variable their own way.
     */
    private fun roleOf(kerasClass: String, key: String): String? {
        val variable = KerasLayers.governedVariables(kerasClass, key).first()
        return if (kerasClass in RECURRENT) RECURRENT_ROLES[variable] else ROLES[variable]
    }

    private val RECURRENT = setOf("SimpleRNN", "LSTM", "GRU")
    private val RECURRENT_ROLES = mapOf("kernel" to "l_0_i2h_WEIGHT", "recurrent_kernel" to "l_0_h2h_WEIGHT")
    private val ROLES = mapOf("kernel" to "weight", "bias" to "bias", "embeddings" to "embedding", "gamma" to "gamma",
        "beta" to "beta")
}
