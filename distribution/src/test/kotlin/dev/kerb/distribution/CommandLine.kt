package dev.kerb.distribution

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** What one command printed and how it exited. */
data class Run(val exitCode: Int, val stdout: String, val stderr: String)

/** Runs `kerb` found through the PATH (or the build's kerb.jar) in a working folder, with a time limit. */
class CommandLine private constructor(
    private val prefix: List<String>,
    private val work: Path,
    private val env: Map<String, String>,
) {
    operator fun invoke(args: List<String>): Run {
        val builder = ProcessBuilder(prefix + args).directory(work.toFile())
        builder.environment().putAll(env)
        val process = builder.start()
        process.outputStream.close()
        val stdout = process.inputStream.bufferedReader().readText()
        val stderr = process.errorStream.bufferedReader().readText()
        check(process.waitFor(5, TimeUnit.MINUTES)) { "kerb ${args.joinToString(" ")} did not end within 5 minutes" }
        return Run(process.exitValue(), stdout, stderr)
    }

    companion object {
        /** The distribution's bin/kerb, found by `env` through the PATH; DJL's cache under [djlCache], not the home folder. */
        operator fun invoke(bin: Path, work: Path, djlCache: Path): CommandLine = CommandLine(
            listOf("env", "kerb"), work,
            mapOf(
                "PATH" to "$bin${java.io.File.pathSeparator}${System.getenv("PATH")}",
                "DJL_CACHE_DIR" to djlCache.toString(),
                "ENGINE_CACHE_DIR" to djlCache.toString(),
            ),
        )

        /** The build's shaded kerb.jar, the command line the cli module's tests check. */
        fun jar(jar: Path, work: Path): CommandLine = CommandLine(listOf("java", "-jar", jar.toString()), work, emptyMap())
    }
}
