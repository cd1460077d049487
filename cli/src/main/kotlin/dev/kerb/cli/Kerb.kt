package dev.kerb.cli

import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry
import picocli.CommandLine
import picocli.CommandLine.Command
import java.io.PrintWriter
import java.nio.file.AccessDeniedException
import java.nio.file.FileSystemException
import java.nio.file.NoSuchFileException
import java.nio.file.NotDirectoryException

/** Input the user can fix: the CLI prints its message on one line and exits with [Kerb.BAD_INPUT]. */
internal open class BadInputException(message: String, cause: Throwable? = null) : RuntimeException(message, cause)

/** The `kerb` command and its error policy. */
@Command(
    name = "kerb",
    mixinStandardHelpOptions = true,
    version = ["kerb 0.1.0"],
    description = ["Keras-compatible weight constraints for the JVM."],
    subcommands = [ApplyCommand::class, DescribeCommand::class, ConvertCommand::class, CheckCommand::class,
        ConstrainCommand::class, RunCommand::class, SummaryCommand::class, PredictCommand::class, FitCommand::class,
        PlotCommand::class, ReportCommand::class, BenchCommand::class],
)
internal class Kerb(
    /** Resolves every constraint name the commands read: the caller's, so that nothing here changes global state. */
    val registry: ConstraintRegistry,
) : Runnable {
    @CommandLine.Spec
    lateinit var spec: CommandLine.Model.CommandSpec

    override fun run() {
        throw CommandLine.ParameterException(spec.commandLine(), "missing command: expected one of " +
            spec.subcommands().keys.joinToString(", "))
    }

    companion object {
        const val OK = 0
        const val INTERNAL_FAULT = 1
        const val BAD_INPUT = 2

        /** Runs the command line with the given streams and registry and returns the exit status. */
        fun run(args: Array<String>, out: PrintWriter, err: PrintWriter, registry: ConstraintRegistry): Int {
            val commandLine = CommandLine(Kerb(registry))
            commandLine.out = out
            commandLine.err = err
            commandLine.isExpandAtFiles = false // "@spec.json" is a constraint file, not a picocli argument file
            commandLine.setParameterExceptionHandler { e, _ ->
                val name = e.commandLine.commandSpec.qualifiedName()
                err.println("$name: ${oneLine(e.message)} (see '$name --help')")
                BAD_INPUT
            }
            commandLine.setExecutionExceptionHandler { e, cmd, _ ->
                val name = cmd.commandSpec.qualifiedName()
                val status = statusOf(e)
                val message = if (status == BAD_INPUT) describe(e) else "internal error: ${e.javaClass.name}: ${e.message}"
                err.println("$name: ${oneLine(message)}")
                status
            }
            return commandLine.execute(*args)
        }

        /**
         * Kerb's bad-input exceptions ([ConfigException], which includes an unregistered constraint, and the CLI's
         * own) and missing or unreadable files are the user's to fix; anything else is a fault in Kerb or in a
         * registered constraint.
         */
        private fun statusOf(e: Throwable): Int = when (e) {
            is BadInputException, is ConfigException -> BAD_INPUT
            is FileSystemException -> BAD_INPUT // a missing, unreadable or unwritable file, a folder, a device
            else -> INTERNAL_FAULT
        }

        private fun describe(e: Throwable): String = when (e) {
            is NoSuchFileException -> "no such file or directory: ${e.file}"
            is AccessDeniedException -> "permission denied: ${e.file}"
            is FileSystemException -> e.reason?.takeIf { it.startsWith("is ") || it.startsWith("cannot ") }?.let { "${e.file} $it" }
                ?: "${e.reason ?: "cannot use"}: ${e.file}"
            else -> e.message ?: e.javaClass.simpleName
        }

        private fun oneLine(text: String?): String = text.orEmpty().replace(Regex("\\s*\\R\\s*"), " ").trim()
    }
}
