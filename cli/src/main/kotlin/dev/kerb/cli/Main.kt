package dev.kerb.cli

import dev.kerb.registry.ConstraintRegistry
import kotlin.system.exitProcess
import java.io.PrintWriter

/** Runs the `kerb` command line and exits with its status: 0 success, 2 bad input, 1 internal fault. */
public fun main(args: Array<String>) {
    val out = PrintWriter(System.out, true)
    val err = PrintWriter(System.err, true)
    val status = Kerb.run(args, out, err, ConstraintRegistry.defaultRegistry())
    out.flush()
    err.flush()
    exitProcess(status)
}
