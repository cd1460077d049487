package dev.kerb.model.io

import java.nio.ByteBuffer
import java.nio.MappedByteBuffer
import java.nio.channels.FileChannel
import java.nio.channels.FileLock
import java.nio.channels.ReadableByteChannel
import java.nio.channels.WritableByteChannel

/**
 * A read-only view of bytes `[base, base + size)` of a file as a file of its own: how jHDF reads 2 GiB or more of
 * HDF5 bytes in place, such as a `.keras` archive's stored `model.weights.h5` (less is memory-mapped as one buffer).
 * Closing it leaves the underlying channel open.
 */
internal class WindowChannel(private val file: FileChannel, private val base: Long, private val size: Long) : FileChannel() {
    private var position = 0L

    override fun read(dst: ByteBuffer): Int = read(dst, position).also { if (it > 0) position += it }

    override fun read(dst: ByteBuffer, position: Long): Int {
        if (position >= size) return -1
        val limit = dst.limit()
        if (dst.remaining() > size - position) dst.limit(dst.position() + (size - position).toInt())
        try {
            return file.read(dst, base + position)
        } finally {
            dst.limit(limit)
        }
    }

    override fun read(dsts: Array<out ByteBuffer>, offset: Int, length: Int): Long {
        var total = 0L
        for (i in offset until offset + length) {
            val n = read(dsts[i])
            if (n < 0) return if (total == 0L) -1 else total
            total += n
            if (dsts[i].hasRemaining()) break
        }
        return total
    }

    override fun map(mode: MapMode, position: Long, size: Long): MappedByteBuffer {
        require(mode == MapMode.READ_ONLY && position >= 0 && position + size <= this.size) {
            "map of [$position, ${position + size}) outside this ${this.size}-byte read-only window"
        }
        return file.map(mode, base + position, size)
    }

    override fun size(): Long = size
    override fun position(): Long = position
    override fun position(newPosition: Long): FileChannel = apply { position = newPosition }
    override fun force(metaData: Boolean) {}
    override fun transferTo(position: Long, count: Long, target: WritableByteChannel): Long =
        file.transferTo(base + position, minOf(count, size - position), target)

    override fun write(src: ByteBuffer): Int = throw java.nio.channels.NonWritableChannelException()
    override fun write(srcs: Array<out ByteBuffer>, offset: Int, length: Int): Long =
        throw java.nio.channels.NonWritableChannelException()
    override fun write(src: ByteBuffer, position: Long): Int = throw java.nio.channels.NonWritableChannelException()
    override fun truncate(size: Long): FileChannel = throw java.nio.channels.NonWritableChannelException()
    override fun transferFrom(src: ReadableByteChannel, position: Long, count: Long): Long =
        throw java.nio.channels.NonWritableChannelException()
    override fun lock(position: Long, size: Long, shared: Boolean): FileLock = throw UnsupportedOperationException()
    override fun tryLock(position: Long, size: Long, shared: Boolean): FileLock = throw UnsupportedOperationException()
    override fun implCloseChannel() {}
}
