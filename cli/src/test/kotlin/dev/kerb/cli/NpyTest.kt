package dev.kerb.cli

import dev.kerb.core.Shape
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.nio.file.Files
import java.nio.file.Path

/** The `.npy` reader and writer, against files NumPy 2.4 wrote (`src/test/resources/npy/make_fixtures.py`). */
class NpyTest : FunSpec({
    fun fixture(name: String): Path = Path.of(NpyTest::class.java.getResource("/npy/$name")!!.toURI())
    val expected3x4 = FloatArray(12) { it - 5.5f }

    test("reads float32 in format versions 1.0, 2.0 and 3.0") {
        for (name in listOf("f4_v1.npy", "f4_v2.npy", "f4_v3.npy")) {
            val array = Npy.read(fixture(name)).shouldBeInstanceOf<NpyArray.Float32>()
            array.shape shouldBe Shape.of(3, 4)
            array.data.toList() shouldBe expected3x4.toList()
        }
    }

    test("reads float64, 0-d and zero-size arrays") {
        val cube = Npy.read(fixture("f8_3d.npy")).shouldBeInstanceOf<NpyArray.Float64>()
        cube.shape shouldBe Shape.of(2, 3, 4)
        cube.data.toList() shouldBe List(24) { (it - 11.25) / 3 }
        val scalar = Npy.read(fixture("f8_scalar.npy")).shouldBeInstanceOf<NpyArray.Float64>()
        scalar.shape shouldBe Shape.of()
        scalar.data.toList() shouldBe listOf(-2.5)
        Npy.read(fixture("f4_empty.npy")).shape shouldBe Shape.of(0, 4)
    }

    test("rejects Fortran order, big-endian and non-float dtypes with a clear message") {
        shouldThrow<NpyFormatException> { Npy.read(fixture("f4_fortran.npy")) }.message shouldContain
            "is in Fortran (column-major) order; expected C order"
        shouldThrow<NpyFormatException> { Npy.read(fixture("f4_bigendian.npy")) }.message shouldContain
            "has dtype '>f4'; kerb reads little-endian float32 ('<f4') and float64 ('<f8') arrays"
        shouldThrow<NpyFormatException> { Npy.read(fixture("i4.npy")) }.message shouldContain "has dtype '<i4'"
    }

    test("rejects truncated and oversized data, and headers that promise more than the file holds") {
        val dir = tempdir().toPath()
        val bytes = Files.readAllBytes(fixture("f4_v1.npy"))
        val truncated = dir.resolve("truncated.npy").also { Files.write(it, bytes.copyOf(bytes.size - 3)) }
        shouldThrow<NpyFormatException> { Npy.read(truncated) }.message shouldBe
            "$truncated is truncated: its header promises 48 bytes of <f4 data for shape [3, 4] but only 45 follow"
        val oversized = dir.resolve("oversized.npy").also { Files.write(it, bytes + ByteArray(4)) }
        shouldThrow<NpyFormatException> { Npy.read(oversized) }.message shouldBe
            "$oversized is oversized: 52 bytes of data follow its header, but shape [3, 4] of <f4 needs exactly 48"
        // A header claiming two billion elements over 48 bytes of data fails before allocating anything.
        val header = String(bytes, 10, bytes.size - 58, Charsets.ISO_8859_1).replace("(3, 4)", "(2000000000,)")
        val liar = dir.resolve("liar.npy")
        Files.write(liar, bytes.copyOf(8) + byteArrayOf(header.length.toByte(), 0) +
            header.toByteArray(Charsets.ISO_8859_1) + bytes.copyOfRange(bytes.size - 48, bytes.size))
        shouldThrow<NpyFormatException> { Npy.read(liar) }.message shouldContain
            "its header promises 8000000000 bytes of <f4 data for shape [2000000000] but only 48 follow"
        val notNpy = dir.resolve("not.npy").also { Files.writeString(it, "hello, world") }
        shouldThrow<NpyFormatException> { Npy.read(notNpy) }.message shouldContain "is not a .npy file"
        val empty = dir.resolve("empty.npy").also { Files.write(it, ByteArray(0)) }
        shouldThrow<NpyFormatException> { Npy.read(empty) }.message shouldContain "is not a .npy file"
    }

    test("writes files that read back identically, with NumPy's 64-byte header alignment") {
        val dir = tempdir().toPath()
        val cases = listOf(
            NpyArray.Float32(Shape.of(), floatArrayOf(1.5f)),
            NpyArray.Float32(Shape.of(0), FloatArray(0)),
            NpyArray.Float64(Shape.of(2, 1, 3, 1, 2), DoubleArray(12) { it * 0.1 }),
            NpyArray.Float32(Shape.of(300_000), FloatArray(300_000) { it.toFloat() }),
        )
        for ((i, array) in cases.withIndex()) {
            val path = dir.resolve("out$i.npy")
            Npy.write(array, path)
            val back = Npy.read(path)
            back.shape shouldBe array.shape
            when (array) {
                is NpyArray.Float32 -> (back as NpyArray.Float32).data.toList() shouldBe array.data.toList()
                is NpyArray.Float64 -> (back as NpyArray.Float64).data.toList() shouldBe array.data.toList()
            }
            val raw = Files.readAllBytes(path)
            val headerLength = (raw[8].toInt() and 0xff) or ((raw[9].toInt() and 0xff) shl 8)
            (10 + headerLength) % 64 shouldBe 0
        }
        Files.list(dir).use { files -> files.filter { it.fileName.toString().endsWith(".tmp") }.count() shouldBe 0 }
    }

    test("writes the header exactly as NumPy does for the same array") {
        val ours = tempdir().toPath().resolve("ours.npy")
        Npy.write(NpyArray.Float32(Shape.of(3, 4), expected3x4), ours)
        Files.readAllBytes(ours).toList() shouldBe Files.readAllBytes(fixture("f4_v1.npy")).toList()
    }
})
