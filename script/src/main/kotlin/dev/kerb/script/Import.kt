package dev.kerb.script

import java.io.File
import kotlin.script.experimental.api.RefineScriptCompilationConfigurationHandler
import kotlin.script.experimental.api.ResultWithDiagnostics
import kotlin.script.experimental.api.ScriptCollectedData
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.ScriptConfigurationRefinementContext
import kotlin.script.experimental.api.asSuccess
import kotlin.script.experimental.api.collectedAnnotations
import kotlin.script.experimental.api.importScripts
import kotlin.script.experimental.host.FileBasedScriptSource
import kotlin.script.experimental.host.FileScriptSource

/**
 * Runs other scripts before this one and makes their declarations visible here, as kotlin-main-kts' `@file:Import`
 * does: `@file:Import("define-cnn.kerb.kts")`. Paths are relative to this script's folder.
 *
 * @property paths the scripts, in the order they run
 */
@Target(AnnotationTarget.FILE)
@Repeatable
@Retention(AnnotationRetention.SOURCE)
public annotation class Import(vararg val paths: String)

/** Adds the scripts that [Import] names to a script's compilation. */
internal object ImportScripts : RefineScriptCompilationConfigurationHandler {
    override fun invoke(context: ScriptConfigurationRefinementContext):
        ResultWithDiagnostics<ScriptCompilationConfiguration> {
        val imports = context.collectedData?.get(ScriptCollectedData.collectedAnnotations)
            ?.mapNotNull { it.annotation as? Import }.orEmpty()
        if (imports.isEmpty()) return context.compilationConfiguration.asSuccess()
        val folder = (context.script as? FileBasedScriptSource)?.file?.absoluteFile?.parentFile
        val sources = imports.flatMap { it.paths.toList() }.map { FileScriptSource(folder?.resolve(it) ?: File(it)) }
        return ScriptCompilationConfiguration(context.compilationConfiguration) { importScripts.append(sources) }
            .asSuccess()
    }
}
