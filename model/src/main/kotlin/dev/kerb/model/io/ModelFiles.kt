package dev.kerb.model.io

import dev.kerb.model.InternalKerbApi
import dev.kerb.registry.ConfigException
import kotlinx.serialization.json.JsonElement
import java.io.BufferedOutputStream
import java.io.IOException
import java.io.OutputStream
import java.nio.channels.Channels
import java.nio.channels.FileChannel
import java.nio.file.AccessDeniedException
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.FileSystemException
import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption
import java.util.zip.ZipException
import java.util.zip.ZipFile

/** Reads Keras model configs from files of every kind Keras and TensorFlow.js write, and writes files atomically. */
@InternalKerbApi
public object ModelFiles {
    /** Largest model config read, far beyond real configs (the corpus' largest is 193 KB), so input stays bounded. */
    public const val MAX_CONFIG_BYTES: Long = 256L shl 20

    /**
     * Reads a model file's JSON document: Keras 1/2/3 `model.to_json()` output, a Keras 2 `model_config`, a TF.js
     * `model.json`, a `.keras` archive (its `config.json`) or a legacy Keras `.h5` file (its `model_config`
     * attribute). The kind is found from the file's first bytes, not its name.
     *
     * @throws ConfigException if the file is not one Kerb reads: malformed JSON (with line and column), a zip without
     *   `config.json`, an HDF5 file without `model_config`, or a file larger than [MAX_CONFIG_BYTES]; the message
     *   starts with the file's path
     * @throws IOException if the file cannot be read
     */
    internal fun readDocument(path: Path): JsonElement {
        val text = when (magic(path)) {
            Magic.ZIP -> readArchiveConfig(path)
            Magic.HDF5 -> Hdf5Config.read(path)
            Magic.OTHER -> readText(path)
        }
        return try {
            KerasJson.parseElement(text)
        } catch (e: ConfigException) {
            throw ConfigException("$path: ${e.message}", e)
        }
    }

    /**
     * Writes a file atomically: [write] fills a temporary file beside [target], which is flushed to disk and then
     * moved over [target], so [target] is either its old self or completely written. Closing the stream given to
     * [write] is allowed and does not end the write.
     *
     * @throws FileSystemException naming [target] if it cannot be written (a read-only file system, a full disk);
     *   [target] is then unchanged and the temporary file removed
     * @throws IOException if [write] fails otherwise, with the same guarantee
     */
    @JvmStatic
    public fun writeAtomically(target: Path, write: (OutputStream) -> Unit): Unit = replaceAtomically(target) { temp ->
        FileChannel.open(temp, StandardOpenOption.WRITE).use { channel ->
            val out = TargetStream(channel)
            try {
                out.use(write)
            } catch (e: Exception) {
                throw out.failure?.let { cannotWrite(target, it) } ?: e
            }
        }
    }

    /**
     * Replaces a file atomically: [fill] writes the new contents into a temporary file beside [target] (by path, so
     * it may copy a file there and patch it), which is then flushed to disk and moved over [target].
     *
     * @throws FileSystemException naming [target] if it cannot be written; [target] is then unchanged and the
     *   temporary file removed
     * @throws IOException if [fill] fails otherwise, with the same guarantee
     */
    @JvmStatic
    public fun replaceAtomically(target: Path, fill: (Path) -> Unit) {
        val absolute = destination(target)
        val temp = sibling(absolute, target)
        Pending.add(temp)
        try {
            fill(temp)
            try {
                FileChannel.open(temp, StandardOpenOption.WRITE).use { it.force(true) }
            } catch (e: IOException) {
                throw cannotWrite(target, e)
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
            } catch (e: AtomicMoveNotSupportedException) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING)
            }
        } finally {
            Files.deleteIfExists(temp)
            Pending.remove(temp)
        }
    }

    /** The stream [writeAtomically] hands out; it remembers a failure to write, which is the target's, not the input's. */
    private class TargetStream(channel: FileChannel) : BufferedOutputStream(Channels.newOutputStream(channel), 1 shl 16) {
        var failure: IOException? = null

        private inline fun guard(block: () -> Unit) = try {
            block()
        } catch (e: IOException) {
            failure = e
            throw e
        }

        override fun write(b: Int) = guard { super.write(b) }
        override fun write(b: ByteArray, off: Int, len: Int) = guard { super.write(b, off, len) }
        override fun flush() = guard { super.flush() }
        override fun close() = flush() // the channel stays open until it is forced to disk
    }

    /** [target] could not be written for [cause], such as a read-only file system or a full disk. */
    internal fun cannotWrite(target: Path, cause: IOException): FileSystemException {
        val why = ((cause as? FileSystemException)?.reason ?: cause.message ?: cause.javaClass.simpleName)
            .replaceFirstChar { it.lowercaseChar() }
        return FileSystemException(target.toString(), null, "cannot be written: $why").apply { initCause(cause) }
    }

    /**
     * Checks that [path] names a regular file (links followed) before it is read, so that a read is bounded by the
     * file's size: folders, devices, pipes and sockets are refused. A missing file is left to the read to report.
     *
     * @throws FileSystemException naming the path and what it is
     */
    @JvmStatic
    public fun requireRegularFile(path: Path) {
        if (Files.isDirectory(path)) throw FileSystemException(path.toString(), null, "is a folder; expected a file")
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw FileSystemException(path.toString(), null, "is not a regular file (a device, pipe or socket); " +
                "expected a file")
        }
    }

    /**
     * Where a write to [target] lands: a symbolic link is followed to the file it names, so the link stays a link; a
     * folder (or an empty name, or one ending in `/`), a device, a pipe or a missing parent folder is refused.
     */
    private fun destination(target: Path): Path {
        val text = target.toString()
        if (text.isEmpty() || text.endsWith("/") || Files.isDirectory(target)) {
            throw FileSystemException(text.ifEmpty { "\"\"" }, null, "is a folder; expected a file name to write")
        }
        val absolute = (if (Files.isSymbolicLink(target) && Files.exists(target)) target.toRealPath() else target)
            .toAbsolutePath()
        if (Files.exists(absolute) && !Files.isRegularFile(absolute)) {
            throw FileSystemException(text, null, "is not a regular file (a device, pipe or socket); Kerb writes " +
                "files, atomically")
        }
        val parent = absolute.parent
        if (!Files.isDirectory(parent)) {
            throw NoSuchFileException(parent.toString(), null, "the folder to write $text in does not exist")
        }
        return absolute
    }

    /**
     * A new file beside [target] to write into, with the permissions [target] has, or, for a new file, the default
     * ones the umask leaves (not the 0600 of a temporary file). Errors name [named], the target as the user gave it.
     */
    private fun sibling(target: Path, named: Path): Path {
        val random = java.util.concurrent.ThreadLocalRandom.current()
        var temp: Path
        while (true) {
            temp = target.resolveSibling(".${target.fileName}.${java.lang.Long.toUnsignedString(random.nextLong(), 36)}.tmp")
            try {
                Files.createFile(temp)
                break
            } catch (e: java.nio.file.FileAlreadyExistsException) {
                continue
            } catch (e: AccessDeniedException) {
                throw AccessDeniedException(named.toString()).apply { initCause(e) }
            } catch (e: FileSystemException) {
                throw cannotWrite(named, e)
            }
        }
        if (Files.exists(target)) {
            try {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target))
            } catch (e: UnsupportedOperationException) {
                // not a POSIX file system: the default permissions stay
            }
        }
        return temp
    }

    /**
     * Temporary files being written, deleted by a shutdown hook if the JVM exits before the write ends (Ctrl-C,
     * SIGTERM, System.exit), so that an interrupted write leaves nothing behind.
     */
    private object Pending {
        private val files = java.util.concurrent.ConcurrentHashMap.newKeySet<Path>()

        init {
            Runtime.getRuntime().addShutdownHook(
                Thread({ files.forEach { Files.deleteIfExists(it) } }, "kerb-temp-cleanup"))
        }

        fun add(file: Path) {
            files.add(file)
        }

        fun remove(file: Path) {
            files.remove(file)
        }
    }

    /** What a file's first bytes say it is. */
    internal enum class Magic { ZIP, HDF5, OTHER }

    /** Returns whether the file starts as a zip archive (a `.keras` file) does. */
    internal fun isZip(path: Path): Boolean = magic(path) == Magic.ZIP

    /** Returns what [path]'s first bytes say it is: a zip archive (`.keras`), an HDF5 file (`.h5`) or other. */
    internal fun magic(path: Path): Magic = Files.newInputStream(path.also(::requireRegularFile)).use { input ->
        val head = input.readNBytes(8)
        when {
            head.size >= 4 && head.copyOf(4).contentEquals(byteArrayOf(0x50, 0x4b, 3, 4)) -> Magic.ZIP
            head.contentEquals(byteArrayOf(0x89.toByte(), 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a)) -> Magic.HDF5
            else -> Magic.OTHER
        }
    }

    private fun readText(path: Path): String {
        val size = Files.size(path)
        if (size > MAX_CONFIG_BYTES) {
            throw ConfigException("$path is $size bytes; Kerb reads model configs of up to $MAX_CONFIG_BYTES bytes")
        }
        return try {
            Files.readString(path)
        } catch (e: java.nio.charset.CharacterCodingException) {
            throw ConfigException("$path is neither UTF-8 JSON, a .keras (zip) archive nor a Keras .h5 file", e)
        }
    }

    private fun readArchiveConfig(path: Path): String = try {
        ZipFile(path.toFile()).use { zip -> archiveConfigText(zip, path) }
    } catch (e: ZipException) {
        throw ConfigException("$path is not a readable zip archive: ${e.message}", e)
    }

    /** Returns an archive's `config.json` text, or fails as a zip without one. */
    internal fun archiveConfigText(zip: ZipFile, path: Path): String = entryText(zip, "config.json", path)
        ?: throw ConfigException("$path is a zip archive without config.json; expected a .keras archive")

    /** Returns a zip entry's UTF-8 text, up to [MAX_CONFIG_BYTES], or null if the archive has no such entry. */
    internal fun entryText(zip: ZipFile, name: String, path: Path): String? {
        val entry = zip.getEntry(name) ?: return null
        return zip.getInputStream(entry).use { input ->
            val bytes = input.readNBytes((MAX_CONFIG_BYTES + 1).toInt())
            if (bytes.size > MAX_CONFIG_BYTES) {
                throw ConfigException("$path $name is larger than $MAX_CONFIG_BYTES bytes")
            }
            String(bytes, Charsets.UTF_8)
        }
    }

    /** Returns a name from a file as short as a one-line message needs: at most 200 characters. */
    internal fun shortName(name: String): String = if (name.length <= 200) name else name.take(200) + "..."
}
