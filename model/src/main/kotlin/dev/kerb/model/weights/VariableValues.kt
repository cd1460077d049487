package dev.kerb.model.weights

import dev.kerb.core.DType
import dev.kerb.core.Tensor
import dev.kerb.model.init.Distribution
import dev.kerb.model.init.Elementwise
import dev.kerb.model.init.Initializer
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Path
import java.util.SplittableRandom

/**
 * The values of one variable as Kerb writes them, little-endian in the variable's dtype. Values drawn from one
 * distribution come in chunks of [CHUNK], each from its own random stream, so that any thread count gives the same
 * bytes; other values come whole.
 */
internal sealed class VariableValues(val variable: LaidOutVariable) {
    /** The number of bytes. */
    val byteSize: Long get() = variable.shape.size().toLong() * itemSize(variable.dtype)

    /** Returns every value in a new little-endian buffer, which [tensor] views. */
    abstract fun bytes(): ByteBuffer

    /** Returns every value as a tensor. */
    fun tensor(): Tensor = Tensor.of(bytes(), variable.dtype, variable.shape)

    /**
     * Values drawn independently from [distribution]; chunk `i` comes from a stream seeded by [seed] and `i`, and an
     * LSTM's forget-gate bias quarter is set to ones, as Keras' `unit_forget_bias` does.
     */
    class Drawn(variable: LaidOutVariable, private val distribution: Distribution, private val seed: Long) :
        VariableValues(variable) {
        val chunks: Int get() = ((variable.shape.size().toLong() + CHUNK - 1) / CHUNK).toInt()

        /** Writes chunk [index] into [out] from its position. */
        fun chunk(index: Int, out: ByteBuffer) {
            val start = index.toLong() * CHUNK
            val count = (minOf(start + CHUNK, variable.shape.size().toLong()) - start).toInt()
            val random = SplittableRandom(Seeds.chunk(seed, index))
            val units = (variable.shape.size() / 4).toLong()
            // The forget gate's quarter of an LSTM bias, within this chunk.
            val ones = if (!variable.forgetBias) IntRange.EMPTY
                else (maxOf(units, start) - start).toInt() until (minOf(2 * units, start + count) - start).toInt()
            if (variable.dtype == DType.FLOAT32) {
                val values = FLOATS.get()
                distribution.fill(values, count, random)
                for (i in ones) values[i] = 1f
                out.asFloatBuffer().put(values, 0, count)
                out.position(out.position() + 4 * count)
            } else {
                for (i in 0 until count) out.putDouble(if (i in ones) 1.0 else distribution.next(random))
            }
        }

        override fun bytes(): ByteBuffer {
            val out = allocate(byteSize)
            for (i in 0 until chunks) chunk(i, out)
            return out.flip()
        }

        private companion object {
            val FLOATS: ThreadLocal<FloatArray> = ThreadLocal.withInitial { FloatArray(CHUNK) }
        }
    }

    /** Values an initializer writes whole (`Orthogonal`, `Identity`, a custom one) from one stream seeded by [seed]. */
    class Whole(variable: LaidOutVariable, private val initializer: Initializer, private val seed: Long) :
        VariableValues(variable) {
        override fun bytes(): ByteBuffer {
            val out = allocate(byteSize)
            try {
                initializer.initialize(Tensor.of(out, variable.dtype, variable.shape), SplittableRandom(seed))
            } catch (e: IllegalArgumentException) {
                throw dev.kerb.registry.ConfigException("${variable.where} cannot initialize '${variable.path}': ${e.message}", e)
            }
            return out
        }
    }

    /** Values a caller gave, or a file stored. */
    class Given(variable: LaidOutVariable, private val values: () -> Tensor) : VariableValues(variable) {
        override fun bytes(): ByteBuffer {
            val tensor = values()
            val out = allocate(byteSize)
            val view = Tensor.of(out, variable.dtype, variable.shape)
            for (i in 0 until tensor.size()) view.set(i, tensor.get(i))
            return out
        }
    }

    companion object {
        /** Values per chunk of a drawn variable: 256 KiB of float32. */
        const val CHUNK = 1 shl 16

        fun itemSize(dtype: DType): Int = if (dtype == DType.FLOAT32) 4 else 8

        private fun allocate(bytes: Long): ByteBuffer {
            require(bytes <= Int.MAX_VALUE) { "a variable of $bytes bytes is larger than Kerb holds in memory" }
            return ByteBuffer.allocate(bytes.toInt()).order(ByteOrder.LITTLE_ENDIAN)
        }

        /** Returns the values [initializer] gives [variable], drawn with [seed]. */
        fun of(variable: LaidOutVariable, initializer: Initializer, seed: Long): VariableValues =
            if (initializer is Elementwise) Drawn(variable, initializer.distribution(variable.shape.dims()), seed)
            else Whole(variable, initializer, seed)
    }
}

/**
 * The Keras files whose stored weights a write reads: within [open], each file is opened once for all its weights;
 * outside it, each read opens the file for itself. Confined to the writing thread, which makes whole values.
 */
internal object StoredFiles {
    private val files = ThreadLocal<MutableMap<Path, WeightsFile>?>()

    /** Reads the weight [name] stored in [file], as [integer]s (Normalization's `count`) or floats. */
    fun read(file: Path, name: String, integer: Boolean): Tensor {
        val read = { weights: WeightsFile -> if (integer) weights.readInteger(name) else weights.read(name) }
        return files.get()?.getOrPut(file) { WeightsFile.open(file) }?.let(read) ?: WeightsFile.open(file).use(read)
    }

    /** Runs [block] with each file it reads opened once, and closed when it returns. */
    fun <T> open(block: () -> T): T {
        val open = HashMap<Path, WeightsFile>()
        files.set(open)
        try {
            return block()
        } finally {
            files.remove()
            open.values.forEach(WeightsFile::close)
        }
    }
}

/** Seeds for variables and chunks: a variable's stream depends on the model's seed and its path, or on its config's. */
internal object Seeds {
    private const val GOLDEN = -0x61c8864680b583ebL

    /** The seed of a variable: its initializer's own `seed` when the config gives one, as Keras repeats it. */
    fun variable(seed: Long, path: String, configSeed: Long?): Long =
        if (configSeed != null) mix(configSeed) else mix(seed xor path.fold(-0x340d631b7bdddcdbL) { h, c -> (h xor c.code.toLong()) * 0x100000001b3L })

    /** The seed of chunk [index] of a variable seeded with [seed]. */
    fun chunk(seed: Long, index: Int): Long = mix(seed + GOLDEN * (index + 1L))

    /** Stafford's variant 13 of MurmurHash3's finalizer. */
    private fun mix(value: Long): Long {
        var z = (value xor (value ushr 30)) * -0x40a7b892e31b1a47L
        z = (z xor (z ushr 27)) * -0x6b2fb644ecceee15L
        return z xor (z ushr 31)
    }
}
