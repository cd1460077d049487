package dev.kerb.model.weights

import dev.kerb.core.ApplyOptions
import dev.kerb.core.Tensor
import dev.kerb.model.AppliedConstraint
import dev.kerb.model.KerasArchive
import dev.kerb.model.ModelSpec
import dev.kerb.model.constraintPlan
import dev.kerb.model.io.ModelFiles
import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.model.io.Hdf5Config
import dev.kerb.model.summary.WeightShapes
import io.jhdf.HdfFile
import java.io.IOException
import java.nio.ByteOrder
import java.nio.channels.FileChannel
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import java.util.zip.ZipEntry

/**
 * The weights inside a Keras file, a `.keras` archive or a legacy `.h5` model, by Keras variable path, with the model
 * whose constraints govern them. Values are read lazily, one weight at a time; the file is never modified.
 *
 * ```
 * WeightsFile.open(Path.of("model.keras")).use { file ->
 *     file.check().filter { !it.holds }.forEach(::println)
 *     file.constrain(Path.of("constrained.keras"))
 * }
 * ```
 *
 * @property path the file
 * @property spec the model config stored with the weights
 * @property weights every stored weight, in file order
 */
public class WeightsFile private constructor(
    public val path: Path,
    public val spec: ModelSpec,
    public val weights: List<StoredWeight>,
    private val channel: FileChannel,
    private val hdf: HdfFile,
    /** The weights entry of a `.keras` archive, or null for a legacy `.h5`. */
    private val entry: ZipEntryLayout?,
) : AutoCloseable {
    private val byName = weights.associateBy { it.name }

    /**
     * Returns a weight by its Keras variable path.
     *
     * @throws IllegalArgumentException if the file has no such weight; the message lists the ones it has
     */
    public fun weight(name: String): StoredWeight = byName[name]
        ?: throw IllegalArgumentException("$path has no weight '$name'; it has ${weights.joinToString { it.name }}")

    /**
     * Reads a weight's values into a new float32 or float64 tensor.
     *
     * @throws IllegalArgumentException if there is no such weight
     * @throws ConfigException if the weight is not float32 or float64
     * @throws IOException if the file cannot be read
     */
    public fun read(name: String): Tensor {
        val weight = weight(name)
        requireFloat(weight)
        if (weight.offset < 0) { // not one plain run of values: jHDF decodes it
            val data = hdf5(path) { hdf.getDatasetByPath(weight.dataset).dataFlat }
            return when {
                data is FloatArray && data.size == weight.shape.size() -> Tensor.of(data, weight.shape)
                data is DoubleArray && data.size == weight.shape.size() -> Tensor.of(data, weight.shape)
                else -> throw ConfigException("$path weight $name (${weight.dataset}) is stored in a form Kerb cannot " +
                    "read as ${weight.dtype} ${weight.shape}")
            }
        }
        return WeightBytes.read(channel, weight).tensor()
    }

    /** Reads an integer weight (Normalization's int32 `count`) into a new float32 tensor, as Kerb keeps it. */
    internal fun readInteger(name: String): Tensor {
        val weight = weight(name)
        val values = when (val data = hdf5(path) { hdf.getDatasetByPath(weight.dataset).dataFlat }) {
            is IntArray -> data.map { it.toFloat() }
            is LongArray -> data.map { it.toFloat() }
            is Number -> listOf(data.toFloat())
            else -> throw ConfigException("$path weight $name is ${weight.dtype}; Kerb reads it as integers")
        }
        return Tensor.of(values.toFloatArray(), weight.shape)
    }

    /**
     * Measures how far every constrained weight is from satisfying its constraint.
     *
     * @param tolerance the largest relative distance `||w - c(w)|| / ||w||` at which a constraint still holds
     * @throws ConfigException if a stored weight's shape is not the one the model config gives it (the layer
     *   catalog's), or a constrained weight is not float32 or float64, or a constraint cannot apply to its
     *   weight's shape, or is not registered
     */
    @JvmOverloads
    public fun check(tolerance: Double = 1e-6): List<ConstraintCheck> = plan(spec).flatMap { applied ->
        applied.weights.map { name -> ConstraintCheck.of(applied.constraint, name, read(name), tolerance) }
    }

    /**
     * Writes a copy of this file to [output] with every constraint of [model] applied to its weights, as an optimizer
     * step would. Every constraint, shape and dtype is checked before anything is written; [output] is written
     * atomically, and every byte but the projected values (and a `.keras` archive's CRCs, and the config when [model]
     * is not [spec]) is the input's.
     *
     * @param model the constraints to apply and, for a `.keras` archive, the config to store; by default [spec]
     * @return one entry per constraint, with the weights it was applied to
     * @throws ConfigException if a stored weight's shape is not the one [model] gives it (the layer catalog's), or a
     *   constrained weight is not float32 or float64, or not stored as one plain run of
     *   values, or a constraint cannot apply to its weight's shape, or is not registered, or, in a legacy `.h5`,
     *   [model]'s config written compactly is longer than the stored one (which is rewritten in place)
     * @throws IOException if [output] cannot be written; it is then unchanged
     */
    @JvmOverloads
    public fun constrain(output: Path, model: ModelSpec = spec, options: ApplyOptions = ApplyOptions.DEFAULT):
        List<AppliedConstraint> {
        val edited = model != spec
        val configPatch = if (edited && entry == null) legacyConfigPatch(model) else null
        val plan = plan(model)
        for (applied in plan) for (name in applied.weights) {
            val weight = weight(name)
            requireFloat(weight)
            weight.unpatchable?.let { throw ConfigException("$path weight $name (${weight.dataset}) cannot be " +
                "projected in place: $it") }
        }
        // Each weight once, with every constraint on it in file order, in the order the weights lie in the file.
        val targets = plan.flatMap { applied -> applied.weights.map { weight(it) to applied } }
            .groupBy({ it.first }, { it.second }).entries.sortedBy { it.key.offset }
        ModelFiles.replaceAtomically(output) { temp ->
            try {
                val archiveEdited = edited && entry != null
                if (archiveEdited) java.nio.file.Files.newOutputStream(temp).use { KerasArchive.read(path).writeTo(it, model) }
                FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE).use { out ->
                    // An edited archive is written whole first and its weights entry may have moved; a copy is made
                    // in one pass, the bytes between the projected weights copied by the kernel.
                    val shift = if (!archiveEdited) 0L else {
                        val moved = ZipLayout.entry(out, temp, WEIGHTS) ?: error("$temp lost its $WEIGHTS")
                        moved.dataOffset - entry.dataOffset
                    }
                    if (!archiveEdited) {
                        var copied = 0L
                        for (weight in targets.map { it.key }) {
                            WeightBytes.copy(channel, out, copied, weight.offset)
                            copied = maxOf(copied, weight.offset + byteSize(weight))
                        }
                        WeightBytes.copy(channel, out, copied, channel.size())
                    }
                    inParallel(targets) { (weight, constraints) ->
                        val values = WeightBytes.read(channel, weight)
                        for (applied in constraints) applied.constraint.constraint.apply(values.tensor(), options)
                        WeightBytes.write(out, weight.offset + shift, values)
                    }
                    configPatch?.let { (offset, bytes) -> out.write(java.nio.ByteBuffer.wrap(bytes), offset) }
                    if (entry != null) WeightBytes.rewriteCrc(out, checkNotNull(ZipLayout.entry(out, temp, WEIGHTS)))
                }
            } catch (e: java.nio.file.FileSystemException) {
                throw e
            } catch (e: IOException) {
                throw ModelFiles.cannotWrite(output, e)
            }
        }
        return plan
    }

    override fun close() {
        try {
            Hdf5Config.close(hdf)
        } finally {
            channel.close()
        }
    }

    override fun toString(): String = "WeightsFile($path, ${weights.size} weights)"

    private fun plan(model: ModelSpec): List<AppliedConstraint> {
        WeightShapes.firstMisfit(model, weights.associate { it.name to it.shape.dims() })?.let {
            throw ConfigException("$path: $it")
        }
        return constraintPlan(model, byName.keys).onEach(::checkShapes)
    }

    private fun checkShapes(applied: AppliedConstraint) {
        for (name in applied.weights) {
            try {
                applied.constraint.constraint.check(weight(name).shape)
            } catch (e: ConfigException) {
                throw e
            } catch (e: IllegalArgumentException) {
                throw ConfigException("$path: cannot apply ${applied.constraint.key} of layer " +
                    "'${applied.constraint.layer}' to weight '$name': ${e.message}", e)
            }
        }
    }

    /**
     * Where a legacy `.h5` stores its `model_config` text, and [model]'s config to write there instead: compact JSON,
     * padded with spaces to the same length (JSON allows trailing whitespace), so that no other byte moves.
     */
    private fun legacyConfigPatch(model: ModelSpec): Pair<Long, ByteArray> {
        val original = dev.kerb.model.io.Hdf5Config.read(path).toByteArray(Charsets.UTF_8)
        val replacement = dev.kerb.model.io.KerasJson.text(model.toJsonElement()).toByteArray(Charsets.UTF_8)
        if (replacement.size > original.size) {
            throw ConfigException("$path: the edited model config is ${replacement.size} bytes, more than the " +
                "${original.size} its model_config attribute holds; convert the model to .keras to edit it")
        }
        val (offset, again) = WeightBytes.find(channel, original)
            ?: throw ConfigException("$path stores its model_config attribute in a form Kerb cannot rewrite in place")
        if (again) throw ConfigException("$path holds its model_config text twice; Kerb cannot tell which to rewrite")
        return offset to replacement.copyOf(original.size).also { it.fill(' '.code.toByte(), replacement.size, it.size) }
    }

    /**
     * Runs [work] on every item, one item per core at a time, so that reading, projecting and writing overlap while
     * memory stays bounded by the largest weight per core; rethrows the first failure.
     */
    private fun <T> inParallel(items: List<T>, work: (T) -> Unit) {
        val threads = minOf(Runtime.getRuntime().availableProcessors(), items.size).coerceAtLeast(1)
        val pool = java.util.concurrent.Executors.newFixedThreadPool(threads) { task ->
            Thread(task, "kerb-constrain").apply { isDaemon = true }
        }
        try {
            for (future in items.map { item -> pool.submit { work(item) } }) {
                try {
                    future.get()
                } catch (e: java.util.concurrent.ExecutionException) {
                    throw e.cause ?: e
                }
            }
        } finally {
            pool.shutdownNow()
        }
    }

    private fun requireFloat(weight: StoredWeight) {
        if (!isFloat(weight)) {
            throw ConfigException("$path weight ${weight.name} is ${weight.dtype}; Kerb reads and projects float32 " +
                "and float64 weights")
        }
    }

    /** Public entry points. */
    public companion object {
        private const val WEIGHTS = "model.weights.h5"

        /**
         * Opens a `.keras` archive or a legacy `.h5` model and lists its weights.
         *
         * @param registry resolves the model's constraint names (default: the default registry)
         * @throws ConfigException if the file is not a Keras model with weights Kerb reads (no weights, a compressed
         *   or damaged weights entry, a damaged HDF5 file); the message starts with the path
         * @throws IOException if the file cannot be read
         */
        @JvmStatic
        @JvmOverloads
        public fun open(path: Path, registry: ConstraintRegistry? = null): WeightsFile {
            val spec = ModelSpec.read(path, registry)
            val channel = FileChannel.open(path, StandardOpenOption.READ)
            try {
                val magic = ModelFiles.magic(path)
                val archive = magic == ModelFiles.Magic.ZIP
                if (magic == ModelFiles.Magic.OTHER) {
                    throw ConfigException("$path is a model config without weights; expected a .keras archive or a " +
                        "legacy .h5 model")
                }
                val entry = if (archive) {
                    ZipLayout.entry(channel, path, WEIGHTS)
                        ?: throw ConfigException("$path holds no $WEIGHTS; expected a .keras archive saved with weights")
                } else null
                if (entry != null && entry.method != ZipEntry.STORED) {
                    throw ConfigException("$path stores $WEIGHTS compressed; Kerb reads it as Keras writes it, stored")
                }
                if (entry != null && entry.size != entry.compressedSize) {
                    throw ConfigException("$path is a damaged zip archive ($WEIGHTS is stored, but records " +
                        "${entry.size} bytes in ${entry.compressedSize})")
                }
                val hdf = hdf5(path) { Hdf5Config.open(channel, entry?.dataOffset ?: 0L, entry?.size ?: channel.size()) }
                val weights = hdf5(path) {
                    if (entry == null) KerasVariables.legacy(hdf) else KerasVariables.keras3(hdf, spec.model, entry.dataOffset)
                }
                if (weights.isEmpty()) throw ConfigException("$path holds no weights")
                val end = if (entry == null) channel.size() else entry.dataOffset + entry.size
                weights.firstOrNull { it.offset >= 0 && isFloat(it) && it.offset + byteSize(it) > end }?.let {
                    throw ConfigException("$path weight ${it.name} (${it.dataset}) runs past the end of its HDF5 file")
                }
                return WeightsFile(path, spec, weights, channel, hdf, entry)
            } catch (e: Throwable) {
                channel.close()
                throw e
            }
        }

        private fun isFloat(weight: StoredWeight) = weight.dtype == "float32" || weight.dtype == "float64"

        private fun byteSize(weight: StoredWeight): Long =
            weight.shape.size().toLong() * if (weight.dtype == "float32") 4 else 8

        /** Runs a jHDF read, reporting a damaged file as bad input naming it. */
        private inline fun <T> hdf5(path: Path, read: () -> T): T =
            Hdf5Config.reading({ why -> "$path holds a damaged HDF5 weights file ($why)" }, read)
    }
}
