package dev.kerb.script

import java.nio.file.Path
import java.util.ServiceLoader

/**
 * Compiles and runs `*.kerb.kts` scripts. The implementation (`kerb-script-host`) holds the Kotlin compiler, so it
 * is found with [ServiceLoader] at run time, and only programs that run scripts need it on their classpath.
 */
public interface ScriptHost {
    /**
     * Compiles [script], or takes it from the cache under [cacheDir] when the same text, path and classpath were
     * compiled before, then runs it with [args].
     *
     * @param cacheDir where compiled scripts are kept; null compiles every time
     * @return the script's last expression, or null when it has none
     * @throws ScriptCompileException if the script does not compile; it lists every diagnostic
     * @throws ScriptFailedException if the script throws
     * @throws java.io.IOException if the script cannot be read
     */
    public fun run(script: Path, args: List<String>, cacheDir: Path?): ScriptRun

    /** Finding the host. */
    public companion object {
        /** Returns the host on [loader]'s classpath, or null when none is there. */
        @JvmStatic
        public fun find(loader: ClassLoader = ScriptHost::class.java.classLoader): ScriptHost? =
            ServiceLoader.load(ScriptHost::class.java, loader).firstOrNull()

        /** Where compiled scripts are kept by default: `$XDG_CACHE_HOME/kerb/scripts`, else `~/.cache/kerb/scripts`. */
        @JvmStatic
        public fun defaultCacheDir(): Path =
            (System.getenv("XDG_CACHE_HOME")?.takeIf { it.isNotEmpty() }?.let { Path.of(it) }
                ?: Path.of(System.getProperty("user.home"), ".cache")).resolve("kerb").resolve("scripts")
    }
}

/**
 * What one script run gave.
 *
 * @property value the script's last expression, or null
 * @property cached whether the compiled script came from the cache
 */
public class ScriptRun(public val value: Any?, public val cached: Boolean)

/**
 * A script that does not compile.
 *
 * @property diagnostics one line each, as a compiler prints them: `model.kerb.kts:4:17: error: ...`
 */
public class ScriptCompileException(public val diagnostics: List<String>) :
    RuntimeException(diagnostics.joinToString("\n"))

/**
 * A script that threw.
 *
 * @property scriptFrames the frames of the script's own code, `at model.kerb.kts:3`, innermost first
 */
public class ScriptFailedException(message: String, public val scriptFrames: List<String>, cause: Throwable) :
    RuntimeException(message, cause)
