package dev.kerb.cli

import dev.kerb.core.Shape
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path
import kotlin.time.Duration.Companion.seconds

/**
 * Writes to a full disk and to a read-only file system, end to end in real JVMs: one line naming the output, exit 2,
 * nothing left behind. The file systems are real tmpfs mounts, made in a private mount namespace (`unshare -rm`), so
 * the test needs no privileges and leaves no mount behind.
 */
class FileSystemLimitsTest : FunSpec({
    val root = Path.of(checkNotNull(System.getProperty("kerb.repo.dir")) { "kerb.repo.dir is not set; run with Maven" })

    test("a full disk and a read-only file system are bad input naming the output, and leave no file").config(timeout = 120.seconds) {
        val dir = tempdir().toPath()
        val full = Files.createDirectory(dir.resolve("full"))
        val readOnly = Files.createDirectory(dir.resolve("read-only"))
        val npy = dir.resolve("kernel.npy").also { Npy.write(NpyArray.Float32(Shape.of(300, 300), FloatArray(90_000) { it % 7f }), it) }
        val keras = root.resolve("testdata/keras-corpus/hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip.keras")
        val kerb = listOf(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            System.getProperty("java.class.path"), "dev.kerb.cli.MainKt").joinToString(" ") { "'$it'" }
        // 16 KiB holds neither the 360 kB array nor the 56 kB archive.
        val script = """
            mount -t tmpfs -o size=16k tmpfs '$full' && mount -t tmpfs -o ro tmpfs '$readOnly' || exit 99
            $kerb apply -c max_norm -i '$npy' -o '$full/out.npy'; echo "status ${'$'}?"
            $kerb convert '$keras' --to keras3 -o '$full/out.keras'; echo "status ${'$'}?"
            $kerb apply -c max_norm -i '$npy' -o '$readOnly/out.npy'; echo "status ${'$'}?"
            echo "left: ${'$'}(ls -A '$full' '$readOnly' | grep -v : | tr -d '\n')"
        """.trimIndent()
        val process = ProcessBuilder("unshare", "-rm", "sh", "-c", script).redirectErrorStream(true).start()
        val output = process.inputStream.bufferedReader().readText()
        process.waitFor() shouldBe 0
        output.lines().filter { it.isNotBlank() } shouldBe listOf(
            "kerb apply: $full/out.npy cannot be written: no space left on device", "status 2",
            "kerb convert: $full/out.keras cannot be written: no space left on device", "status 2",
            "kerb apply: $readOnly/out.npy cannot be written: read-only file system", "status 2",
            "left: ",
        )
    }
})
