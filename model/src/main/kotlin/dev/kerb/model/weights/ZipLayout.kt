package dev.kerb.model.weights

import dev.kerb.registry.ConfigException
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.channels.FileChannel
import java.nio.file.Path

/**
 * Where one zip entry's bytes and CRC fields lie in the archive file (APPNOTE 6.3: local header, central directory,
 * zip64 extra field), which `java.util.zip` does not tell, so that a stored entry can be read and patched in place.
 *
 * @property dataOffset where the entry's data starts in the file
 * @property localCrcOffset where the local header's CRC-32 is
 * @property centralCrcOffset where the central directory's CRC-32 is
 * @property descriptorCrcOffset where the data descriptor's CRC-32 is, if the entry has one
 */
internal class ZipEntryLayout(
    val name: String,
    val method: Int,
    val size: Long,
    val compressedSize: Long,
    val dataOffset: Long,
    val localCrcOffset: Long,
    val centralCrcOffset: Long,
    val descriptorCrcOffset: Long?,
)

/** Reads a zip archive's central directory. */
internal object ZipLayout {
    private const val END = 0x06054b50
    private const val END64_LOCATOR = 0x07064b50
    private const val CENTRAL = 0x02014b50
    private const val LOCAL = 0x04034b50

    /** Returns the layout of the entry named [name] in [zip]. @throws ConfigException if the archive is damaged */
    fun entry(channel: FileChannel, zip: Path, name: String): ZipEntryLayout? {
        val size = channel.size()
        val tailLength = minOf(size, 22L + 0xffff).toInt()
        val tail = read(channel, zip, size - tailLength, tailLength)
        val end = (tailLength - 22 downTo 0).firstOrNull { tail.getInt(it) == END }
            ?: throw damaged(zip, "no end of central directory record")
        var entries = tail.getShort(end + 10).toLong() and 0xffff
        var directory = tail.getInt(end + 16).toLong() and 0xffffffffL
        if (end >= 20 && tail.getInt(end - 20) == END64_LOCATOR) {
            val end64 = read(channel, zip, tail.getLong(end - 12), 56)
            entries = end64.getLong(32)
            directory = end64.getLong(48)
        }
        var at = directory
        repeat(minOf(entries, 1L shl 20).toInt()) {
            val header = read(channel, zip, at, 46)
            if (header.getInt(0) != CENTRAL) throw damaged(zip, "a broken central directory at byte $at")
            val flags = header.getShort(8).toInt()
            val nameLength = header.getShort(28).toInt() and 0xffff
            val extraLength = header.getShort(30).toInt() and 0xffff
            val commentLength = header.getShort(32).toInt() and 0xffff
            val variable = read(channel, zip, at + 46, nameLength + extraLength)
            val entryName = String(ByteArray(nameLength).also { variable.get(0, it) }, Charsets.UTF_8)
            if (entryName == name) {
                var compressed = header.getInt(20).toLong() and 0xffffffffL
                var uncompressed = header.getInt(24).toLong() and 0xffffffffL
                var local = header.getInt(42).toLong() and 0xffffffffL
                zip64(variable, nameLength, extraLength)?.let { extra ->
                    if (uncompressed == 0xffffffffL) uncompressed = extra.long()
                    if (compressed == 0xffffffffL) compressed = extra.long()
                    if (local == 0xffffffffL) local = extra.long()
                }
                val localHeader = read(channel, zip, local, 30)
                if (localHeader.getInt(0) != LOCAL) throw damaged(zip, "no local header for $name at byte $local")
                val data = local + 30 + (localHeader.getShort(26).toInt() and 0xffff) +
                    (localHeader.getShort(28).toInt() and 0xffff)
                if (data + compressed > size) throw damaged(zip, "entry $name ends past the end of the file")
                val descriptor = if (flags and 8 != 0) {
                    val signed = read(channel, zip, data + compressed, 4).getInt(0) == 0x08074b50
                    data + compressed + if (signed) 4 else 0
                } else null
                return ZipEntryLayout(name, header.getShort(10).toInt() and 0xffff, uncompressed, compressed, data,
                    local + 14, at + 16, descriptor)
            }
            at += 46L + nameLength + extraLength + commentLength
        }
        return null
    }

    /** The zip64 extended information extra field (id 1), positioned at its first value, if the entry has one. */
    private fun zip64(variable: ByteBuffer, nameLength: Int, extraLength: Int): Values? {
        var at = nameLength
        while (at + 4 <= nameLength + extraLength) {
            val id = variable.getShort(at).toInt() and 0xffff
            val length = variable.getShort(at + 2).toInt() and 0xffff
            if (id == 1) return Values(variable, at + 4)
            at += 4 + length
        }
        return null
    }

    private class Values(private val buffer: ByteBuffer, private var at: Int) {
        fun long(): Long = buffer.getLong(at).also { at += 8 }
    }

    private fun read(channel: FileChannel, zip: Path, position: Long, length: Int): ByteBuffer {
        if (position < 0) throw damaged(zip, "an offset before the start of the file")
        val buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN)
        var at = position
        while (buffer.hasRemaining()) {
            val n = channel.read(buffer, at)
            if (n < 0) throw damaged(zip, "an offset past the end of the file")
            at += n
        }
        return buffer.flip() as ByteBuffer
    }

    private fun damaged(zip: Path, what: String) = ConfigException("$zip is a damaged zip archive ($what)")
}
