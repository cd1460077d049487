package dev.kerb.model.weights

import dev.kerb.core.DType
import io.jhdf.HdfFile
import io.jhdf.ObjectHeader
import io.jhdf.WritableDatasetImpl
import io.jhdf.api.Group
import io.jhdf.api.WritableGroup
import io.jhdf.`object`.datatype.DataType
import io.jhdf.`object`.message.DataLayoutMessage.ContiguousDataLayoutMessage
import io.jhdf.`object`.message.DataSpace
import io.jhdf.`object`.message.DataSpaceMessage
import io.jhdf.`object`.message.DataTypeMessage
import io.jhdf.`object`.message.FillValueMessage
import io.jhdf.`object`.message.Message
import io.jhdf.storage.HdfFileChannel
import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.file.Path

/**
 * Writes HDF5 weights files with jHDF's writer, which lays out the groups, attributes and object headers, while each
 * variable's values stream from its [VariableValues] straight into the file, so that memory holds a few chunks, or
 * one variable that an initializer writes whole, never the model.
 *
 * jHDF 0.13.0 writes its version string where the last dataset's values end, which overwrites a group written after
 * them when that group has no children; Keras needs no empty group (a layer without variables has no `vars` group
 * to read, and a legacy `.h5` lists only layers with weights), so Kerb never asks for one.
 */
internal class Hdf5Writer private constructor(private val file: io.jhdf.WritableHdfFile) : AutoCloseable {
    private val groups = HashMap<String, WritableGroup>()

    /** Returns the group at [path] (`layers/dense/vars`), creating it and its parents. */
    fun group(path: String): WritableGroup = groups.getOrPut(path) {
        val parent = path.substringBeforeLast('/', "")
        (if (parent.isEmpty()) file else group(parent)).putGroup(path.substringAfterLast('/'))
    }

    /** Adds a dataset at [path] whose values [values] writes when the file is closed. */
    fun dataset(path: String, values: VariableValues) {
        val parent = group(path.substringBeforeLast('/'))
        val name = path.substringAfterLast('/')
        if (values.variable.integer) parent.putDataset(name, integers(values))
        else parent.putDataset(name, StreamedDataset(name, parent, values))
    }

    /** The values of an int32 variable, rounded: a scalar or a vector, the ranks Keras gives such variables. */
    private fun integers(values: VariableValues): Any {
        val tensor = values.tensor()
        val ints = IntArray(tensor.size()) { Math.round(tensor.get(it)).toInt() }
        return when (tensor.shape().rank()) {
            0 -> ints[0]
            1 -> ints
            else -> throw dev.kerb.registry.ConfigException("${values.variable.path} is an int32 variable of rank " +
                "${tensor.shape().rank()}; Kerb writes int32 scalars and vectors")
        }
    }

    /** Sets an attribute of the group at [path] ("" for the root): a string or a string array. */
    fun attribute(path: String, name: String, value: Any) {
        (if (path.isEmpty()) file else group(path)).putAttribute(name, value)
    }

    /** Writes the file: the structure, then every dataset's values as jHDF reaches it. */
    override fun close() = file.close()

    companion object {
        /**
         * Opens [target] for writing, replacing what it holds.
         *
         * @throws io.jhdf.exceptions.HdfWritingException if it cannot be created
         */
        fun create(target: Path): Hdf5Writer = Hdf5Writer(HdfFile.write(target))
    }

    /** A contiguous dataset whose object header jHDF's messages make and whose values stream from [values]. */
    private class StreamedDataset(name: String, parent: Group, private val values: VariableValues) :
        WritableDatasetImpl(placeholder(values), name, parent) {
        override fun write(hdfFileChannel: HdfFileChannel, position: Long): Long {
            val shape = values.variable.shape
            val template = placeholder(values)
            val space = if (shape.rank() == 0) DataSpace.fromObject(template)
                else DataSpace.modifyDimensions(DataSpace.fromObject(template), shape.dims().map(Int::toLong).toLongArray())
            val messages: MutableList<Message> = mutableListOf(DataTypeMessage.create(DataType.fromObject(template)),
                DataSpaceMessage.create(space), FillValueMessage.NO_FILL, ContiguousDataLayoutMessage.create(0L, 0L))
            // The layout message's address and size have fixed widths, so the placeholder gives the header's size.
            val dataAddress = position + ObjectHeader.ObjectHeaderV2(position, messages).toBuffer().limit()
            val size = ValueWriter.write(hdfFileChannel.fileChannel, dataAddress, values)
            messages[messages.size - 1] = ContiguousDataLayoutMessage.create(dataAddress, size)
            hdfFileChannel.write(ObjectHeader.ObjectHeaderV2(position, messages).toBuffer(), position)
            // Where jHDF's own datasets leave the channel, so that what it writes last goes after the values.
            hdfFileChannel.position(dataAddress + size)
            return dataAddress + size
        }

        private companion object {
            /** A value of the variable's dtype and rank, from which jHDF takes the type and the dataspace's rank. */
            fun placeholder(values: VariableValues): Any {
                val float32 = values.variable.dtype == DType.FLOAT32
                val rank = values.variable.shape.rank()
                if (rank == 0) return if (float32) 0f else 0.0
                return java.lang.reflect.Array.newInstance(if (float32) Float::class.javaPrimitiveType else
                    Double::class.javaPrimitiveType, *IntArray(rank) { 1 })
            }
        }
    }
}

/** Writes a variable's values into a file channel, drawing chunks on every core while writing them in order. */
internal object ValueWriter {
    private val THREADS = Runtime.getRuntime().availableProcessors()

    /** One drawing thread per core, daemons, for the life of the JVM. */
    private val POOL by lazy {
        java.util.concurrent.Executors.newFixedThreadPool(THREADS) { task ->
            Thread(task, "kerb-draw").apply { isDaemon = true }
        }
    }

    /** Writes [values] at [address] in [channel]; returns the number of bytes. */
    fun write(channel: FileChannel, address: Long, values: VariableValues): Long {
        if (values !is VariableValues.Drawn || values.chunks == 1) {
            writeFully(channel, values.bytes(), address)
            return values.byteSize
        }
        val chunkBytes = VariableValues.CHUNK * VariableValues.itemSize(values.variable.dtype)
        val window = 2 * THREADS
        val pool = POOL
        val pending = ArrayDeque<java.util.concurrent.Future<ByteBuffer>>()
        val free = java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer>()
        var next = 0
        var position = address
        while (next < values.chunks || pending.isNotEmpty()) {
            while (next < values.chunks && pending.size < window) {
                val index = next++
                pending.addLast(pool.submit<ByteBuffer> {
                    // Direct, so that the channel writes it without copying it into a buffer of its own first.
                    val buffer = free.poll() ?: ByteBuffer.allocateDirect(chunkBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    buffer.clear()
                    values.chunk(index, buffer)
                    buffer.flip()
                })
            }
            val buffer = try {
                pending.removeFirst().get()
            } catch (e: java.util.concurrent.ExecutionException) {
                pending.forEach { it.cancel(false) }
                throw e.cause ?: e
            }
            position += writeFully(channel, buffer, position)
            free.add(buffer)
        }
        return values.byteSize
    }

    private fun writeFully(channel: FileChannel, buffer: ByteBuffer, address: Long): Int {
        val bytes = buffer.remaining()
        var at = address
        while (buffer.hasRemaining()) at += channel.write(buffer, at)
        return bytes
    }
}
