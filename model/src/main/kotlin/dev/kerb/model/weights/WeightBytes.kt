package dev.kerb.model.weights

import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import java.io.EOFException
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.channels.FileChannel
import java.util.zip.CRC32

/**
 * Reads and writes stored weight values, copies byte ranges and rewrites zip CRCs, through one 1 MiB buffer at a time,
 * so that memory stays bounded by the largest weight whatever the file's size.
 */
internal object WeightBytes {
    private const val CHUNK = 1 shl 20

    /** The values of one weight, in a float or double array. */
    class Values(val floats: FloatArray?, val doubles: DoubleArray?, val shape: Shape) {
        fun tensor(): Tensor = if (floats != null) Tensor.of(floats, shape) else Tensor.of(doubles!!, shape)
    }

    /** Reads a float32 or float64 weight's little-endian values at its offset. */
    fun read(channel: FileChannel, weight: StoredWeight): Values {
        val count = weight.shape.size()
        return if (weight.dtype == "float32") {
            val out = FloatArray(count)
            chunks(count, 4) { buffer, done, items ->
                readFully(channel, buffer, weight.offset + done * 4L)
                buffer.asFloatBuffer().get(out, done, items)
            }
            Values(out, null, weight.shape)
        } else {
            val out = DoubleArray(count)
            chunks(count, 8) { buffer, done, items ->
                readFully(channel, buffer, weight.offset + done * 8L)
                buffer.asDoubleBuffer().get(out, done, items)
            }
            Values(null, out, weight.shape)
        }
    }

    /** Writes values at [offset], little-endian. */
    fun write(channel: FileChannel, offset: Long, values: Values) {
        val floats = values.floats
        val doubles = values.doubles
        if (floats != null) {
            chunks(floats.size, 4) { buffer, done, items ->
                buffer.asFloatBuffer().put(floats, done, items)
                writeFully(channel, buffer, offset + done * 4L)
            }
        } else if (doubles != null) {
            chunks(doubles.size, 8) { buffer, done, items ->
                buffer.asDoubleBuffer().put(doubles, done, items)
                writeFully(channel, buffer, offset + done * 8L)
            }
        }
    }

    /** Copies bytes `[start, end)` of [from] to the same place in [to], in the kernel where it can. */
    fun copy(from: FileChannel, to: FileChannel, start: Long, end: Long) {
        to.position(start)
        var at = start
        while (at < end) {
            val n = from.transferTo(at, end - at, to)
            if (n <= 0) throw EOFException("the input ended at byte $at while being copied")
            at += n
        }
    }

    /** Returns where [pattern] first occurs in [channel]'s bytes and whether it occurs again, scanning 1 MiB at a time. */
    fun find(channel: FileChannel, pattern: ByteArray): Pair<Long, Boolean>? {
        val window = ByteArray(CHUNK + pattern.size)
        val buffer = ByteBuffer.wrap(window)
        var first = -1L
        var base = 0L
        var kept = 0 // bytes carried over from the previous window
        while (true) {
            buffer.clear().position(kept)
            val n = channel.read(buffer, base + kept)
            if (n <= 0) break
            val length = kept + n
            var at = indexOf(window, length, pattern, 0)
            while (at >= 0) {
                if (first >= 0 && base + at != first) return first to true
                if (first < 0) first = base + at
                at = indexOf(window, length, pattern, at + 1)
            }
            kept = minOf(pattern.size - 1, length)
            System.arraycopy(window, length - kept, window, 0, kept)
            base += length - kept
        }
        return if (first >= 0) first to false else null
    }

    private fun indexOf(data: ByteArray, length: Int, pattern: ByteArray, from: Int): Int {
        outer@ for (i in from..length - pattern.size) {
            for (j in pattern.indices) if (data[i + j] != pattern[j]) continue@outer
            return i
        }
        return -1
    }

    /** Writes the new CRC-32 of [entry]'s data into its local header, central directory and data descriptor. */
    fun rewriteCrc(channel: FileChannel, entry: ZipEntryLayout) {
        val crc = CRC32()
        val buffer = ByteBuffer.allocateDirect(CHUNK)
        var at = entry.dataOffset
        val end = entry.dataOffset + entry.size
        while (at < end) {
            buffer.clear().limit(minOf(CHUNK.toLong(), end - at).toInt())
            readFully(channel, buffer, at)
            at += buffer.remaining()
            crc.update(buffer)
        }
        val value = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc.value.toInt())
        for (offset in listOfNotNull(entry.localCrcOffset, entry.centralCrcOffset, entry.descriptorCrcOffset)) {
            writeFully(channel, value.rewind(), offset)
        }
    }

    /** Calls [each] per chunk of at most 1 MiB with a little-endian buffer sized to the chunk's items. */
    private inline fun chunks(count: Int, itemSize: Int, each: (ByteBuffer, Int, Int) -> Unit) {
        val buffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN)
        var done = 0
        while (done < count) {
            val items = minOf(count - done, CHUNK / itemSize)
            buffer.clear().limit(items * itemSize)
            each(buffer, done, items)
            done += items
        }
    }

    /** Fills [buffer] from [position] and flips it for reading. */
    private fun readFully(channel: FileChannel, buffer: ByteBuffer, position: Long) {
        var at = position
        while (buffer.hasRemaining()) {
            val n = channel.read(buffer, at)
            if (n < 0) throw EOFException("the file ended at byte $at")
            at += n
        }
        buffer.flip()
    }

    private fun writeFully(channel: FileChannel, buffer: ByteBuffer, position: Long) {
        var at = position
        while (buffer.hasRemaining()) at += channel.write(buffer, at)
    }
}
