package dev.kerb.model

import com.code_intelligence.jazzer.junit.FuzzTest
import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry

/**
 * Coverage-guided fuzz tests for every model reader of untrusted bytes. Each asserts the readers' contract: a result
 * or a [ConfigException], never another exception; `.ci/fuzz` bounds the heap and the time per input.
 *
 * A plain `mvn verify` runs each target on the inputs committed under `ReadersFuzzTestInputs/` (the crashes found so
 * far); `.ci/fuzz` fuzzes them, seeded from the repository's real Keras files.
 */
class ReadersFuzzTest {
    /** Model JSON in any format, then everything a user does with it: layers, constraints, conversion, summary, writing. */
    @FuzzTest
    fun modelJson(bytes: ByteArray) = badInputOnly { exercise(ModelSpec.parse(String(bytes, Charsets.UTF_8))) }

    /** A constraint as a `*_constraint` value or a CLI spec: a name, a dict in any Keras format, or null. */
    @FuzzTest
    fun constraintJson(bytes: ByteArray) = badInputOnly {
        val registry = ConstraintRegistry.defaultRegistry()
        val constraint = registry.constraintFromJson(String(bytes, Charsets.UTF_8)) ?: return@badInputOnly
        registry.constraintToJson(constraint)
    }

    /** A `.keras` archive: read it, use its spec and write it back, which copies every other entry. */
    @FuzzTest
    fun kerasArchive(bytes: ByteArray) = badInputOnly {
        val archive = KerasArchive.read(scratch.input(bytes, ".keras"))
        archive.write(scratch.output(".keras"), exercise(archive.spec()))
    }

    /** A legacy `.h5` model: its `model_config` attribute, read through jHDF. */
    @FuzzTest
    fun h5Config(bytes: ByteArray) = badInputOnly { exercise(ModelSpec.read(scratch.input(bytes, ".h5"))) }

    /** The weights of a `.keras` archive or a legacy `.h5` model: listed, read, checked and constrained into a copy. */
    @FuzzTest
    fun weights(bytes: ByteArray) = badInputOnly {
        val extension = if (bytes.size >= 2 && bytes[0] == 'P'.code.toByte() && bytes[1] == 'K'.code.toByte()) ".keras" else ".h5"
        dev.kerb.model.weights.WeightsFile.open(scratch.input(bytes, extension)).use { file ->
            for (weight in file.weights) if (weight.dtype.startsWith("float")) file.read(weight.name)
            file.check()
            file.constrain(scratch.output(extension))
        }
    }

    private fun exercise(spec: ModelSpec): ModelSpec {
        spec.layers().forEach { it.constraintKeys }
        spec.mapConstraints { it.constraint }
        for (format in listOf(ModelFormat.KERAS_2, ModelFormat.KERAS_3)) spec.convert(format).spec.toJson()
        spec.summary().let { it.toText(expandNested = true) + it.toJson() }
        return spec
    }

    private inline fun badInputOnly(read: () -> Unit) {
        try {
            read()
        } catch (expected: ConfigException) {
            // The contract's bad-input outcome.
        }
    }

    private companion object {
        val scratch = FuzzScratch()
    }
}
