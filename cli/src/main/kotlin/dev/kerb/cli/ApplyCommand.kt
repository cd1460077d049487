package dev.kerb.cli

import dev.kerb.core.ApplyOptions
import dev.kerb.core.Constraint
import dev.kerb.dsl.constraint
import dev.kerb.model.io.KerasJson
import dev.kerb.model.io.ModelFiles
import dev.kerb.registry.ConstraintRegistry
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb apply`: reads a `.npy` array, applies one constraint, writes the result atomically. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = ["Apply a Keras constraint to a float32 or float64 .npy array."],
)
internal class ApplyCommand : Callable<Int> {
    @Option(
        names = ["-c", "--constraint"], required = true, paramLabel = "SPEC",
        description = ["A constraint name (max_norm, MaxNorm, ...) or a Keras 3 or Keras 2 constraint dict as " +
            "JSON, inline or as @FILE.json."],
    )
    lateinit var spec: String

    @Option(names = ["-i", "--input"], required = true, paramLabel = "IN.npy", description = ["The array to read."])
    lateinit var input: Path

    @Option(
        names = ["-o", "--output"], required = true, paramLabel = "OUT.npy",
        description = ["Where to write the result; may be the input file."],
    )
    lateinit var output: Path

    @Option(
        names = ["--epsilon"], paramLabel = "EPS",
        description = ["The epsilon added to norms in the denominator (default: Keras' \${DEFAULT-VALUE})."],
    )
    var epsilon: Double = ApplyOptions.KERAS_EPSILON

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    @CommandLine.ParentCommand
    lateinit var kerb: Kerb

    override fun call(): Int {
        val constraint = parseConstraint(spec, kerb.registry)
        val options = userInput { ApplyOptions.DEFAULT.withEpsilon(epsilon) }
        val array = Npy.read(input)
        userInput { constraint.check(array.shape) } // an axis out of range, a radial kernel that is not square, ...
        constraint.apply(array.tensor(), options)
        Npy.write(array, output)
        val dtype = if (array is NpyArray.Float32) "float32" else "float64"
        commandSpec.commandLine().out.println("$constraint applied to $dtype ${array.shape} from $input; wrote $output")
        return Kerb.OK
    }

    /** Runs [check], which rejects what the user gave with an [IllegalArgumentException], as bad input. */
    private inline fun <T> userInput(check: () -> T): T = try {
        check()
    } catch (e: IllegalArgumentException) {
        throw BadInputException(e.message ?: e.javaClass.simpleName, e)
    }

    companion object {
        /** Resolves SPEC: a registry name, or a JSON constraint dict inline or in `@file`. */
        fun parseConstraint(spec: String, registry: ConstraintRegistry): Constraint {
            val text = if (spec.startsWith("@")) readSpecFile(Path.of(spec.substring(1))) else spec
            val trimmed = text.trim()
            val identifier: Any? = if (trimmed.startsWith("{") || trimmed.startsWith("\"")) {
                KerasJson.parse(trimmed)
            } else {
                trimmed
            }
            if (identifier == null || (identifier is String && identifier.isEmpty())) {
                throw BadInputException("--constraint is empty; expected a name such as max_norm or a JSON dict")
            }
            return registry.get(identifier)
        }

        private fun readSpecFile(path: Path): String = try {
            ModelFiles.requireRegularFile(path)
            if (Files.exists(path) && Files.size(path) > ModelFiles.MAX_CONFIG_BYTES) {
                throw BadInputException("constraint file $path is ${Files.size(path)} bytes; Kerb reads constraint " +
                    "specs of up to ${ModelFiles.MAX_CONFIG_BYTES} bytes")
            }
            Files.readString(path)
        } catch (e: java.nio.charset.CharacterCodingException) {
            throw BadInputException("constraint file $path is not UTF-8 text (save it as UTF-8)")
        } catch (e: NoSuchFileException) {
            throw BadInputException("constraint file $path does not exist")
        }
    }
}
