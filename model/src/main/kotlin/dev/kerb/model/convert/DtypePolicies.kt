package dev.kerb.model.convert

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** Layer dtypes in each generation's shape: a name in Keras 2, a `DTypePolicy` dict in Keras 3.4+. */
internal object DtypePolicies {
    /** A dtype's policy name: the string itself, or the name inside a Keras 2 `Policy` / Keras 3 policy dict. */
    fun policyName(dtype: JsonElement?): JsonPrimitive = when (dtype) {
        is JsonPrimitive -> dtype
        is JsonObject -> ((dtype["config"] as? JsonObject)?.get("name") as? JsonPrimitive) ?: JsonPrimitive("float32")
        else -> JsonPrimitive("float32")
    }

    /** Keras 3.4+ writes a layer's dtype as a `DTypePolicy` dict. */
    fun dtypePolicy(name: String): JsonObject = JsonObject(linkedMapOf(
        "module" to JsonPrimitive("keras"),
        "class_name" to JsonPrimitive("DTypePolicy"),
        "config" to JsonObject(mapOf("name" to JsonPrimitive(name))),
        "registered_name" to JsonNull,
    ))
}
