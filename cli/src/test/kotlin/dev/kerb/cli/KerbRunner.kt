package dev.kerb.cli

import dev.kerb.registry.ConstraintRegistry
import java.io.PrintWriter
import java.io.StringWriter

/** What one `kerb` run printed and returned, through the same entry point as `main`. */
data class KerbRun(val status: Int, val out: String, val err: String)

/** Runs `kerb` with [args] in-process, resolving constraint names with the default registry. */
fun kerb(vararg args: String): KerbRun = kerbWith(ConstraintRegistry.defaultRegistry(), *args)

/** Runs `kerb` with [args] in-process, resolving constraint names with [registry]. */
fun kerbWith(registry: ConstraintRegistry, vararg args: String): KerbRun {
    val out = StringWriter()
    val err = StringWriter()
    val status = Kerb.run(arrayOf(*args), PrintWriter(out, true), PrintWriter(err, true), registry)
    return KerbRun(status, out.toString(), err.toString())
}
