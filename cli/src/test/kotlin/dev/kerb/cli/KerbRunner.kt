package dev.kerb.cli

import java.io.PrintWriter
import java.io.StringWriter

/** What one `kerb` run printed and returned, through the same entry point as `main`. */
data class KerbRun(val status: Int, val out: String, val err: String)

/** Runs `kerb` with [args] in-process. */
fun kerb(vararg args: String): KerbRun {
    val out = StringWriter()
    val err = StringWriter()
    val status = Kerb.run(arrayOf(*args), PrintWriter(out, true), PrintWriter(err, true))
    return KerbRun(status, out.toString(), err.toString())
}
