package dev.kerb.djl

import ai.djl.nn.Block
import ai.djl.training.optimizer.Optimizer
import dev.kerb.core.ApplyOptions
import dev.kerb.core.Constraint
import dev.kerb.core.NormConstraint
import dev.kerb.model.ModelSpec

/**
 * Keras-style constraints on the parameters of a DJL block, applied after every optimizer update.
 *
 * Build one with [builder], then train with [wrap]ped optimizer: DJL's `Trainer.step()` calls the optimizer once per
 * parameter and device copy, and the wrapper projects the parameter right after the delegate's update, in place,
 * as Keras does after `optimizer.apply`. (A `TrainingListener` cannot: `onTrainingBatch` fires before the step, so
 * it would always lag one update.) A parameter on a GPU is projected there, with NDArray operations and no host copy.
 * Thread-safe once built, as DJL's optimizers are used.
 *
 * ```java
 * DjlConstraints constraints = DjlConstraints.builder(net)
 *     .attach(hidden, "weight", new MaxNorm(3))          // Keras' axes: MaxNorm(axis=0) on a Dense kernel
 *     .build();
 * TrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(constraints.wrap(Optimizer.adam().build()));
 * ```
 *
 * @property attachments every constraint attached, in the order given
 * @property unmatched the constraints of a Keras config that found no DJL parameter, each with the reason
 */
public class DjlConstraints private constructor(
    public val attachments: List<Attachment>,
    public val unmatched: List<UnmatchedConstraint>,
    private val options: ApplyOptions,
) {
    private val byId: Map<String, List<Attachment>> = attachments.groupBy { it.parameter.id }

    /**
     * Returns an optimizer that runs [delegate]'s update, then the constraints attached to that parameter.
     *
     * @throws IllegalArgumentException from an update, if an attached parameter's rank does not fit its Keras layout
     *   or its type is not floating point; the message names the parameter and where it was attached
     */
    public fun wrap(delegate: Optimizer): Optimizer = ConstrainedOptimizer(delegate, this)

    /**
     * Projects every attached parameter's current values now: after initialization or loading, so that training
     * starts inside the constraints (Keras itself first projects after the first update).
     *
     * @throws IllegalStateException if an attached parameter is not initialized
     * @throws IllegalArgumentException as [wrap]'s updates do
     */
    public fun applyNow() {
        for (a in attachments) {
            check(a.parameter.isInitialized) { "${a.source}: parameter '${a.parameterPath}' is not initialized yet" }
            a.apply(a.parameter.array, options, path)
        }
    }

    /** Which way every projection runs: the tests' way to hold one path to the others. */
    internal var path: ProjectionPath = ProjectionPath.AUTO

    /** Whether every projection takes the copy path; [path] [ProjectionPath.COPY]. */
    internal var forceCopy: Boolean
        get() = path == ProjectionPath.COPY
        set(value) {
            path = if (value) ProjectionPath.COPY else ProjectionPath.AUTO
        }

    /** Runs the constraints attached to the parameter with DJL uid [parameterId] on [weight], if there are any. */
    internal fun afterUpdate(parameterId: String, weight: ai.djl.ndarray.NDArray) {
        byId[parameterId]?.forEach { it.apply(weight, options, path) }
    }

    /** Builds [DjlConstraints] for one block tree; see the attach methods. Not thread-safe. */
    public class Builder internal constructor(private val root: Block) {
        private val sites = BlockTree.sites(root)
        private val attachments = ArrayList<Attachment>()
        private val unmatched = ArrayList<UnmatchedConstraint>()
        private var options = ApplyOptions.DEFAULT

        /**
         * Attaches [constraint], written in Keras' axes for the Keras weight this parameter stands for, to parameter
         * [role] (`weight`, `bias`, `gamma`, `embedding`, `l_0_i2h_WEIGHT`) of [block].
         *
         * @throws IllegalArgumentException if the block is not under the trained block, has no such parameter, has no
         *   Keras layout (use [attachNative]), or the constraint's axes do not exist in that layout
         */
        public fun attach(block: Block, role: String, constraint: Constraint): Builder =
            attachAt(site(block, role), constraint, null, "attach(${block.javaClass.simpleName}, '$role')")

        /**
         * Attaches a norm [constraint] over the role-named [slices] of parameter [role] of [block]; the constraint's
         * own axis is replaced, so `attach(linear, "weight", Slices.PER_OUTPUT_UNIT, new MaxNorm(3))` bounds each
         * output unit's incoming weights in DJL's layout as in Keras'.
         *
         * @throws IllegalArgumentException as [attach], or if the layout has no such slices
         */
        public fun attach(block: Block, role: String, slices: Slices, constraint: NormConstraint): Builder =
            attachAt(site(block, role), constraint, slices, "attach(${block.javaClass.simpleName}, '$role', $slices)")

        /**
         * Attaches [constraint], in Keras' axes, to the parameter DJL names [parameterPath] (`01Linear_weight`).
         *
         * @throws IllegalArgumentException if there is no such parameter (the message lists them) or as [attach]
         */
        public fun attach(parameterPath: String, constraint: Constraint): Builder =
            attachAt(site(parameterPath), constraint, null, "attach('$parameterPath')")

        /**
         * Attaches [constraint], in Keras' axes, to every parameter whose DJL name contains a match of the regular
         * expression [pattern], e.g. `Linear_weight$`.
         *
         * @throws IllegalArgumentException if nothing matches (the message lists the names) or as [attach]
         */
        public fun attachMatching(pattern: String, constraint: Constraint): Builder {
            val regex = Regex(pattern)
            val matched = sites.filter { regex.containsMatchIn(it.path) }
            require(matched.isNotEmpty()) { "pattern '$pattern' matches no parameter; the parameters are ${names()}" }
            matched.forEach { attachAt(it, constraint, null, "attachMatching('$pattern')") }
            return this
        }

        /**
         * Attaches [constraint] in DJL's own axes, unmapped, to the parameter DJL names [parameterPath]; for blocks
         * without a Keras counterpart.
         *
         * @throws IllegalArgumentException if there is no such parameter
         */
        public fun attachNative(parameterPath: String, constraint: Constraint): Builder {
            val site = site(parameterPath)
            attachments += Attachment(site.path, constraint, null, null, "attachNative('$parameterPath')", site.parameter)
            return this
        }

        /**
         * Attaches every constraint of a Keras model config: [blocks] gives the DJL block for each Keras layer path
         * (`dense_1`, `outer/inner`). Constraints whose layer has no block, whose block does not fit the layer's
         * class, or whose weight DJL keeps differently (an RNN's single bias) are listed in
         * [DjlConstraints.unmatched], never dropped silently.
         *
         * @throws dev.kerb.registry.ConfigException if a constraint in the config is malformed
         */
        public fun attachKeras(spec: ModelSpec, blocks: Map<String, Block>): Builder {
            KerasConfigAttach.byName(spec, blocks, ::attachFromKeras, unmatched::add)
            return this
        }

        /**
         * Attaches every constraint of a Keras model config to a DJL twin of the model: the Keras layers Kerb maps
         * (Dense, Conv1D-3D, Embedding, SimpleRNN, LSTM, GRU, BatchNormalization, LayerNormalization) are paired in
         * order with the DJL blocks that hold parameters; a pair whose classes differ stops the pairing, and the
         * rest are listed in [DjlConstraints.unmatched].
         *
         * @throws dev.kerb.registry.ConfigException if a constraint in the config is malformed
         */
        public fun attachKeras(spec: ModelSpec): Builder {
            KerasConfigAttach.byOrder(spec, BlockTree.weightedBlocks(root), ::attachFromKeras, unmatched::add)
            return this
        }

        /**
         * Attaches [constraint] in Keras' axes to a parameter of Kerb's Keras network, kept in DJL's [layout] or, where
         * that is null, in Keras' layout.
         */
        internal fun attachKerasVariable(parameterPath: String, constraint: Constraint, layout: KerasLayout?,
                                         source: String): Builder {
            val site = site(parameterPath)
            attachments += Attachment(site.path, constraint, layout, null, source, site.parameter)
            return this
        }

        /** Lists a constraint of a Keras config that cannot run on its parameter, with the reason. */
        internal fun unmatched(constraint: UnmatchedConstraint): Builder {
            unmatched += constraint
            return this
        }

        /** Sets the threads and thresholds the projections run with; [ApplyOptions.DEFAULT] otherwise. */
        public fun options(options: ApplyOptions): Builder {
            this.options = options
            return this
        }

        /** Returns the constraints attached so far. */
        public fun build(): DjlConstraints = DjlConstraints(attachments.toList(), unmatched.toList(), options)

        /** Attaches a Keras config's constraint to [role] of [block]; returns the reason when it cannot. */
        private fun attachFromKeras(block: Block, role: String, constraint: Constraint, source: String): String? {
            val site = sites.firstOrNull { it.block === block && it.role == role }
                ?: return "the DJL block is not under the trained block or has no parameter '$role'"
            return try {
                attachAt(site, constraint, null, source)
                null
            } catch (e: IllegalArgumentException) {
                e.message
            }
        }

        private fun attachAt(site: ParameterSite, constraint: Constraint, slices: Slices?, source: String): Builder {
            val layout = site.layout ?: throw IllegalArgumentException("$source: DJL's ${site.block.javaClass.simpleName} " +
                "parameter '${site.role}' has no Keras layout; attach it with attachNative and DJL's own axes")
            attachments += Attachment(site.path, constraint, layout, slices, source, site.parameter)
            return this
        }

        private fun site(block: Block, role: String): ParameterSite {
            val ofBlock = sites.filter { it.block === block }
            require(ofBlock.isNotEmpty()) { "the ${block.javaClass.simpleName} block is not part of the trained block" }
            return ofBlock.firstOrNull { it.role == role } ?: throw IllegalArgumentException(
                "the ${block.javaClass.simpleName} block has no parameter '$role'; it has ${ofBlock.joinToString { it.role }}")
        }

        private fun site(path: String): ParameterSite = sites.firstOrNull { it.path == path }
            ?: throw IllegalArgumentException("no parameter '$path'; the parameters are ${names()}")

        private fun names() = sites.joinToString { it.path }
    }

    public companion object {
        /** Returns a builder for constraints on the parameters of [root], the block that is trained. */
        @JvmStatic
        public fun builder(root: Block): Builder = Builder(root)
    }
}

/**
 * A constraint of a Keras config that found no DJL parameter.
 *
 * @property layer the Keras layer path
 * @property key the config key, e.g. `bias_constraint`
 * @property reason why, in one line
 */
public data class UnmatchedConstraint(val layer: String, val key: String, val constraint: Constraint, val reason: String)
