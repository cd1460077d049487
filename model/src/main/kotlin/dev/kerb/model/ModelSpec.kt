package dev.kerb.model

import dev.kerb.core.ApplyOptions
import dev.kerb.core.Constraint
import dev.kerb.core.Tensor
import dev.kerb.model.io.KerasJson
import dev.kerb.model.init.InitializerRegistry
import dev.kerb.model.summary.Summaries
import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintFormat
import kotlinx.serialization.KSerializer
import kotlinx.serialization.Serializable
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder
import kotlinx.serialization.json.JsonDecoder
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonEncoder
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.nio.file.Path

/**
 * A Keras model config, kept exactly as read or built: reading it and writing it in the same format gives back the
 * same JSON tree, including layers, fields and constraints Kerb does not know. Edits return a new spec that differs
 * only where edited. Serializes with kotlinx.serialization as the model JSON itself ([ModelSpec.serializer]).
 * Immutable and thread-safe.
 *
 * A spec resolves constraint names with its [registry], given once where the spec is read or built (Keras'
 * `custom_object_scope` for one model): every listing, edit and conversion of it, and of the specs derived from it,
 * uses that registry.
 */
@Serializable(with = ModelSpecSerializer::class)
public class ModelSpec private constructor(
    /** The generation this config is written in. */
    public val format: ModelFormat,
    private val document: JsonObject,
    private val modelLocation: List<String>,
    internal val origin: SpecOrigin,
) {
    /** The registry this spec resolves constraint names with: the one it was read with, or the default registry. */
    public val registry: ConstraintRegistry get() = origin.registry ?: ConstraintRegistry.defaultRegistry()

    /** Returns this spec resolving constraint names with [registry] instead; the document is the same. */
    public fun withRegistry(registry: ConstraintRegistry): ModelSpec =
        ModelSpec(format, document, modelLocation, origin.copy(registry = registry))

    /** The model dict, `{"class_name", "config", ...}` (inside `modelTopology` for TF.js). */
    public val model: JsonObject get() = modelLocation.fold(document) { obj, key -> obj[key] as JsonObject }

    /** The model's `class_name`: `Sequential`, `Functional`, `Model`, ... */
    public val className: String get() = (model["class_name"] as JsonPrimitive).content

    /** Returns every layer, nested ones included, in file order. */
    public fun layers(): List<LayerSpec> = LayerTree.walk(model, modelLocation).drop(1)

    /**
     * Returns one layer by path.
     *
     * @param path the layer's name, `outer/inner` when nested
     * @throws IllegalArgumentException if no layer has that path; the message lists the paths there are
     */
    public fun layer(path: String): LayerSpec = layers().firstOrNull { it.path == path }
        ?: throw IllegalArgumentException("no layer '$path' in model ${className}; its layers are " +
            layers().joinToString(", ") { it.path })

    /**
     * Lists every non-null constraint, in file order; names this spec's [registry] does not hold give
     * [dev.kerb.registry.UnresolvedConstraint]s.
     *
     * @throws ConfigException if a registered constraint's config is bad; the message names the file (for a spec read
     *   from one), the layer and the key
     */
    public fun constraints(): List<ModelConstraint> = namingFile {
        LayerTree.walk(model, modelLocation).flatMap { layer ->
            layer.config.entries.filter { (key, value) -> key.endsWith("_constraint") && value !is JsonNull }
                .map { (key, value) ->
                    val constraint = registry.get(KerasJson.toPlain(value), "layer '${layer.path}' $key")
                    ModelConstraint(layer.path, layer.className, key, constraint)
                }
        }
    }

    /**
     * Returns this spec with one constraint set, added or removed (null), and nothing else changed. The constraint
     * is written in the shape the file already uses: Keras 3 dicts in Keras 3 files and in Keras 2.13+ layers that
     * use them, Keras 2 dicts in Keras 2 and TF.js files, the flat form in Keras 1 files.
     *
     * @param layerPath the layer, `outer/inner` when nested
     * @param key the config key, e.g. `kernel_constraint`; the layer's config must already have it
     * @throws IllegalArgumentException if there is no such layer, or the layer has no such key (no such weight)
     * @throws ConfigException if the constraint's type is not in this spec's [registry]
     */
    public fun withConstraint(layerPath: String, key: String, constraint: Constraint?): ModelSpec {
        val layer = layer(layerPath)
        require(key in layer.config) {
            "layer '$layerPath' (${layer.className}) has no $key, so there is no weight to constrain; its " +
                "constraint keys are " + layer.constraintKeys.ifEmpty { listOf("none") }.joinToString(", ")
        }
        val value = if (constraint == null) JsonNull else
            KerasJson.toElement(registry.serialize(constraint, constraintShape(layer.config)))
        val edited = LayerTree.replace(document, layer.location + "config" + key) { value } as JsonObject
        return ModelSpec(format, edited, modelLocation, origin)
    }

    /**
     * Applies every constraint of this model to the matching weights, in place, as an optimizer step would.
     *
     * Weights are named `layer/weight` as Keras 3 names variables (`dense/kernel`, `bidi/lstm/kernel`), with an optional
     * `:0` as in Keras 2 `.h5` files. A constraint applies to the weight `layer/weight` and, for layers that hold
     * sublayers (such as `MultiHeadAttention`, whose `kernel_constraint` covers `mha/query/kernel` and the rest), to every
     * weight under `layer/` whose name ends in `/weight`.
     *
     * Every constraint is checked against its weights' shapes before any weight changes, so on error nothing changed.
     *
     * @param weights the weights by name. Modified.
     * @param options epsilon, threads and executor for every constraint
     * @return one entry per constraint, in file order, with the weights it was applied to
     * @throws IllegalArgumentException if a constraint cannot apply to its weight's shape (nothing is changed)
     * @throws dev.kerb.registry.UnregisteredConstraintException if a matched constraint is not registered (nothing is
     *   changed)
     */
    @JvmOverloads
    public fun applyConstraints(weights: Map<String, Tensor>, options: ApplyOptions = ApplyOptions.DEFAULT):
        List<AppliedConstraint> = applyConstraintsTo(this, weights, options)

    /**
     * Returns this spec with every constraint replaced by what [transform] returns for it: the same constraint keeps
     * it, another one replaces it (written in the file's shape, as [withConstraint] does), null removes it.
     *
     * ```
     * val tightened = spec.mapConstraints { c -> (c.constraint as? MaxNorm)?.let { maxNorm(1.0, it.axis) } ?: c.constraint }
     * ```
     *
     * @throws ConfigException if a returned constraint's type is not in this spec's [registry]
     */
    public fun mapConstraints(transform: (ModelConstraint) -> Constraint?): ModelSpec =
        constraints().fold(this) { spec, found ->
            val replacement = transform(found)
            if (replacement == found.constraint) spec else spec.withConstraint(found.layer, found.key, replacement)
        }

    private fun constraintShape(config: JsonObject): ConstraintFormat = when (format) {
        ModelFormat.KERAS_3 -> ConstraintFormat.KERAS_3
        ModelFormat.KERAS_1 -> ConstraintFormat.KERAS_1
        ModelFormat.KERAS_2, ModelFormat.TFJS ->
            if (config.values.any { it is JsonObject && "module" in it }) ConstraintFormat.KERAS_3 else ConstraintFormat.KERAS_2
    }

    /**
     * Returns what the model computes, as Keras' `model.summary()` shows it: each layer's output shape and parameter
     * count, the totals, and the constraints each layer carries. Reading stays lenient: a layer whose shapes do not
     * fit is named in [ModelSummary.misfit], and a class Kerb does not model in [ModelSummary.notes].
     *
     * @throws ConfigException if a registered constraint in the model has a bad config, or the model is not well
     *   formed enough to convert to Keras 3
     */
    public fun summary(): ModelSummary = namingFile { Summaries.of(this) }

    /** Returns the whole document as read: for TF.js the `model.json` with `modelTopology` and `weightsManifest`. */
    public fun toJsonElement(): JsonObject = document

    /** Returns the document as JSON text, in this spec's own format. */
    @JvmOverloads
    public fun toJson(prettyPrint: Boolean = false): String = write(document, prettyPrint)

    /**
     * Converts the model to another Keras generation: Keras 3 (`to_json()` / `.keras` `config.json` shape) or Keras 2
     * (the tf.keras 2.x `to_json()` shape that TensorFlow.js also loads), from any format Kerb reads. Constraints,
     * initializers, regularizers and custom objects are kept with their configs; converting to the spec's own format
     * returns it unchanged.
     *
     * @param target [ModelFormat.KERAS_3] or [ModelFormat.KERAS_2]
     * @throws IllegalArgumentException for another target
     * @throws ConfigException if a registered constraint in the model has a bad config; the message names the file
     *   (for a spec read from one), the layer and the key
     */
    public fun convert(target: ModelFormat): Conversion = namingFile { Conversion.convert(this, target) }

    /** Runs [block], starting the message of a [ConfigException] with the file this spec was read from, if any. */
    private inline fun <T> namingFile(block: () -> T): T = try {
        block()
    } catch (e: ConfigException) {
        val file = origin.file
        if (file == null || e.message.orEmpty().startsWith(file)) throw e
        throw ConfigException("$file: ${e.message}", e)
    }

    /**
     * Writes the model to a file, atomically, choosing the kind from the name: a `.keras` archive or a legacy `.h5`
     * model (converted to Keras 3 when needed) with the weights of the file this spec was read from, when it has
     * them (a `.keras` target copies them byte for byte), else with [initialWeights] drawn with seed 0; any other
     * name gets the JSON document in this spec's own format.
     *
     * @return the conversion's warnings, one line each; empty when nothing was converted
     * @throws ConfigException if the conversion meets a bad constraint config, or, for weights to initialize, a
     *   layer's variables are not known or an initializer is not registered
     * @throws java.io.IOException if the file cannot be written; it is then unchanged
     */
    public fun write(target: Path): List<String> = SpecFiles.write(this, target)

    /**
     * Writes the model with [weights] to a `.keras` archive or a legacy `.h5` model, chosen by [target]'s name, as
     * Keras 3.15.1 saves them, atomically.
     *
     * @throws ConfigException if [weights] belong to another model, or [target] is neither kind, or an initializer
     *   cannot make its variable; nothing is written
     * @throws java.io.IOException if the file cannot be written; it is then unchanged
     */
    public fun write(target: Path, weights: Weights): Unit = SpecFiles.write(this, target, weights)

    /**
     * Returns the model's initial weights, drawn with [seed]; see [Weights.initial].
     *
     * @throws ConfigException if a layer's variables are not known, are not float32 or float64, or an initializer
     *   is not registered or its config is not one it takes
     */
    @JvmOverloads
    public fun initialWeights(seed: Long, registry: InitializerRegistry = InitializerRegistry.defaultRegistry()): Weights =
        namingFile { Weights.initial(this, seed, registry) }

    private fun write(element: JsonElement, prettyPrint: Boolean): String = KerasJson.text(element, prettyPrint)

    /** Specs are equal when their documents are the same JSON values (`1e-07` equals `1.0E-7`; `2` is not `2.0`). */
    override fun equals(other: Any?): Boolean = other is ModelSpec && JsonValues.equal(document, other.document)
    override fun hashCode(): Int = JsonValues.hash(document)
    override fun toString(): String = "ModelSpec($format $className, ${layers().size} layers)"

    /** Reading specs from JSON text, files and parsed documents. */
    public companion object {
        /**
         * Reads a model config from JSON text of any [ModelFormat].
         *
         * @param registry resolves the model's constraint names (default: the default registry)
         * @throws ConfigException if the text is malformed (with line and column) or holds no model
         */
        @JvmStatic
        @JvmOverloads
        public fun parse(text: String, registry: ConstraintRegistry? = null): ModelSpec =
            fromJsonElement(KerasJson.parseElement(text), "model JSON", registry)

        /**
         * Reads a model file: JSON of any [ModelFormat], a `.keras` archive or a legacy `.h5` file.
         *
         * @param registry resolves the model's constraint names (default: the default registry)
         * @throws ConfigException if the file holds no model config Kerb reads; the message starts with its path
         * @throws java.io.IOException if it cannot be read
         */
        @JvmStatic
        @JvmOverloads
        public fun read(path: Path, registry: ConstraintRegistry? = null): ModelSpec =
            SpecFiles.read(path, registry)

        /**
         * Reads a model file named by a path string; see [read].
         *
         * @throws ConfigException if the file holds no model config Kerb reads; the message starts with its path
         * @throws java.io.IOException if it cannot be read
         */
        @JvmStatic
        @JvmOverloads
        public fun read(path: String, registry: ConstraintRegistry? = null): ModelSpec = read(Path.of(path), registry)

        /**
         * Wraps a parsed model document.
         *
         * @param source names the document in errors
         * @param registry resolves the model's constraint names (default: the default registry)
         * @throws ConfigException if there is no `{"class_name", "config"}` model dict in it
         */
        @JvmStatic
        @JvmOverloads
        public fun fromJsonElement(document: JsonElement, source: String = "model JSON",
                                   registry: ConstraintRegistry? = null): ModelSpec {
            return of(document, source, SpecOrigin(registry, archive = null))
        }

        /** Wraps a document read from a file or converted from another spec, keeping where it came from. */
        internal fun of(document: JsonElement, source: String, origin: SpecOrigin): ModelSpec {
            val root = document as? JsonObject ?: throw noModel(source)
            val location = ArrayList<String>()
            var node: JsonObject = root
            for (key in listOf("modelTopology", "model_config")) {
                val next = node[key] as? JsonObject ?: continue
                location += key
                node = next
            }
            if ((node["class_name"] as? JsonPrimitive)?.isString != true || "config" !in node) throw noModel(source)
            return ModelSpec(ModelFormat.detect(root, node), root, location, origin)
        }

        internal fun converted(format: ModelFormat, model: JsonObject, origin: SpecOrigin): ModelSpec =
            ModelSpec(format, model, emptyList(), origin)

        private fun noModel(source: String) = ConfigException("$source holds no Keras model config; expected a JSON " +
            "object with \"class_name\" and \"config\" (model.to_json()), a TF.js model.json with \"modelTopology\", " +
            "or a .keras archive")
    }
}

/** Writes a [ModelSpec] as its model JSON and reads any model JSON back; JSON formats only. */
internal object ModelSpecSerializer : KSerializer<ModelSpec> {
    override val descriptor: SerialDescriptor = SerialDescriptor("dev.kerb.model.ModelSpec", JsonElement.serializer().descriptor)

    override fun serialize(encoder: Encoder, value: ModelSpec) {
        val json = encoder as? JsonEncoder ?: throw IllegalStateException("ModelSpec is written as JSON only")
        json.encodeJsonElement(value.toJsonElement())
    }

    override fun deserialize(decoder: Decoder): ModelSpec {
        val json = decoder as? JsonDecoder ?: throw IllegalStateException("ModelSpec is read from JSON only")
        return ModelSpec.fromJsonElement(json.decodeJsonElement())
    }
}
