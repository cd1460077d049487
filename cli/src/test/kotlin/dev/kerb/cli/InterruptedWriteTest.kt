package dev.kerb.cli

import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds

/** An interrupted write (Ctrl-C, SIGTERM) leaves neither its temporary file nor a half-written output, in a real JVM. */
class InterruptedWriteTest : FunSpec({
    for (signal in listOf("TERM", "INT")) {
        test("SIG$signal during a write removes the temporary file and leaves no output").config(timeout = 60.seconds) {
            val dir = tempdir().toPath()
            val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
            val process = ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowWrite::class.java.name,
                dir.resolve("out.npy").toString()).redirectErrorStream(true).start()
            process.inputStream.bufferedReader().readLine() shouldBe "writing"
            Files.list(dir).use { it.count() } shouldBe 1L // the temporary file, being written
            ProcessBuilder("kill", "-$signal", process.pid().toString()).start().waitFor() shouldBe 0
            process.waitFor(30, TimeUnit.SECONDS) shouldBe true
            Files.list(dir).use { it.toList() }.shouldBeEmpty()
        }
    }
})
