package dev.kerb.model.weights

import dev.kerb.model.ModelSpec
import dev.kerb.model.Weights
import dev.kerb.model.io.KerasJson
import dev.kerb.model.io.ModelFiles
import dev.kerb.registry.ConfigException
import io.jhdf.exceptions.HdfWritingException
import java.io.IOException
import java.nio.file.Path
import java.time.Instant
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter

/**
 * Writes a model with its weights as Keras 3.15.1 saves it: a `.keras` archive (`metadata.json`, `config.json`,
 * `model.weights.h5`, all stored) or a legacy `.h5` (`model_config`, and `model_weights` with `layer_names` and each
 * layer's `weight_names`), atomically.
 */
internal object ModelWriter {
    private const val KERAS_VERSION = "3.15.1"
    private val DATE_SAVED = DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss").withZone(ZoneOffset.UTC)

    /** Whether [target]'s name asks for a file with weights. */
    fun holdsWeights(target: Path): Boolean = target.fileName.toString().lowercase().let {
        it.endsWith(".keras") || it.endsWith(".h5") || it.endsWith(".hdf5")
    }

    /**
     * Writes the Keras 3 model [spec] with [weights] to [target], a `.keras` or `.h5` file by its name.
     *
     * @throws ConfigException if the name is neither, or [weights] do not fit [spec]'s variables, or an initializer
     *   cannot make its variable; the message starts with [target], and nothing is written
     * @throws IOException if [target] cannot be written; it is then unchanged
     */
    fun write(target: Path, spec: ModelSpec, weights: Weights, now: Instant = Instant.now()) {
        if (!holdsWeights(target)) {
            throw ConfigException("$target: weights are written to a .keras archive or a legacy .h5 file")
        }
        val values = try {
            weights.valuesFor(VariableLayout.of(spec))
        } catch (e: ConfigException) {
            throw ConfigException("$target: ${e.message}", e)
        }
        val config = KerasJson.text(spec.toJsonElement())
        try {
            // A file whose stored weights are written again is opened once for all of them.
            StoredFiles.open { ModelFiles.replaceAtomically(target) { temp -> write(temp, target, config, values, now) } }
        } catch (e: HdfWritingException) {
            throw (e.cause as? IOException)?.let { ModelFiles.cannotWrite(target, it) } ?: e
        } catch (e: ConfigException) {
            throw ConfigException("$target: ${e.message}", e)
        }
    }

    /** Writes the file [target] asks for into [temp]. */
    private fun write(temp: Path, target: Path, config: String, values: List<VariableValues>, now: Instant) {
        if (target.fileName.toString().lowercase().endsWith(".keras")) {
            val metadata = KerasJson.text(KerasJson.toElement(mapOf("keras_version" to KERAS_VERSION,
                "date_saved" to DATE_SAVED.format(now))))
            ArchiveWriter.write(temp, listOf("metadata.json" to metadata, "config.json" to config)
                .map { (name, text) -> name to text.toByteArray(Charsets.UTF_8) }, "model.weights.h5") { h5 ->
                keras3Weights(h5, values)
            }
        } else legacy(temp, config, values)
    }

    private fun keras3Weights(target: Path, values: List<VariableValues>) = Hdf5Writer.create(target).use { h5 ->
        for (v in values) {
            h5.dataset("${v.variable.group}/${v.variable.index}", v)
            h5.attribute(v.variable.group, "name", v.variable.groupName)
        }
    }

    private fun legacy(target: Path, config: String, values: List<VariableValues>) = Hdf5Writer.create(target).use { h5 ->
        for ((key, value) in listOf("backend" to "jax", "keras_version" to KERAS_VERSION)) {
            h5.attribute("", key, value)
            h5.attribute("model_weights", key, value)
        }
        h5.attribute("", "model_config", config)
        val layers = values.groupBy { it.variable.layer }
        if (layers.isNotEmpty()) h5.attribute("model_weights", "layer_names", layers.keys.toTypedArray())
        for ((layer, own) in layers) {
            h5.attribute("model_weights/$layer", "weight_names", own.map { it.variable.legacyName }.toTypedArray())
            for (v in own) h5.dataset("model_weights/$layer/${v.variable.legacyName}", v)
        }
    }
}
