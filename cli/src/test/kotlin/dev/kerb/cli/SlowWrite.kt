package dev.kerb.cli

import dev.kerb.model.io.ModelFiles
import java.nio.file.Path

/** A write that never ends, for InterruptedWriteTest: prints `writing` once its temporary file exists, then waits. */
object SlowWrite {
    @JvmStatic
    fun main(args: Array<String>) {
        ModelFiles.writeAtomically(Path.of(args[0])) { out ->
            out.write(ByteArray(1 shl 20))
            out.flush()
            println("writing")
            System.out.flush()
            Thread.sleep(120_000)
        }
    }
}
