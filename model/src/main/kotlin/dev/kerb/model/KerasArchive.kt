package dev.kerb.model

import dev.kerb.model.io.KerasJson
import dev.kerb.model.io.ModelFiles
import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.io.EOFException
import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.nio.file.Path
import java.time.Instant
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.util.zip.CRC32
import java.util.zip.ZipEntry
import java.util.zip.ZipException
import java.util.zip.ZipFile
import java.util.zip.ZipOutputStream

/**
 * A Keras 3 `.keras` archive: its `config.json` (the model), its `metadata.json` and the names of its other entries
 * (weights, assets), which Kerb never interprets. Immutable; [write] reads the source archive again to copy them.
 *
 * @property path the archive
 * @property config the model, `config.json`
 * @property metadata `metadata.json` (`keras_version`, `date_saved`), empty if the archive has none
 * @property entries every entry's name, in archive order
 */
public class KerasArchive private constructor(
    public val path: Path,
    public val config: JsonObject,
    public val metadata: JsonObject,
    public val entries: List<String>,
    private val registry: ConstraintRegistry?,
) {
    /** Returns the model config as a spec, resolving constraint names with the registry the archive was read with. */
    public fun spec(): ModelSpec = ModelSpec.of(config, path.toString(), SpecOrigin(registry, archive = path, file = path.toString()))

    /**
     * Writes a copy of this archive to [target] with [model] as its `config.json`: `metadata.json` gets today's
     * `date_saved` (other keys kept) and every other entry is copied byte for byte, in the same order. The archive is
     * written to a temporary file beside [target] and moved over it, so [target] is never half-written, and may be
     * this archive's own path.
     *
     * @throws IllegalArgumentException if [model] is not a Keras 3 model (a `.keras` archive holds only those)
     * @throws IOException if this archive cannot be read again or [target] cannot be written; [target] is unchanged
     */
    @JvmOverloads
    public fun write(target: Path, model: ModelSpec, now: Instant = Instant.now()) {
        require(model.format == ModelFormat.KERAS_3) {
            "a .keras archive holds a Keras 3 model config, not ${model.format}; convert it to KERAS_3 first"
        }
        ModelFiles.writeAtomically(target) { out -> writeTo(out, model, now) }
    }

    /** Writes the archive [write] describes to [out]. */
    internal fun writeTo(out: OutputStream, model: ModelSpec, now: Instant = Instant.now()) {
        val stamped = JsonObject(metadata + ("date_saved" to JsonPrimitive(DATE_SAVED.format(now))))
        ZipOutputStream(out).use { zip ->
            ZipFile(path.toFile()).use { source ->
                val names = if (METADATA in entries) entries else listOf(METADATA) + entries
                for (name in names) {
                    val entry = source.getEntry(name)
                    val bytes = when (name) {
                        METADATA -> json(stamped)
                        CONFIG -> json(model.toJsonElement())
                        else -> null
                    }
                    if (bytes != null) putEntry(zip, ZipEntry(name).apply { entry?.let { method = it.method } }, bytes)
                    else copyEntry(zip, source, checkNotNull(entry) { "$path lost its entry $name" }, path)
                }
            }
        }
    }

    override fun toString(): String = "KerasArchive($path, entries $entries)"

    /** Reading archives. */
    public companion object {
        private const val CONFIG = "config.json"
        private const val METADATA = "metadata.json"

        /** Keras' own `date_saved` format, `%Y-%m-%d@%H:%M:%S`. */
        private val DATE_SAVED = DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss").withZone(ZoneOffset.UTC)

        /**
         * Reads an archive's config, metadata and entry names.
         *
         * @param registry resolves the model's constraint names in [spec] (default: the default registry)
         * @throws ConfigException if the file is not a zip archive, has no `config.json`, or holds malformed JSON;
         *   the message starts with its path
         * @throws IOException if it cannot be read
         */
        @JvmStatic
        @JvmOverloads
        public fun read(path: Path, registry: ConstraintRegistry? = null): KerasArchive {
            ModelFiles.requireRegularFile(path)
            class Texts(val entries: List<String>, val config: String, val metadata: String?)
            val texts = try {
                ZipFile(path.toFile()).use { zip ->
                    Texts(zip.entries().asSequence().map { it.name }.toList(), ModelFiles.archiveConfigText(zip, path),
                        ModelFiles.entryText(zip, METADATA, path))
                }
            } catch (e: ZipException) {
                throw ConfigException("$path is not a .keras archive (not a readable zip file: ${e.message})", e)
            } catch (e: EOFException) {
                throw ConfigException("$path is not a .keras archive (an entry ends early: ${e.message})", e)
            }
            texts.entries.groupingBy { it }.eachCount().entries.firstOrNull { it.value > 1 }?.let { (name, count) ->
                throw ConfigException("$path holds the entry ${ModelFiles.shortName(name)} $count times; expected " +
                    "each entry once, as Keras writes them")
            }
            val config = parse(texts.config, "$path") as? JsonObject
                ?: throw ConfigException("$path config.json holds no Keras model config object")
            val metadata = texts.metadata?.let { text ->
                parse(text, "$path metadata.json") as? JsonObject
                    ?: throw ConfigException("$path metadata.json is not a JSON object")
            } ?: JsonObject(emptyMap())
            return KerasArchive(path, config, metadata, texts.entries, registry)
        }

        private fun parse(text: String, where: String): JsonElement = try {
            KerasJson.parseElement(text)
        } catch (e: ConfigException) {
            throw ConfigException("$where: ${e.message}", e)
        }

        private fun json(element: JsonElement): ByteArray =
            KerasJson.text(element).toByteArray(Charsets.UTF_8)

        private fun putEntry(zip: ZipOutputStream, entry: ZipEntry, bytes: ByteArray) {
            if (entry.method == ZipEntry.STORED) {
                entry.size = bytes.size.toLong()
                entry.compressedSize = bytes.size.toLong()
                entry.crc = CRC32().apply { update(bytes) }.value
            }
            zip.putNextEntry(entry)
            zip.write(bytes)
            zip.closeEntry()
        }

        /** Deflate's largest expansion: a 258-byte match costs at least about 2 bits. */
        private const val MAX_DEFLATE_RATIO = 1032L

        /**
         * Copies an entry's bytes unchanged, stored entries stored, others deflated, each with the size and CRC the
         * archive's directory records. A deflated entry is inflated no further than its recorded size, and a recorded
         * size deflate cannot reach from the entry's compressed size is refused, so that copying a zip bomb stops at
         * once instead of writing terabytes.
         *
         * @throws ConfigException if the entry's data is damaged: it does not inflate, or its size or CRC is not the
         *   one [archive]'s directory records
         */
        private fun copyEntry(zip: ZipOutputStream, source: ZipFile, entry: ZipEntry, archive: Path) {
            val copy = ZipEntry(entry.name).apply {
                method = entry.method
                size = entry.size
                crc = entry.crc
                if (entry.method == ZipEntry.STORED) compressedSize = entry.size
                entry.lastModifiedTime?.let { lastModifiedTime = it }
            }
            zip.putNextEntry(copy)
            try {
                if (entry.method != ZipEntry.STORED && entry.size > MAX_DEFLATE_RATIO * maxOf(entry.compressedSize, 1)) {
                    throw ZipException("it records ${entry.size} bytes deflated into ${entry.compressedSize}, more " +
                        "than deflate can hold")
                }
                source.getInputStream(entry).use { copyAtMost(it, zip, entry.size) }
                zip.closeEntry() // checks the entry's size and CRC against the directory's
            } catch (e: IOException) {
                if (e !is ZipException && e !is EOFException) throw e
                throw ConfigException("$archive entry ${ModelFiles.shortName(entry.name)} is damaged (${e.message}); " +
                    "expected a .keras archive as Keras writes it", e)
            }
        }

        private fun copyAtMost(input: InputStream, output: OutputStream, limit: Long) {
            val buffer = ByteArray(1 shl 16)
            var total = 0L
            while (true) {
                val n = input.read(buffer)
                if (n < 0) return
                total += n
                if (total > limit) throw ZipException("it holds more than the $limit bytes its directory records")
                output.write(buffer, 0, n)
            }
        }
    }
}
