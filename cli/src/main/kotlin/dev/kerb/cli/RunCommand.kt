package dev.kerb.cli

import dev.kerb.model.LayerShapeException
import dev.kerb.model.ModelSpec
import dev.kerb.model.io.ModelFiles
import dev.kerb.script.ScriptCompileException
import dev.kerb.script.ScriptFailedException
import dev.kerb.script.ScriptHost
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters
import java.io.ByteArrayOutputStream
import java.io.OutputStream
import java.io.PrintStream
import java.io.PrintWriter
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb run`: compiles (or takes from the cache) and runs a `*.kerb.kts` script, and saves the model it ends with. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = ["Run a Kerb script (*.kerb.kts): Kotlin with the Kerb DSL, model, core and registry imported. " +
        "Arguments after -- reach the script as args."],
)
internal class RunCommand : Callable<Int> {
    @Parameters(index = "0", paramLabel = "SCRIPT.kerb.kts", description = ["The script."])
    lateinit var script: Path

    @Parameters(index = "1..*", paramLabel = "ARGS", description = ["The script's arguments (after --)."])
    var args: List<String> = emptyList()

    @Option(names = ["--save"], paramLabel = "OUT",
        description = ["Write the model the script ends with: JSON by default; a name ending in .keras writes an " +
            "archive and one ending in .h5 a legacy Keras model, both with weights: those of the file the model was " +
            "read from, or initial ones as its config says (seed 0 unless --seed)."])
    var save: Path? = null

    @Option(names = ["--seed"], paramLabel = "N",
        description = ["Initialize the saved model's weights drawing with seed N (a .keras or .h5 --save)."])
    var seed: Long? = null

    @Option(names = ["--cache-dir"], paramLabel = "DIR",
        description = ["Keep compiled scripts here (default: \$XDG_CACHE_HOME/kerb/scripts or ~/.cache/kerb/scripts)."])
    var cacheDir: Path? = null

    @Option(names = ["--no-cache"], description = ["Compile the script even if it was compiled before."])
    var noCache: Boolean = false

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    override fun call(): Int {
        val host = ScriptHost.find() ?: throw BadInputException("kerb run needs the script runtime, which ./kerb " +
            "puts on the classpath for run (script-host/target/lib); build it with mvn -B -q package -DskipTests")
        ModelFiles.requireRegularFile(script)
        val out = commandSpec.commandLine().out
        val err = commandSpec.commandLine().err
        val run = try {
            routed(out, err) { host.run(script, args, if (noCache) null else cacheDir ?: ScriptHost.defaultCacheDir()) }
        } catch (e: ScriptCompileException) {
            e.diagnostics.forEach(err::println)
            return Kerb.BAD_INPUT
        } catch (e: ScriptFailedException) {
            val misfit = e.cause as? LayerShapeException
            if (misfit != null) {
                // A model Keras would refuse to build is the script's input to fix, not a fault: one line, exit 2.
                val at = e.scriptFrames.firstOrNull()?.removePrefix("at ") ?: script.toString()
                err.println("kerb run: $at: ${misfit.message}")
                return Kerb.BAD_INPUT
            }
            err.println("kerb run: $script failed: ${e.message}")
            e.scriptFrames.forEach { err.println("    $it") }
            return Kerb.INTERNAL_FAULT
        }
        val target = save ?: return Kerb.OK
        val spec = run.value as? ModelSpec ?: throw BadInputException("$script ends with " +
            (run.value?.let { it.javaClass.simpleName } ?: "no value") + ", not a model, so --save has nothing to write")
        val seed = seed
        if (seed != null && !holdsWeights(target)) {
            throw BadInputException("--seed initializes weights: --save to a .keras or .h5 file")
        }
        if (seed != null) spec.write(target, spec.initialWeights(seed))
        else spec.write(target).forEach { err.println("kerb run: warning: $it") }
        out.println("saved ${spec.format} ${spec.className} to $target")
        return Kerb.OK
    }

    /** Runs [block] with `System.out` and `System.err`, which the script prints to, going to the command's streams. */
    private fun <T> routed(out: PrintWriter, err: PrintWriter, block: () -> T): T {
        val saved = System.out to System.err
        System.setOut(PrintStream(WriterStream(out), true, Charsets.UTF_8))
        System.setErr(PrintStream(WriterStream(err), true, Charsets.UTF_8))
        try {
            return block()
        } finally {
            System.out.flush()
            System.err.flush()
            System.setOut(saved.first)
            System.setErr(saved.second)
        }
    }

    /** Bytes printed through a [PrintStream], decoded as UTF-8 into [writer] at each flush. */
    private class WriterStream(private val writer: PrintWriter) : OutputStream() {
        private val buffer = ByteArrayOutputStream()

        override fun write(b: Int) = buffer.write(b)

        override fun write(b: ByteArray, off: Int, len: Int) = buffer.write(b, off, len)

        override fun flush() {
            writer.write(buffer.toString(Charsets.UTF_8))
            writer.flush()
            buffer.reset()
        }
    }
}
