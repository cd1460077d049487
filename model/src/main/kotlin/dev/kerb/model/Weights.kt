package dev.kerb.model

import dev.kerb.core.DType
import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.model.init.InitializerRegistry
import dev.kerb.model.weights.LaidOutVariable
import dev.kerb.model.weights.Seeds
import dev.kerb.model.weights.StoredFiles
import dev.kerb.model.weights.VariableLayout
import dev.kerb.model.weights.VariableValues
import dev.kerb.model.weights.WeightsFile
import dev.kerb.registry.ConfigException
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.longOrNull
import java.nio.file.Path

/**
 * The values of every variable of a model, by Keras variable path (`dense/kernel`), in the order Keras saves them:
 * initialized as the layers' configs say, read from a file, or given. Values are made when asked for or written, one
 * variable at a time, so a large model never sits in memory whole. Immutable; [with] returns a copy.
 *
 * ```
 * val weights = spec.initialWeights(seed = 42).with("dense/bias", Tensor.of(floatArrayOf(0.1f, 0.1f), Shape.of(2)))
 * spec.write(Path.of("model.keras"), weights)
 * ```
 *
 * @property spec the model, as Keras 3 config
 */
public class Weights private constructor(
    public val spec: ModelSpec,
    private val variables: List<LaidOutVariable>,
    private val sources: Map<String, (LaidOutVariable) -> VariableValues>,
) {
    private val byPath = variables.associateBy { it.path }

    /** Every variable's path, in the order Keras saves them. */
    public val names: List<String> get() = variables.map { it.path }

    /**
     * Returns a variable's shape.
     *
     * @throws ConfigException if the model has no such variable
     */
    public fun shape(name: String): Shape = variable(name).shape

    /**
     * Returns a variable's dtype, its layer's dtype policy's variable dtype.
     *
     * @throws ConfigException if the model has no such variable
     */
    public fun dtype(name: String): DType = variable(name).dtype

    /**
     * Returns whether a variable is trained: false for statistics (BatchNormalization's moving mean) and for the
     * variables of a layer whose config says `trainable: false`.
     *
     * @throws ConfigException if the model has no such variable
     */
    public fun trainable(name: String): Boolean = variable(name).trainable

    /**
     * Returns a variable's values in a new tensor.
     *
     * @throws ConfigException if the model has no such variable, or its initializer cannot make its shape
     * @throws java.io.IOException if its values are stored in a file that cannot be read
     */
    public operator fun get(name: String): Tensor = values(variable(name)).tensor()

    /**
     * Returns a copy whose variable [name] has [values] (copied when written).
     *
     * @throws ConfigException if the model has no such variable, or [values] has another shape or dtype
     */
    public fun with(name: String, values: Tensor): Weights {
        val variable = variable(name)
        if (values.shape() != variable.shape) {
            throw ConfigException("weight '$name' has shape ${values.shape()}, but the model gives it ${variable.shape}")
        }
        if (values.dtype() != variable.dtype) {
            throw ConfigException("weight '$name' is ${values.dtype().name.lowercase()}, but the model's dtype policy " +
                "makes it ${variable.dtype.name.lowercase()}")
        }
        return Weights(spec, variables, sources + (name to { v -> VariableValues.Given(v) { values } }))
    }

    /**
     * Returns a copy with every weight of [values] replaced; see [with].
     *
     * @throws ConfigException if one is not a variable of the model or does not fit it
     */
    public fun with(values: Map<String, Tensor>): Weights = values.entries.fold(this) { w, (name, t) -> w.with(name, t) }

    /**
     * Returns the values of each variable of [layout], another model's variables, for writing that model.
     *
     * @throws ConfigException unless [layout] has the same variables, with the same shapes and dtypes
     */
    internal fun valuesFor(layout: List<LaidOutVariable>): List<VariableValues> {
        val extra = variables.map { it.path } - layout.map { it.path }.toSet()
        if (extra.isNotEmpty()) throw ConfigException("the model has no variable '${extra.first()}'")
        return layout.map { target ->
            val own = byPath[target.path] ?: throw ConfigException("the weights lack the model's variable '${target.path}'")
            if (own.shape != target.shape || own.dtype != target.dtype) {
                throw ConfigException("weight '${target.path}' is ${own.dtype.name.lowercase()} ${own.shape}, but the " +
                    "model gives it ${target.dtype.name.lowercase()} ${target.shape}")
            }
            sources.getValue(target.path)(target)
        }
    }

    /**
     * Fails unless these weights are exactly [model]'s variables, with the same shapes and dtypes.
     *
     * @throws ConfigException naming the first variable that is extra, missing or of another shape or dtype
     */
    @InternalKerbApi
    public fun requireFits(model: ModelSpec) {
        valuesFor(VariableLayout.of(model.convert(ModelFormat.KERAS_3).spec))
    }

    private fun values(variable: LaidOutVariable): VariableValues = sources.getValue(variable.path)(variable)

    private fun variable(name: String): LaidOutVariable = byPath[name] ?: throw ConfigException("the model has no " +
        "variable '$name'; it has ${variables.joinToString { it.path }}")

    override fun toString(): String = "Weights(${spec.className}, ${variables.size} variables)"

    /** Making weights for a spec. */
    public companion object {
        /**
         * Returns [spec]'s initial weights: each variable as its layer's initializer config (or Keras' default for the
         * layer) gives it, drawn from a stream that depends on [seed] and the variable's path, or on the
         * initializer's own `seed` where the config gives one. Keras does not constrain initial values, and neither
         * does this. The same seed gives the same values on any machine and thread count.
         *
         * An initializer that cannot make its variable's shape (`Identity` of rank 3) fails when the values are made:
         * by [get], or by [ModelSpec.write], which then writes nothing.
         *
         * @throws ConfigException if a layer's variables are not known (a class Kerb does not model, missing input
         *   shapes), are not float32 or float64, or an initializer is not registered or its config is not one it takes
         */
        @JvmStatic
        @JvmOverloads
        public fun initial(spec: ModelSpec, seed: Long, registry: InitializerRegistry = InitializerRegistry.defaultRegistry()):
            Weights {
            val keras3 = spec.convert(ModelFormat.KERAS_3).spec
            val variables = VariableLayout.of(keras3)
            val sources = variables.associate { v ->
                val initializer = registry.fromJson(v.initializer, v.where)
                val configSeed = ((v.initializer as? JsonObject)?.get("config") as? JsonObject)?.get("seed")
                val variableSeed = Seeds.variable(seed, v.path, (configSeed as? JsonPrimitive)?.longOrNull)
                v.path to { laidOut: LaidOutVariable -> VariableValues.of(laidOut, initializer, variableSeed) }
            }
            return Weights(keras3, variables, sources)
        }

        /**
         * Returns the weights [ModelSpec.write] writes for [spec]: those of the `.keras` archive or legacy `.h5` it was
         * read from, else its initial weights drawn with seed 0.
         *
         * @throws ConfigException if the file's weights do not fit the model, or there are none and the initial
         *   weights cannot be drawn (see [initial])
         * @throws java.io.IOException if the file cannot be read
         */
        @JvmStatic
        public fun of(spec: ModelSpec): Weights = SpecFiles.weightsFile(spec)?.let(::read) ?: initial(spec, 0)

        /**
         * Returns the weights stored in a `.keras` archive or a legacy `.h5` model, read when asked for or written.
         *
         * @throws ConfigException if the file is not a Keras model with weights Kerb reads, or lacks a variable its
         *   config gives, or stores one with another shape
         * @throws java.io.IOException if the file cannot be read
         */
        @JvmStatic
        public fun read(path: Path): Weights {
            val config = ModelSpec.read(path).convert(ModelFormat.KERAS_3).spec
            if (VariableLayout.of(config).isEmpty()) return Weights(config, emptyList(), emptyMap())
            val (stored, spec) = WeightsFile.open(path).use { file ->
                file.weights.associate { it.name to it.shape } to file.spec
            }
            val keras3 = spec.convert(ModelFormat.KERAS_3).spec
            val variables = VariableLayout.of(keras3)
            val sources = variables.associate { v ->
                val shape = stored[v.path] ?: throw ConfigException("$path has no weight '${v.path}'")
                if (shape != v.shape) throw ConfigException("$path: weight '${v.path}' has shape $shape, but the " +
                    "model config gives it ${v.shape}")
                v.path to { laidOut: LaidOutVariable ->
                    VariableValues.Given(laidOut) { StoredFiles.read(path, laidOut.path, laidOut.integer) }
                }
            }
            return Weights(keras3, variables, sources)
        }
    }
}
