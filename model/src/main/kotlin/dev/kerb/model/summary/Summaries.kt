package dev.kerb.model.summary

import dev.kerb.model.LayerSummary
import dev.kerb.model.ModelConstraint
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.model.ModelSummary
import dev.kerb.model.catalog.LayerArgs
import kotlinx.serialization.json.JsonObject

/** Builds a [ModelSummary] from a spec: converts it to Keras 3, infers its shapes and counts its variables. */
internal object Summaries {
    fun of(spec: ModelSpec): ModelSummary {
        val keras3 = spec.convert(ModelFormat.KERAS_3).spec
        val (model, inference) = ShapeInference.infer(keras3.model)
        val constraints = spec.constraints()
        val counts = Counts()
        val rows = model.rows.map {
            row(it, "", constraints, connected = model.className == "Functional", trainable = model.trainable, inference.built, counts)
        }
        val notes = inference.unknown.map { (className, layers) ->
            val affected = inference.affected.filter { it !in layers }
            "Kerb does not model class $className (layer${if (layers.size == 1) "" else "s"} ${layers.joinToString(", ")})" +
                "; shapes after it are unknown" + if (affected.isEmpty()) "" else " (${affected.joinToString(", ")})"
        }
        return ModelSummary(model.name, model.className, rows, counts.trainable + counts.nonTrainable, counts.trainable,
            counts.nonTrainable, counts.trainableBytes, counts.nonTrainableBytes, notes, inference.misfit,
            model.sequentialLike, spec.registry)
    }

    private val InferredModel.trainable: Boolean
        get() = (dict["config"] as? JsonObject)?.let { LayerArgs(className, it).bool("trainable", true) } ?: true

    /** Parameter counts and sizes, summed over the layers counted. */
    private class Counts {
        var trainable = 0L
        var nonTrainable = 0L
        var trainableBytes = 0L
        var nonTrainableBytes = 0L
        var unknown = false
    }

    private fun row(layer: GraphLayer, prefix: String, constraints: List<ModelConstraint>, connected: Boolean,
                    trainable: Boolean, built: Boolean, total: Counts): LayerSummary {
        val path = prefix + layer.name
        val own = Counts()
        val layerTrainable = trainable && layer.args.bool("trainable", true)
        val nested = layer.nested?.let { inner ->
            inner.rows.map { row(it, "$path/", constraints, connected = false, trainable = layerTrainable, built, own) }
        }.orEmpty()
        val variables = layer.variables
        when {
            layer.nested != null || !built -> {}
            variables == null -> own.unknown = !layer.isModel
            variables.any { it.second.size == null } -> own.unknown = true
            else -> for ((_, v) in variables) {
                val size = v.size!!
                val bytes = size * dtypeBytes(layer.args.variableDtype)
                if (layerTrainable && v.trainable) {
                    own.trainable += size
                    own.trainableBytes += bytes
                } else {
                    own.nonTrainable += size
                    own.nonTrainableBytes += bytes
                }
            }
        }
        total.trainable += own.trainable
        total.nonTrainable += own.nonTrainable
        total.trainableBytes += own.trainableBytes
        total.nonTrainableBytes += own.nonTrainableBytes
        total.unknown = total.unknown || own.unknown
        val known = !own.unknown
        return LayerSummary(layer.name, if (layer.className == "Model") "Functional" else layer.className,
            layer.nodes.lastOrNull()?.outputs,
            if (known) own.trainable + own.nonTrainable else null, if (known) own.trainable else null,
            if (known) own.nonTrainable else null,
            if (connected) layer.nodes.flatMap { node -> node.inputs.map(TensorRef::toString) } else emptyList(),
            constraints.filter { it.layer == path || it.layer.startsWith("$path/") }, nested, built)
    }

    /** Bytes per value of a dtype, as Keras' `dtype_utils.dtype_size` gives bits. */
    private fun dtypeBytes(dtype: String): Long = when (dtype) {
        "float64", "int64", "uint64", "complex64" -> 8
        "float16", "bfloat16", "int16", "uint16" -> 2
        "int8", "uint8", "bool", "float8_e4m3fn", "float8_e5m2" -> 1
        "complex128" -> 16
        else -> 4
    }
}
