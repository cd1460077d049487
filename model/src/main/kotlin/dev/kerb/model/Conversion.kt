package dev.kerb.model

import dev.kerb.model.convert.Keras1Reader
import dev.kerb.model.convert.Keras2Writer
import dev.kerb.model.convert.Keras3Writer
import dev.kerb.model.convert.KerasClasses
import dev.kerb.model.io.MalformedModelException
import dev.kerb.model.io.asObject
import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The result of [ModelSpec.convert]: the converted model, and one warning line per thing without a mapping: a class
 * Keras does not define (carried across unchanged), a Keras 1 key Keras 2 has no name for (kept), a key of a Keras
 * class that its Keras 3 constructor refuses (dropped). Immutable.
 *
 * @property spec the converted model
 * @property warnings one line each, saying what was kept or dropped and where
 */
public class Conversion internal constructor(public val spec: ModelSpec, public val warnings: List<String>) {
    /** Returns [spec], so that `val (converted, warnings) = spec.convert(KERAS_3)` takes both. */
    public operator fun component1(): ModelSpec = spec

    /** Returns [warnings]. */
    public operator fun component2(): List<String> = warnings

    override fun toString(): String = "Conversion(${spec.format}, ${warnings.size} warnings)"

    internal companion object {
        /** The formats [ModelSpec.convert] writes. */
        val TARGETS = listOf(ModelFormat.KERAS_3, ModelFormat.KERAS_2)

        fun convert(spec: ModelSpec, target: ModelFormat): Conversion {
            require(target in TARGETS) { "Kerb converts models to ${TARGETS.joinToString(" or ")}, not $target" }
            if (spec.format == target) return Conversion(spec, emptyList())
            return try {
                convertModel(spec, target, spec.registry)
            } catch (e: MalformedModelException) {
                throw ConfigException("the ${spec.format} model ${spec.className} is not well formed: ${e.message}", e)
            }
        }

        private fun convertModel(spec: ModelSpec, target: ModelFormat, registry: ConstraintRegistry): Conversion {
            val keras1 = Keras1Reader(registry)
            val keras2 = when (spec.format) {
                ModelFormat.KERAS_1 -> keras1.model(spec.model)
                ModelFormat.TFJS -> tfjsModel(spec)
                ModelFormat.KERAS_2 -> spec.model
                ModelFormat.KERAS_3 -> null
            }
            val keras3 = Keras3Writer(registry)
            val converted = when (target) {
                ModelFormat.KERAS_3 -> keras3.model(keras2!!)
                else -> keras2 ?: Keras2Writer.model(spec.model)
            }
            return Conversion(ModelSpec.converted(target, converted, spec.origin),
                keras1.unmapped + keras3.dropped + unknownClasses(keras2 ?: spec.model, registry) +
                    (if (target == ModelFormat.KERAS_3) keras2OnlyClasses(converted) else emptyList()))
        }

        /** A TF.js topology's model, with the `keras_version` and `backend` kept beside it, as Keras 2 writes them. */
        private fun tfjsModel(spec: ModelSpec): JsonObject {
            val topology = spec.toJsonElement()["modelTopology"].asObject("modelTopology")
            val extra = listOf("keras_version", "backend").mapNotNull { key -> topology[key]?.let { key to it } }
            return JsonObject(spec.model + extra.filter { it.first !in spec.model })
        }

        /** One line per class that neither Keras nor the registry defines, with the layers it occurs in. */
        fun unknownClasses(model: JsonObject, registry: ConstraintRegistry): List<String> =
            classesIn(model) { className, registered -> !known(className, registered, registry) }.map { (name, places) ->
                "class '$name' is not a Keras built-in (in ${places.joinToString(", ")}); carried across with " +
                    "its config unchanged"
            }

        /**
         * One line per tf.keras 2 built-in that Keras 3 does not ship (RadialConstraint), with the layers it occurs
         * in: Keras 3 loads it only from custom_objects.
         */
        fun keras2OnlyClasses(model: JsonObject): List<String> =
            classesIn(model) { className, _ -> className in KerasClasses.KERAS2_ONLY }.map { (name, places) ->
                "class '$name' is tf.keras 2 only, not a Keras 3 built-in (in ${places.joinToString(", ")}); " +
                    "written with registered_name '$name', so Keras 3 loads it with custom_objects={'$name': ...}"
            }

        /** The Keras objects in [model] that [selected] picks, by registered or class name, with the layers they are in. */
        private fun classesIn(model: JsonObject, selected: (String, String?) -> Boolean): Map<String, Set<String>> {
            val found = LinkedHashMap<String, LinkedHashSet<String>>()
            fun visit(element: JsonElement, where: String) {
                when (element) {
                    is JsonArray -> element.forEach { visit(it, where) }
                    is JsonObject -> {
                        val className = (element["class_name"] as? JsonPrimitive)?.takeIf { it.isString }?.content
                        val config = element["config"]
                        val name = ((config as? JsonObject)?.get("name") as? JsonPrimitive)?.takeIf { it.isString }
                        val here = if (className != null && name != null && "trainable" in config) name.content else where
                        val registered = (element["registered_name"] as? JsonPrimitive)?.takeIf { it.isString }?.content
                        if (className != null && config != null && selected(className, registered)) {
                            found.getOrPut(registered ?: className) { LinkedHashSet() } += here
                        }
                        element.values.forEach { visit(it, here) }
                    }
                    else -> {}
                }
            }
            visit(model, "model")
            return found
        }

        private val KNOWN = KerasClasses.LAYERS.keys + KerasClasses.FUNCTIONAL + KerasClasses.INITIALIZERS.keys +
            KerasClasses.REGULARIZERS.keys + setOf("Sequential", "DTypePolicy", "Policy", "__keras_tensor__", "__numpy__")

        private fun known(className: String, registered: String?, registry: ConstraintRegistry): Boolean =
            className in KNOWN || registry.lookup(registered ?: className).isPresent ||
                registry.lookup(className).isPresent
    }
}
