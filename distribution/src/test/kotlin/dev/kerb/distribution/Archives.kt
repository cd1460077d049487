package dev.kerb.distribution

import org.apache.commons.compress.archivers.tar.TarArchiveInputStream
import org.apache.commons.compress.archivers.zip.ZipFile
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.zip.GZIPInputStream
import kotlin.io.path.createDirectories
import kotlin.io.path.div
import kotlin.io.path.inputStream
import kotlin.io.path.outputStream

/** Reads the distribution archives with their Unix modes, as `unzip` and `tar` would. */
object Archives {
    /** Unpacks [zip] into [target], keeping each file's mode; returns each file's name and mode. */
    fun unzip(zip: Path, target: Path): Map<String, Int> {
        val entries = sortedMapOf<String, Int>()
        ZipFile.builder().setPath(zip).get().use { file ->
            for (entry in file.entries) {
                val out = target.resolve(entry.name).normalize()
                check(out.startsWith(target)) { "$zip: entry ${entry.name} leaves the target folder" }
                if (entry.isDirectory) {
                    out.createDirectories()
                    continue
                }
                val mode = entry.unixMode and 0x1ff
                entries[entry.name] = mode
                out.parent.createDirectories()
                file.getInputStream(entry).use { input -> out.outputStream().use { input.copyTo(it) } }
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(permissions(mode)))
            }
        }
        return entries
    }

    /** Returns each file's name and mode in [tarGz], without unpacking it. */
    fun tarGzEntries(tarGz: Path): Map<String, Int> {
        val entries = sortedMapOf<String, Int>()
        TarArchiveInputStream(GZIPInputStream(tarGz.inputStream().buffered())).use { tar ->
            while (true) {
                val entry = tar.nextEntry ?: break
                if (!entry.isDirectory) entries[entry.name] = entry.mode and 0x1ff
            }
        }
        return entries
    }

    private fun permissions(mode: Int): String =
        (8 downTo 0).joinToString("") { bit -> if (mode and (1 shl bit) == 0) "-" else "rwxrwxrwx"[8 - bit].toString() }
}
