package dev.kerb.script.host

import dev.kerb.script.KerbScript
import dev.kerb.script.ScriptCompileException
import dev.kerb.script.ScriptFailedException
import dev.kerb.script.ScriptHost
import dev.kerb.script.ScriptRun
import kotlinx.coroutines.runBlocking
import org.jetbrains.kotlin.scripting.compiler.plugin.impl.ScriptJvmCompilerIsolated
import java.nio.file.Files
import java.nio.file.Path
import kotlin.script.experimental.api.ResultValue
import kotlin.script.experimental.api.ResultWithDiagnostics
import kotlin.script.experimental.api.ScriptDiagnostic
import kotlin.script.experimental.api.ScriptEvaluationConfiguration
import kotlin.script.experimental.api.constructorArgs
import kotlin.script.experimental.api.KotlinType
import kotlin.script.experimental.api.valueOrNull
import kotlin.script.experimental.host.createCompilationConfigurationFromTemplate
import kotlin.script.experimental.host.FileScriptSource
import kotlin.script.experimental.jvm.BasicJvmScriptEvaluator
import kotlin.script.experimental.jvm.baseClassLoader
import kotlin.script.experimental.jvm.defaultJvmScriptingHostConfiguration
import kotlin.script.experimental.jvm.impl.KJvmCompiledScript
import kotlin.script.experimental.jvm.jvm

/** The [ScriptHost] of `kerb run`: the Kotlin scripting compiler, a jar cache of compiled scripts, the JVM evaluator. */
public class KerbScriptHost : ScriptHost {
    override fun run(script: Path, args: List<String>, cacheDir: Path?): ScriptRun {
        val text = Files.readString(script)
        val name = script.fileName.toString()
        val cache = cacheDir?.let { ScriptCache(it) }
        val key = ScriptCache.key(text + importedTexts(script, text), script.toAbsolutePath().normalize().toString(),
            classpath())
        val cached = cache?.load(key, KerbScript::class.java.classLoader)
        val compiled = cached ?: compile(script).also { cache?.save(key, it) }
        val evaluation = ScriptEvaluationConfiguration {
            constructorArgs(args.toTypedArray())
            jvm { baseClassLoader(KerbScript::class.java.classLoader) }
        }
        val result = runBlocking { BasicJvmScriptEvaluator()(compiled, evaluation) }
        val value = result.valueOrNull()?.returnValue
            ?: throw IllegalStateException("script $name did not run: " + result.reports.joinToString("; ") { it.message })
        return when (value) {
            is ResultValue.Error -> throw failure(name, value.error)
            is ResultValue.Value -> ScriptRun(value.value, cached != null)
            else -> ScriptRun(null, cached != null)
        }
    }

    private fun compile(script: Path): KJvmCompiledScript {
        val name = script.fileName.toString()
        val configuration = createCompilationConfigurationFromTemplate(
            KotlinType(KerbScript::class), defaultJvmScriptingHostConfiguration, KerbScript::class)
        val compiler = ScriptJvmCompilerIsolated(defaultJvmScriptingHostConfiguration)
        return when (val result = compiler.compile(FileScriptSource(script.toFile()), configuration)) {
            is ResultWithDiagnostics.Success -> result.value as KJvmCompiledScript
            is ResultWithDiagnostics.Failure -> throw ScriptCompileException(
                result.reports.filter { it.severity >= ScriptDiagnostic.Severity.ERROR }.map { diagnostic(name, it) })
        }
    }

    private companion object {
        /** `name:line:column: error: message`, as kotlinc prints a diagnostic. */
        fun diagnostic(name: String, d: ScriptDiagnostic): String {
            val start = d.location?.start
            val where = if (start == null) name else "$name:${start.line}:${start.col}"
            return "$where: ${d.severity.name.lowercase()}: ${d.message}"
        }

        /** The script's own frames, named as the user knows the file: `at model.kerb.kts:3`. */
        fun failure(name: String, error: Throwable): ScriptFailedException {
            val frames = error.stackTrace.filter { it.fileName == name }.map { "at $name:${it.lineNumber}" }
            return ScriptFailedException("${error.javaClass.simpleName}: ${error.message}", frames, error)
        }

        private val IMPORT = Regex("""@file:Import\((.*)\)""")
        private val QUOTED = Regex(""""([^"]*)"""")

        /** The texts of the scripts [text] imports with `@file:Import`, so that editing one compiles this one again. */
        fun importedTexts(script: Path, text: String): String = IMPORT.findAll(text)
            .flatMap { QUOTED.findAll(it.groupValues[1]).map { q -> q.groupValues[1] } }
            .map { script.toAbsolutePath().parent.resolve(it) }
            .joinToString("") { if (Files.isRegularFile(it)) "\u0000$it\u0000" + Files.readString(it) else "" }

        fun classpath(): String = System.getProperty("java.class.path").orEmpty()
    }
}
