package dev.kerb.model.io

import dev.kerb.registry.ConfigException
import io.jhdf.HdfFile
import java.nio.BufferUnderflowException
import java.nio.channels.FileChannel
import java.nio.file.Path
import java.nio.file.StandardOpenOption

/** Reads the `model_config` attribute that Keras' legacy `.h5` format stores on the file's root group. */
internal object Hdf5Config {
    fun read(path: Path): String = try {
        open(path).use { file ->
            val attribute = file.getAttribute("model_config")
                ?: throw ConfigException("$path is an HDF5 file without a model_config attribute; expected a Keras " +
                    "model saved with model.save(\"model.h5\")")
            when (val data = attribute.data) {
                is String -> data
                is ByteArray -> String(data, Charsets.UTF_8)
                else -> throw ConfigException("$path has a model_config attribute of type " +
                    "${data?.javaClass?.simpleName}; expected a JSON string")
            }
        }
    } catch (e: ConfigException) {
        throw e
    } catch (e: StackOverflowError) {
        // Object header continuations that point back at themselves make jHDF recurse once per message.
        throw ConfigException("$path is not a readable HDF5 file (its object headers loop); expected a Keras .h5 model")
    } catch (e: RuntimeException) {
        // jHDF reads untrusted bytes and reports a damaged file with many exception types (HdfException,
        // ArithmeticException, IllegalArgumentException, BufferUnderflowException, ...): all mean the same here.
        val why = e.message ?: if (e is BufferUnderflowException || e is IndexOutOfBoundsException) {
            "it ends before data it refers to"
        } else {
            e.javaClass.simpleName
        }
        throw ConfigException("$path is not a readable HDF5 file ($why); expected a Keras .h5 model", e)
    }

    /**
     * Opens the file memory-mapped, so that jHDF reads slices of it: a damaged length then fails at the end of the
     * file instead of allocating a buffer of that length first (which jHDF's file-channel reader does, up to 2 GiB
     * for a 1 kB file). Files of 2 GiB or more, which cannot be mapped as one buffer, are read through the channel.
     */
    private fun open(path: Path): HdfFile = FileChannel.open(path, StandardOpenOption.READ).use { channel ->
        val size = channel.size()
        if (size >= Int.MAX_VALUE) HdfFile(path)
        else HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, size))
    }
}
