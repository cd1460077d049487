package dev.kerb.model.weights

import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.channels.FileChannel
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import java.util.zip.CRC32

/**
 * Writes a `.keras` archive as Keras does, every entry stored: small entries first, then one large entry whose bytes
 * a callback writes in place, through a [WindowPath] that starts after the entry's header, so that they are written
 * once. The large entry's header is filled in afterwards, with a Zip64 extra field when it reaches 4 GiB, as is the
 * central directory's end.
 */
internal object ArchiveWriter {
    private const val LOCAL = 0x04034b50
    private const val CENTRAL = 0x02014b50
    private const val END = 0x06054b50
    private const val ZIP64_END = 0x06064b50
    private const val ZIP64_LOCATOR = 0x07064b50
    private const val MAX = 0xFFFFFFFFL

    /** 1980-01-01 00:00, the DOS date Keras gives its entries. */
    private const val DOS_DATE = (1 shl 5) or 1

    /** The large entry's extra field: Zip64 sizes when needed, else a padding field of the same length. */
    private const val EXTRA = 20

    private class Entry(val name: ByteArray, val offset: Long, val crc: Long, val size: Long)

    /**
     * Writes [small] entries, then [large], whose content [fill] writes as a file at the path it is given.
     *
     * @throws java.io.IOException if [target] cannot be written
     */
    fun write(target: Path, small: List<Pair<String, ByteArray>>, large: String, fill: (Path) -> Unit) {
        val entries = ArrayList<Entry>()
        FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
            .use { channel ->
                for ((name, bytes) in small) {
                    val entry = Entry(name.toByteArray(), channel.position(), CRC32().apply { update(bytes) }.value,
                        bytes.size.toLong())
                    writeFully(channel, localHeader(entry, 0), channel.position())
                    writeFully(channel, ByteBuffer.wrap(bytes), channel.size())
                    channel.position(channel.size())
                    entries += entry
                }
                val headerAt = channel.size()
                val name = large.toByteArray()
                val dataAt = headerAt + 30 + name.size + EXTRA
                fill(WindowPath(target, dataAt))
                val size = channel.size() - dataAt
                val entry = Entry(name, headerAt, crc(channel, dataAt, size), size)
                writeFully(channel, localHeader(entry, EXTRA), headerAt)
                entries += entry
                writeFully(channel, directory(entries, channel.size()), channel.size())
            }
    }

    private fun localHeader(entry: Entry, extra: Int): ByteBuffer {
        val zip64 = entry.size >= MAX
        val out = buffer(30 + entry.name.size + extra)
            .putInt(LOCAL).putShort(if (zip64) 45 else 20).putShort(0).putShort(0).putShort(0).putShort(DOS_DATE.toShort())
            .putInt(entry.crc.toInt()).putInt(if (zip64) -1 else entry.size.toInt()).putInt(if (zip64) -1 else entry.size.toInt())
            .putShort(entry.name.size.toShort()).putShort(extra.toShort()).put(entry.name)
        if (extra > 0) {
            if (zip64) out.putShort(1).putShort(16).putLong(entry.size).putLong(entry.size)
            else out.putShort(PADDING).putShort((extra - 4).toShort()).put(ByteArray(extra - 4))
        }
        return out.flip()
    }

    /** Zip's "ignore me" extra: an id no reader interprets, used for alignment. */
    private const val PADDING: Short = 0xD935.toShort()

    private fun directory(entries: List<Entry>, at: Long): ByteBuffer {
        val parts = entries.map { entry ->
            val zip64 = entry.size >= MAX
            buffer(46 + entry.name.size + if (zip64) 20 else 0)
                .putInt(CENTRAL).putShort(if (zip64) 45 else 20).putShort(if (zip64) 45 else 20).putShort(0).putShort(0)
                .putShort(0).putShort(DOS_DATE.toShort()).putInt(entry.crc.toInt())
                .putInt(if (zip64) -1 else entry.size.toInt()).putInt(if (zip64) -1 else entry.size.toInt())
                .putShort(entry.name.size.toShort()).putShort((if (zip64) 20 else 0).toShort()).putShort(0).putShort(0)
                .putShort(0).putInt(0).putInt(entry.offset.toInt()).put(entry.name)
                .apply { if (zip64) putShort(1).putShort(16).putLong(entry.size).putLong(entry.size) }
                .flip()
        }
        val size = parts.sumOf { it.remaining().toLong() }
        val zip64 = at + size >= MAX
        val out = buffer((size + 22 + if (zip64) 76 else 0).toInt())
        parts.forEach { out.put(it) }
        if (zip64) {
            out.putInt(ZIP64_END).putLong(44).putShort(45).putShort(45).putInt(0).putInt(0)
                .putLong(entries.size.toLong()).putLong(entries.size.toLong()).putLong(size).putLong(at)
            out.putInt(ZIP64_LOCATOR).putInt(0).putLong(at + size).putInt(1)
        }
        out.putInt(END).putShort(0).putShort(0).putShort(entries.size.toShort()).putShort(entries.size.toShort())
            .putInt(size.toInt()).putInt(if (zip64) -1 else at.toInt()).putShort(0)
        return out.flip()
    }

    private fun crc(channel: FileChannel, from: Long, size: Long): Long {
        val crc = CRC32()
        val buffer = ByteBuffer.allocateDirect(1 shl 20)
        var at = from
        while (at < from + size) {
            buffer.clear().limit(minOf(buffer.capacity().toLong(), from + size - at).toInt())
            val read = channel.read(buffer, at)
            if (read < 0) break
            at += read
            crc.update(buffer.flip())
        }
        return crc.value
    }

    private fun buffer(size: Int): ByteBuffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN)

    private fun writeFully(channel: FileChannel, buffer: ByteBuffer, at: Long) {
        var position = at
        while (buffer.hasRemaining()) position += channel.write(buffer, position)
    }
}
