package dev.kerb.cli

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDList
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import dev.kerb.djl.KerasDjl
import dev.kerb.djl.KerasModel
import java.nio.file.Path

/** The `.npy` arrays of `kerb predict` and `kerb fit`, given as `[NAME=]FILE.npy` and matched to a model's names. */
internal object DjlArrays {
    /**
     * Returns [given] (each `NAME=FILE` or a plain `FILE`) ordered as [names]: named ones by name, plain ones in order.
     *
     * @throws BadInputException if a name is not one of [names], one is given twice, or the count does not fit
     */
    fun ordered(given: List<String>, names: List<String>, option: String, what: String): List<Path> {
        val byName = LinkedHashMap<String, Path>()
        val plain = ArrayList<Path>()
        for (item in given) {
            val name = item.substringBefore('=', "")
            if (name.isNotEmpty() && !item.startsWith("=")) {
                if (name !in names) throw BadInputException("$option $item: the model has no $what '$name'; its " +
                    "${what}s are ${names.joinToString()}")
                if (byName.put(name, Path.of(item.substringAfter('='))) != null) {
                    throw BadInputException("$option gives $what '$name' twice")
                }
            } else {
                plain.add(Path.of(item))
            }
        }
        val rest = names.filter { it !in byName }
        if (plain.size != rest.size) {
            throw BadInputException("the model takes ${names.size} ${what}s (${names.joinToString()}); $option gives " +
                "${given.size}")
        }
        val iterator = plain.iterator()
        return names.map { byName[it] ?: iterator.next() }
    }

    /** Reads `.npy` files into arrays of [manager], as float32 or float64 as the model computes. */
    fun read(files: List<Path>, manager: NDManager, model: KerasModel): NDList = NDList(files.map { file ->
        KerasDjl.toNDArray(manager, Npy.read(file).tensor()).toType(model.model.dataType, false)
    })

    /** Returns an array's values as a `.npy` array of its dtype. */
    fun npy(array: NDArray): NpyArray {
        val shape = dev.kerb.core.Shape.of(*array.shape.shape.map { Math.toIntExact(it) }.toIntArray())
        return if (array.dataType == DataType.FLOAT64) NpyArray.Float64(shape, array.toDoubleArray())
        else NpyArray.Float32(shape, array.toType(DataType.FLOAT32, false).toFloatArray())
    }

    /** Returns rows [from, to) of [array]. */
    fun rows(array: NDArray, from: Long, to: Long): NDArray = array.get("$from:$to")
}
