package dev.kerb.cli

import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.model.io.ModelFiles
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.channels.Channels
import java.nio.channels.FileChannel
import java.nio.channels.WritableByteChannel
import java.nio.charset.StandardCharsets
import java.nio.file.Path
import java.nio.file.StandardOpenOption

/** A `.npy` file's contents could not be read: the message says what was found and what was expected. */
internal class NpyFormatException(message: String) : BadInputException(message)

/** A float32 or float64 C-order array as stored in a `.npy` file. */
internal sealed class NpyArray(val shape: Shape) {
    abstract val descr: String
    abstract fun tensor(): Tensor

    class Float32(shape: Shape, val data: FloatArray) : NpyArray(shape) {
        override val descr get() = "<f4"
        override fun tensor(): Tensor = Tensor.of(data, shape)
    }

    class Float64(shape: Shape, val data: DoubleArray) : NpyArray(shape) {
        override val descr get() = "<f8"
        override fun tensor(): Tensor = Tensor.of(data, shape)
    }
}

/**
 * Reads and writes NumPy `.npy` files, format versions 1.0, 2.0 and 3.0, for little-endian float32 (`<f4`) and
 * float64 (`<f8`) C-order arrays of any rank, including 0-d and zero-size (NumPy's `numpy/lib/format.py`).
 */
internal object Npy {
    private val MAGIC = byteArrayOf(0x93.toByte(), 'N'.code.toByte(), 'U'.code.toByte(), 'M'.code.toByte(),
        'P'.code.toByte(), 'Y'.code.toByte())
    private const val CHUNK = 1 shl 20

    /**
     * Reads a `.npy` file.
     *
     * @throws NpyFormatException if the file is not a supported `.npy` array or its data is truncated or oversized
     * @throws IOException if the file cannot be read
     */
    fun read(path: Path): NpyArray = FileChannel.open(path.also(ModelFiles::requireRegularFile), StandardOpenOption.READ).use { channel ->
        val fileSize = channel.size()
        val preamble = readFully(channel, 0, minOf(12L, fileSize).toInt(), path)
        if (preamble.remaining() < 10 || !MAGIC.indices.all { preamble.get(it) == MAGIC[it] }) {
            throw NpyFormatException("$path is not a .npy file (it does not start with the \\x93NUMPY magic)")
        }
        val major = preamble.get(6).toInt()
        val minor = preamble.get(7).toInt()
        val lengthBytes = when (major) {
            1 -> 2
            2, 3 -> 4
            else -> throw NpyFormatException("$path has .npy format version $major.$minor; expected 1.0, 2.0 or 3.0")
        }
        if (preamble.remaining() < 8 + lengthBytes) throw NpyFormatException("$path ends inside its .npy preamble")
        preamble.order(ByteOrder.LITTLE_ENDIAN)
        val headerLength = if (lengthBytes == 2) preamble.getShort(8).toLong() and 0xffff
        else preamble.getInt(8).toLong() and 0xffffffffL
        val headerStart = 8L + lengthBytes
        if (headerStart + headerLength > fileSize) {
            throw NpyFormatException("$path is truncated: its header is $headerLength bytes but the file ends first")
        }
        val headerBytes = readFully(channel, headerStart, headerLength.toInt(), path)
        val charset = if (major == 3) StandardCharsets.UTF_8 else StandardCharsets.ISO_8859_1
        val header = NpyHeader.parse(charset.decode(headerBytes).toString(), path)
        val dataStart = headerStart + headerLength
        val shape = try {
            Shape.of(*header.shape)
        } catch (e: IllegalArgumentException) {
            throw NpyFormatException("$path has an unusable shape: ${e.message}")
        }
        val itemSize = if (header.descr == "<f4") 4 else 8
        val expected = shape.size().toLong() * itemSize
        val actual = fileSize - dataStart
        if (actual < expected) {
            throw NpyFormatException("$path is truncated: its header promises $expected bytes of ${header.descr} " +
                "data for shape $shape but only $actual follow")
        }
        if (actual > expected) {
            throw NpyFormatException("$path is oversized: $actual bytes of data follow its header, but shape " +
                "$shape of ${header.descr} needs exactly $expected")
        }
        requireHeap(path, expected)
        if (itemSize == 4) {
            val data = FloatArray(shape.size())
            readData(channel, dataStart, data.size, 4) { buffer, offset, count ->
                buffer.asFloatBuffer().get(data, offset, count)
            }
            NpyArray.Float32(shape, data)
        } else {
            val data = DoubleArray(shape.size())
            readData(channel, dataStart, data.size, 8) { buffer, offset, count ->
                buffer.asDoubleBuffer().get(data, offset, count)
            }
            NpyArray.Float64(shape, data)
        }
    }

    /** Fails, saying how to proceed, when [bytes] of data would not fit in what is left of this JVM's heap. */
    private fun requireHeap(path: Path, bytes: Long) {
        val runtime = Runtime.getRuntime()
        val available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory())
        if (bytes > available) {
            throw NpyFormatException("$path holds $bytes bytes of data, more than the $available bytes this JVM's " +
                "heap has left; give kerb a larger heap, e.g. KERB_JAVA_OPTS=-Xmx${bytes * 5 / 4 / (1L shl 30) + 1}g")
        }
    }

    /**
     * Writes an array as a `.npy` file (version 1.0, or 2.0 if the header needs it), atomically: the data goes to
     * a temporary file beside [path] that is then moved over it, so [path] is never left half-written.
     *
     * @throws IOException if the file cannot be written; [path] is then unchanged
     */
    fun write(array: NpyArray, path: Path) = ModelFiles.writeAtomically(path) { out ->
        val channel = Channels.newChannel(out)
        writeFully(channel, ByteBuffer.wrap(NpyHeader.encode(array.descr, array.shape)))
        when (array) {
            is NpyArray.Float32 -> writeData(channel, array.data.size, 4) { buffer, offset, count ->
                buffer.asFloatBuffer().put(array.data, offset, count)
            }
            is NpyArray.Float64 -> writeData(channel, array.data.size, 8) { buffer, offset, count ->
                buffer.asDoubleBuffer().put(array.data, offset, count)
            }
        }
    }

    private fun readFully(channel: FileChannel, position: Long, length: Int, path: Path): ByteBuffer {
        val buffer = ByteBuffer.allocate(length)
        var at = position
        while (buffer.hasRemaining()) {
            val n = channel.read(buffer, at)
            if (n < 0) throw NpyFormatException("$path ended early while reading its header")
            at += n
        }
        return buffer.flip()
    }

    private inline fun readData(channel: FileChannel, start: Long, count: Int, itemSize: Int,
                                copy: (ByteBuffer, Int, Int) -> Unit) {
        val buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN)
        var done = 0
        var position = start
        while (done < count) {
            val items = minOf(count - done, CHUNK / itemSize)
            buffer.clear().limit(items * itemSize)
            while (buffer.hasRemaining()) {
                val n = channel.read(buffer, position)
                if (n < 0) throw IOException("file shrank while it was being read")
                position += n
            }
            buffer.flip()
            copy(buffer, done, items)
            done += items
        }
    }

    private inline fun writeData(channel: WritableByteChannel, count: Int, itemSize: Int,
                                 copy: (ByteBuffer, Int, Int) -> Unit) {
        val buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN)
        var done = 0
        while (done < count) {
            val items = minOf(count - done, CHUNK / itemSize)
            buffer.clear()
            copy(buffer, done, items)
            buffer.limit(items * itemSize)
            writeFully(channel, buffer)
            done += items
        }
    }

    private fun writeFully(channel: WritableByteChannel, buffer: ByteBuffer) {
        while (buffer.hasRemaining()) channel.write(buffer)
    }
}
