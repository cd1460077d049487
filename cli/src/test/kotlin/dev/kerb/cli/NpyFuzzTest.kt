package dev.kerb.cli

import com.code_intelligence.jazzer.junit.FuzzTest
import dev.kerb.model.FuzzScratch
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals

/**
 * Coverage-guided fuzz test of the `.npy` reader. The contract: an array or an [NpyFormatException], never another
 * exception; and an array read back from what Kerb writes is the same array, bit for bit. `.ci/fuzz` fuzzes it,
 * seeded from NumPy-written files; `mvn verify` runs the committed inputs under `NpyFuzzTestInputs/`.
 */
class NpyFuzzTest {
    @FuzzTest
    fun npy(bytes: ByteArray) {
        val array = try {
            Npy.read(scratch.input(bytes, ".npy"))
        } catch (expected: NpyFormatException) {
            return
        }
        val output = scratch.output(".npy")
        Npy.write(array, output)
        val again = Npy.read(output)
        assertEquals(array.shape, again.shape)
        when (array) {
            is NpyArray.Float32 -> assertArrayEquals(array.data.map { it.toRawBits() }.toIntArray(),
                (again as NpyArray.Float32).data.map { it.toRawBits() }.toIntArray())
            is NpyArray.Float64 -> assertArrayEquals(array.data.map { it.toRawBits() }.toLongArray(),
                (again as NpyArray.Float64).data.map { it.toRawBits() }.toLongArray())
        }
    }

    private companion object {
        val scratch = FuzzScratch()
    }
}
