package dev.kerb.model

import dev.kerb.model.io.ModelFiles
import dev.kerb.model.weights.ModelWriter
import dev.kerb.registry.ConstraintRegistry
import java.nio.file.Path

/**
 * Where a spec came from, carried through its edits and conversions: the registry it resolves names with (null: the
 * default registry) and the `.keras` archive it was read from, whose weights [ModelSpec.write] copies.
 */
internal data class SpecOrigin(val registry: ConstraintRegistry?, val archive: Path?, val file: String? = null)

/** Reads specs from model files and writes them, JSON or `.keras`, for [ModelSpec.read] and [ModelSpec.write]. */
internal object SpecFiles {
    fun read(path: Path, registry: ConstraintRegistry?): ModelSpec =
        if (ModelFiles.isZip(path)) KerasArchive.read(path, registry).spec()
        else ModelSpec.of(ModelFiles.readDocument(path), path.toString(), SpecOrigin(registry, archive = null, file = path.toString()))

    fun write(spec: ModelSpec, target: Path): List<String> {
        if (!ModelWriter.holdsWeights(target)) {
            ModelFiles.writeAtomically(target) { it.write(spec.toJson(prettyPrint = true).toByteArray(Charsets.UTF_8)) }
            return emptyList()
        }
        val (keras3, warnings) = spec.convert(ModelFormat.KERAS_3)
        val source = spec.origin.archive
        if (source != null && target.fileName.toString().lowercase().endsWith(".keras")) {
            KerasArchive.read(source).write(target, keras3)
            return warnings
        }
        write(keras3, target, Weights.of(spec))
        return warnings
    }

    /** The file [spec] was read from, when it holds weights: a `.keras` archive or a legacy `.h5` model. */
    fun weightsFile(spec: ModelSpec): Path? = spec.origin.file?.let(Path::of)
        ?.takeIf { spec.origin.archive != null || ModelFiles.magic(it) == ModelFiles.Magic.HDF5 }

    fun write(spec: ModelSpec, target: Path, weights: Weights) =
        ModelWriter.write(target, spec.convert(ModelFormat.KERAS_3).spec, weights)
}
