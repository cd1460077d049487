package dev.kerb.model

import dev.kerb.model.io.ModelFiles
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
        if (!target.fileName.toString().endsWith(".keras")) {
            ModelFiles.writeAtomically(target) { it.write(spec.toJson(prettyPrint = true).toByteArray(Charsets.UTF_8)) }
            return emptyList()
        }
        val source = requireNotNull(spec.origin.archive) {
            "$target: a .keras archive holds the model's weights, and this model was not read from a .keras " +
                "archive; write it to a .json file, or read the model from its .keras archive"
        }
        val (keras3, warnings) = spec.convert(ModelFormat.KERAS_3)
        KerasArchive.read(source).write(target, keras3)
        return warnings
    }
}
