package dev.kerb.model.init

import dev.kerb.model.io.KerasJson
import dev.kerb.registry.ConfigException
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.util.concurrent.ConcurrentHashMap

/**
 * Resolves initializer configs to [Initializer]s by registered name, as Keras' `initializers.get` does: a name
 * (`"glorot_uniform"`), a Keras 2 or 3 dict (`{"class_name": "GlorotUniform", "config": {...}}`, with
 * `registered_name` for custom ones), Keras 1's names and TF.js' (`"glorotUniform"`, `{"className": ...}`). Only
 * registered names resolve; nothing is loaded by Java class name. Thread-safe.
 */
public class InitializerRegistry private constructor() {
    private val factories = ConcurrentHashMap<String, InitializerFactory>()

    /**
     * Registers a custom initializer under [name], as Keras' `register_keras_serializable` does: configs name it by
     * `registered_name` (`"my_pkg>Halves"`) or `class_name`.
     *
     * @return this registry
     * @throws IllegalArgumentException if [name] is already registered
     */
    public fun register(name: String, factory: InitializerFactory): InitializerRegistry {
        require(factories.putIfAbsent(name, factory) == null) { "initializer '$name' is already registered" }
        return this
    }

    /** Returns every registered name, aliases included, sorted. */
    public fun names(): List<String> = factories.keys.sorted()

    /**
     * Returns the initializer an identifier describes: a name, or a dict of plain values (maps, lists, strings,
     * numbers) in any format this registry reads.
     *
     * @throws ConfigException if the name is not registered (the message says how to register one) or the config is
     *   not one the initializer takes; the message starts with [where]
     */
    @JvmOverloads
    public fun get(identifier: Any?, where: String = "initializer"): Initializer =
        fromJson(KerasJson.toElement(identifier), where)

    /** Returns the initializer a config value describes; see [get]. */
    internal fun fromJson(element: JsonElement, where: String): Initializer {
        val (names, config) = when (element) {
            is JsonPrimitive -> if (element.isString) listOf(element.content) to emptyMap<String, Any?>()
                else throw ConfigException("$where: expected an initializer name or dict, got $element")
            is JsonObject -> {
                fun text(key: String) = (element[key] as? JsonPrimitive)?.takeIf { it.isString }?.content
                val inner = element["config"]
                listOfNotNull(text("registered_name"), text("class_name") ?: text("className")) to
                    (if (inner is JsonObject) KerasJson.toPlain(inner) as Map<*, *> else emptyMap<String, Any?>())
                        .entries.associate { (k, v) -> k.toString() to v }
            }
            else -> throw ConfigException("$where: expected an initializer name or dict, got $element")
        }
        if (names.isEmpty()) throw ConfigException("$where: an initializer dict without class_name: $element")
        val factory = names.firstNotNullOfOrNull { factories[it] }
            ?: throw ConfigException("$where: unknown initializer '${names.last()}'; register it with " +
                "InitializerRegistry.defaultRegistry().register(\"${names.first()}\", factory)")
        return try {
            factory.create(config)
        } catch (e: ConfigException) {
            throw e
        } catch (e: IllegalArgumentException) {
            throw ConfigException("$where: ${names.last()}: ${e.message}", e)
        } catch (e: ClassCastException) {
            throw ConfigException("$where: ${names.last()} has a config value of the wrong kind: $config", e)
        }
    }

    override fun toString(): String = "InitializerRegistry(${factories.size} names)"

    /** The shared registry and fresh ones. */
    public companion object {
        private val DEFAULT by lazy { builtins() }

        /** Returns the registry Kerb uses unless told otherwise: the built-ins plus what was registered in it. */
        @JvmStatic
        public fun defaultRegistry(): InitializerRegistry = DEFAULT

        /** Returns a new registry holding Keras 3.15.1's initializers under their Keras 1-3 and TF.js names. */
        @JvmStatic
        public fun builtins(): InitializerRegistry = InitializerRegistry().apply {
            for ((names, factory) in BUILTINS) for (name in names) factories[name] = factory
        }

        private fun number(config: Map<String, Any?>, key: String, default: Double): Double =
            when (val value = config[key]) {
                null -> default
                is Number -> value.toDouble()
                else -> throw IllegalArgumentException("$key must be a number, got $value")
            }

        @Suppress("UNCHECKED_CAST")
        private fun axes(config: Map<String, Any?>, key: String): List<Int>? =
            (config[key] as List<Number>?)?.map { it.toInt() }

        /** TF.js writes modes and distributions in camel case. */
        private fun snake(text: String?): String? = text?.replace(Regex("([a-z])([A-Z])"), "$1_$2")?.lowercase()

        private fun scaling(scale: Double, mode: String, distribution: String) = InitializerFactory { config ->
            VarianceScaling(scale, mode, distribution, axes(config, "input_axes"), axes(config, "output_axes"))
        }

        private fun fixed(kind: Distribution.Kind, a: String, aDefault: Double, b: String, bDefault: Double) =
            InitializerFactory { Fixed(Distribution(kind, number(it, a, aDefault), number(it, b, bDefault))) }

        private val BUILTINS: List<Pair<List<String>, InitializerFactory>> = listOf(
            listOf("Zeros", "zeros", "zero") to InitializerFactory { Fixed(Distribution(Distribution.Kind.CONSTANT, 0.0, 0.0)) },
            listOf("Ones", "ones", "one") to InitializerFactory { Fixed(Distribution(Distribution.Kind.CONSTANT, 1.0, 0.0)) },
            listOf("Constant", "constant") to
                InitializerFactory { Fixed(Distribution(Distribution.Kind.CONSTANT, number(it, "value", 0.0), 0.0)) },
            listOf("RandomUniform", "random_uniform", "uniform", "randomUniform") to
                fixed(Distribution.Kind.UNIFORM, "minval", -0.05, "maxval", 0.05),
            listOf("RandomNormal", "random_normal", "normal", "randomNormal") to
                fixed(Distribution.Kind.NORMAL, "mean", 0.0, "stddev", 0.05),
            listOf("TruncatedNormal", "truncated_normal", "truncatedNormal") to
                fixed(Distribution.Kind.TRUNCATED_NORMAL, "mean", 0.0, "stddev", 0.05),
            listOf("VarianceScaling", "variance_scaling", "varianceScaling") to InitializerFactory { config ->
                VarianceScaling(number(config, "scale", 1.0), snake(config["mode"] as String?) ?: "fan_in",
                    snake(config["distribution"] as String?) ?: "truncated_normal", axes(config, "input_axes"),
                    axes(config, "output_axes"))
            },
            listOf("GlorotUniform", "glorot_uniform", "glorotUniform") to scaling(1.0, "fan_avg", "uniform"),
            listOf("GlorotNormal", "glorot_normal", "glorotNormal") to scaling(1.0, "fan_avg", "truncated_normal"),
            listOf("HeUniform", "he_uniform", "heUniform") to scaling(2.0, "fan_in", "uniform"),
            listOf("HeNormal", "he_normal", "heNormal") to scaling(2.0, "fan_in", "truncated_normal"),
            listOf("LecunUniform", "lecun_uniform", "leCunUniform") to scaling(1.0, "fan_in", "uniform"),
            listOf("LecunNormal", "lecun_normal", "leCunNormal") to scaling(1.0, "fan_in", "truncated_normal"),
            listOf("Identity", "identity", "IdentityInitializer") to InitializerFactory { IdentityMatrix(number(it, "gain", 1.0)) },
            listOf("Orthogonal", "orthogonal", "OrthogonalInitializer") to
                InitializerFactory { Orthogonal(number(it, "gain", 1.0)) },
        )
    }
}
