package dev.kerb.cli

import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import kotlin.time.Duration.Companion.seconds

/**
 * Inputs and outputs that are not plain files, end to end with real folders, pipes, devices and links: bad input is
 * one line and exit 2, reads never block or run unbounded, and writes keep what the user expects of a file.
 */
class FileEdgesTest : FunSpec({
    val root = Path.of(checkNotNull(System.getProperty("kerb.repo.dir")) { "kerb.repo.dir is not set; run with Maven" })
    val npy = root.resolve("samples/data/dense_kernel.npy").toString()
    val model = root.resolve("testdata/keras-corpus/dl4j-keras1-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json")
        .toString()

    fun fifo(dir: Path): Path = dir.resolve("fifo").also {
        ProcessBuilder("mkfifo", it.toString()).start().waitFor() shouldBe 0
    }

    fun shouldFail(expected: String, vararg args: String) {
        val (status, out, err) = kerb(*args)
        status shouldBe 2
        out shouldBe ""
        err shouldBe "$expected\n"
    }

    test("a folder, a pipe or a device as input is refused at once").config(timeout = 20.seconds) {
        val dir = tempdir().toPath()
        val pipe = fifo(dir)
        val notFile = "is not a regular file (a device, pipe or socket); expected a file"
        shouldFail("kerb describe: $dir is a folder; expected a file", "describe", dir.toString())
        shouldFail("kerb describe: $pipe $notFile", "describe", pipe.toString())
        shouldFail("kerb convert: $pipe $notFile", "convert", pipe.toString(), "--to", "keras3", "-o",
            dir.resolve("x.keras").toString())
        shouldFail("kerb describe: /dev/zero $notFile", "describe", "/dev/zero")
        shouldFail("kerb apply: /dev/zero $notFile", "apply", "-c", "@/dev/zero", "-i", npy, "-o", dir.resolve("o").toString())
        shouldFail("kerb apply: $pipe $notFile", "apply", "-c", "max_norm", "-i", pipe.toString(), "-o",
            dir.resolve("o").toString())
        shouldFail("kerb run: $dir is a folder; expected a file", "run", dir.toString())
    }

    test("a constraint file that is not UTF-8 is bad input") {
        val latin1 = Files.write(tempdir().toPath().resolve("spec.json"),
            "{\"class_name\": \"MaxNorm\", \"x\": \"\u00e9\"}".toByteArray(Charsets.ISO_8859_1))
        shouldFail("kerb apply: constraint file $latin1 is not UTF-8 text (save it as UTF-8)",
            "apply", "-c", "@$latin1", "-i", npy, "-o", tempdir().toPath().resolve("o.npy").toString())
    }

    test("an output that is a folder, a device or in a missing folder is refused, and nothing is left behind") {
        val dir = tempdir().toPath()
        Files.createDirectory(dir.resolve("sub"))
        val cases = mapOf(
            dir.resolve("sub").toString() to "kerb apply: ${dir.resolve("sub")} is a folder; expected a file name to write",
            "${dir.resolve("sub")}/" to "kerb apply: ${dir.resolve("sub")} is a folder; expected a file name to write",
            "" to "kerb apply: \"\" is a folder; expected a file name to write",
            "/dev/null" to "kerb apply: /dev/null is not a regular file (a device, pipe or socket); Kerb writes files, atomically",
            dir.resolve("missing/o.npy").toString() to "kerb apply: no such file or directory: ${dir.resolve("missing")}",
        )
        for ((output, message) in cases) shouldFail(message, "apply", "-c", "max_norm", "-i", npy, "-o", output)
        Files.isRegularFile(Path.of("/dev/null")) shouldBe false // still the device
        Files.list(dir).use { s -> s.map { it.fileName.toString() }.toList() } shouldContainExactlyInAnyOrder listOf("sub")
        Files.list(dir.resolve("sub")).use { it.count() } shouldBe 0L
    }

    test("writes keep an existing file's mode, give a new one the umask's, and go through a symbolic link") {
        val dir = tempdir().toPath()
        val reference = Files.createFile(dir.resolve("reference")) // what the umask gives a new file
        val fresh = dir.resolve("new.npy")
        kerb("apply", "-c", "max_norm", "-i", npy, "-o", fresh.toString()).status shouldBe 0
        Files.getPosixFilePermissions(fresh) shouldBe Files.getPosixFilePermissions(reference)
        val inPlace = Files.copy(Path.of(npy), dir.resolve("in-place.npy"))
        Files.setPosixFilePermissions(inPlace, PosixFilePermissions.fromString("rw-r-----"))
        kerb("apply", "-c", "max_norm", "-i", inPlace.toString(), "-o", inPlace.toString()).status shouldBe 0
        PosixFilePermissions.toString(Files.getPosixFilePermissions(inPlace)) shouldBe "rw-r-----"
        val link = Files.createSymbolicLink(dir.resolve("link.npy"), fresh.fileName)
        val (status, _, err) = kerb("apply", "-c", "non_neg", "-i", npy, "-o", link.toString())
        err shouldBe ""
        status shouldBe 0
        Files.isSymbolicLink(link) shouldBe true
        Files.readAllBytes(fresh).toList() shouldBe Files.readAllBytes(link).toList()
        Files.list(dir).use { s -> s.map { it.fileName.toString() }.toList() } shouldContainExactlyInAnyOrder
            listOf("reference", "new.npy", "in-place.npy", "link.npy")
    }

    test("a valid .npy larger than the heap, of a size past 2 GiB mod 4 GiB, is one line saying what to do") {
        // 2e9 float32 (8e9 bytes, 3.7e9 mod 4 GiB): a size that once failed with "capacity < 0" (sizes are longs
        // now), and more than the test JVM's heap (a quarter of this machine's memory). The file is sparse.
        val count = 2_000_000_000L
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': ($count,), }"
        header += " ".repeat(64 - (10 + header.length + 1) % 64) + "\n"
        val big = tempdir().toPath().resolve("big.npy")
        java.io.RandomAccessFile(big.toFile(), "rw").use { file ->
            file.write(byteArrayOf(0x93.toByte()) + "NUMPY".toByteArray() + byteArrayOf(1, 0, header.length.toByte(), 0))
            file.write(header.toByteArray())
            file.setLength(file.filePointer + count * 4)
        }
        val (status, _, err) = kerb("apply", "-c", "max_norm", "-i", big.toString(), "-o", tempdir().toPath().resolve("o").toString())
        status shouldBe 2
        err shouldStartWith "kerb apply: $big holds ${count * 4} bytes of data, more than the "
        err.trimEnd() shouldContain "this JVM's heap has left; give kerb a larger heap, e.g. KERB_JAVA_OPTS=-Xmx"
        err.trimEnd().lines().size shouldBe 1
    }

    test("damaged files and oversized names give one short line naming the file, exit 2") {
        val dir = tempdir().toPath()
        val h5 = Files.readAllBytes(root.resolve("testdata/keras-corpus/inndie-tfkeras2.2.4-dense-sequential-maxnorm.h5"))
        val short = Files.write(dir.resolve("short.h5"), h5.copyOf(8))
        shouldFail("kerb describe: $short is not a readable HDF5 file (it ends before data it refers to); expected a " +
            "Keras .h5 model", "describe", short.toString())
        // One byte flipped at offsets where jHDF threw ArithmeticException, IllegalArgumentException, and where the
        // model_config text got a non-number literal (NumberFormatException): all bad input now.
        for (offset in listOf(35, 49, 63, 2121, 2723, 2737)) {
            val flipped = Files.write(dir.resolve("flip$offset.h5"), h5.copyOf().also { it[offset] = (it[offset].toInt() xor 0xff).toByte() })
            val (status, _, err) = kerb("describe", flipped.toString())
            (status to err.trimEnd().lines().size) shouldBe (2 to 1)
            err shouldContain flipped.toString()
        }
        // A number too large for a double (Python's json reads it as inf): the message names the file, layer and key.
        val keras2 = root.resolve("testdata/keras-corpus/dl4j-keras2-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json")
        val huge = Files.writeString(dir.resolve("huge.json"),
            Files.readString(keras2).replaceFirst("\"max_value\": 2.0", "\"max_value\": 1e999"))
        shouldFail("kerb describe: $huge: MaxNorm config in layer 'dense_1' kernel_constraint key 'max_value' is " +
            "Infinity; expected a finite number", "describe", huge.toString())
        val hugeName = Files.writeString(dir.resolve("name.txt"), "x".repeat(3_000_000))
        val (status, _, err) = kerb("apply", "-c", "@$hugeName", "-i", npy, "-o", dir.resolve("o.npy").toString())
        status shouldBe 2
        err.length shouldBeLessThan 1000 // a 3 MB name was echoed twice, and took seconds to find "did you mean"
    }

    test("a .keras archive with a damaged or duplicated entry is one line naming the archive and the entry, exit 2") {
        val dir = tempdir().toPath()
        val source = Files.readAllBytes(root.resolve(
            "testdata/keras-corpus/hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip.keras"))
        val weights = String(source, Charsets.ISO_8859_1).indexOf("\u0089HDF") // the stored weights' first bytes
        val bytes = source.copyOf().also { it[weights + 600] = 1 }
        val damaged = Files.write(dir.resolve("damaged.keras"), bytes)
        val crc = java.util.zip.CRC32().apply { update(bytes, weights, 42852) }.value // unzip -v: 42852 bytes, 60fb2cdc
        shouldFail("kerb convert: $damaged entry model.weights.h5 is damaged (invalid entry crc-32 (expected " +
            "0x60fb2cdc but got 0x${crc.toString(16)})); expected a .keras archive as Keras writes it",
            "convert", damaged.toString(), "--to", "keras3", "-o", dir.resolve("out.keras").toString())
        // config.json twice: written as config.json and config.jsoN, then renamed in local headers and directory.
        val zip = java.io.ByteArrayOutputStream()
        java.util.zip.ZipOutputStream(zip).use { out ->
            for (name in listOf("config.json", "config.jsoN")) {
                out.putNextEntry(java.util.zip.ZipEntry(name))
                out.write("{}".toByteArray())
            }
        }
        val twice = Files.write(dir.resolve("twice.keras"), String(zip.toByteArray(), Charsets.ISO_8859_1)
            .replace("config.jsoN", "config.json").toByteArray(Charsets.ISO_8859_1))
        shouldFail("kerb describe: $twice holds the entry config.json 2 times; expected each entry once, as Keras " +
            "writes them", "describe", twice.toString())
        Files.list(dir).use { s -> s.map { it.fileName.toString() }.toList() } shouldContainExactlyInAnyOrder
            listOf("damaged.keras", "twice.keras")
    }

    test("a .h5 whose object headers loop is read in bounded time").config(timeout = 5.seconds) {
        // Found by ReadersFuzzTest#h5Config: 837 bytes that took 12 s of reads through jHDF's file-channel reader.
        val loop = root.resolve("model/src/test/resources/dev/kerb/model/ReadersFuzzTestInputs/h5Config/" +
            "object-header-continuation-loop.h5")
        shouldFail("kerb describe: $loop is not a readable HDF5 file (Failed to load attributes for '//' at address " +
            "'96'); expected a Keras .h5 model", "describe", loop.toString())
    }
})
