package dev.kerb.model.io

import dev.kerb.registry.ConfigException
import io.jhdf.HdfFile
import java.nio.file.Path

/** Reads the `model_config` attribute that Keras' legacy `.h5` format stores on the file's root group. */
internal object Hdf5Config {
    fun read(path: Path): String = try {
        HdfFile(path).use { file ->
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
    } catch (e: RuntimeException) {
        // jHDF reads untrusted bytes and reports a damaged file with many exception types (HdfException,
        // ArithmeticException, IllegalArgumentException, BufferUnderflowException, ...): all mean the same here.
        throw ConfigException("$path is not a readable HDF5 file (${e.message ?: e.javaClass.simpleName}); expected " +
            "a Keras .h5 model", e)
    }
}
