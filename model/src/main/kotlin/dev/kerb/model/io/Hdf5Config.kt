package dev.kerb.model.io

import dev.kerb.registry.ConfigException
import io.jhdf.HdfFile
import io.jhdf.exceptions.HdfException
import java.nio.BufferUnderflowException
import java.nio.channels.FileChannel
import java.nio.file.Path
import java.nio.file.StandardOpenOption

/**
 * Reads HDF5 bytes with jHDF, bounded and with damage reported as bad input: the `model_config` attribute that Keras'
 * legacy `.h5` format stores on the file's root group, and (for the weights reader) any run of HDF5 bytes in a file.
 */
internal object Hdf5Config {
    fun read(path: Path): String = FileChannel.open(path, StandardOpenOption.READ).use { channel ->
        reading({ why -> "$path is not a readable HDF5 file ($why); expected a Keras .h5 model" }) {
            val file = open(channel, 0, channel.size())
            try {
                val attribute = file.getAttribute("model_config")
                    ?: throw ConfigException("$path is an HDF5 file without a model_config attribute; expected a " +
                        "Keras model saved with model.save(\"model.h5\")")
                when (val data = attribute.data) {
                    is String -> data
                    is ByteArray -> String(data, Charsets.UTF_8)
                    else -> throw ConfigException("$path has a model_config attribute of type " +
                        "${data?.javaClass?.simpleName}; expected a JSON string")
                }
            } finally {
                close(file)
            }
        }
    }

    /**
     * Opens bytes `[start, start + length)` of [channel] as an HDF5 file, memory-mapped, so that jHDF reads slices of
     * it: a damaged length then fails at the end of the bytes instead of allocating a buffer of that length first
     * (which jHDF's file-channel reader does, up to 2 GiB for a 1 kB file). From 2 GiB on, which cannot be mapped as
     * one buffer, jHDF reads through a [WindowChannel]. [channel] must stay open while the file is used.
     */
    fun open(channel: FileChannel, start: Long, length: Long): HdfFile =
        if (length < Int.MAX_VALUE) HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, start, length))
        else HdfFile(WindowChannel(channel, start, length))

    /** Closes a file [open] gave; jHDF closes a channel-backed one, then fails to log its path, which it lacks. */
    fun close(file: HdfFile) {
        try {
            file.close()
        } catch (e: HdfException) {
            // closed already
        }
    }

    /**
     * Runs a jHDF read of untrusted bytes. jHDF reports a damaged file with many exception types (HdfException,
     * ArithmeticException, IllegalArgumentException, BufferUnderflowException, ...), a stack overflow for object
     * header continuations that point back at themselves, and running out of memory for a damaged length read
     * through a channel: all are a [ConfigException] with the message [damaged] makes of the reason.
     */
    inline fun <T> reading(damaged: (String) -> String, read: () -> T): T = try {
        read()
    } catch (e: ConfigException) {
        throw e
    } catch (e: StackOverflowError) {
        throw ConfigException(damaged("its object headers loop"))
    } catch (e: OutOfMemoryError) {
        throw ConfigException(damaged("a length too large to read"))
    } catch (e: RuntimeException) {
        throw ConfigException(damaged(why(e)), e)
    }

    fun why(e: RuntimeException): String = e.message
        ?: if (e is BufferUnderflowException || e is IndexOutOfBoundsException) "it ends before data it refers to"
        else e.javaClass.simpleName
}
