package dev.kerb.script

import kotlin.script.experimental.annotations.KotlinScript
import kotlin.script.experimental.api.ScriptAcceptedLocation
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.acceptedLocations
import kotlin.script.experimental.api.defaultImports
import kotlin.script.experimental.api.ide
import kotlin.script.experimental.api.refineConfiguration
import kotlin.script.experimental.jvm.dependenciesFromClassContext
import kotlin.script.experimental.jvm.jvm
import kotlin.script.experimental.jvm.jvmTarget

/**
 * The base class of every `*.kerb.kts` script: the Kerb DSL, model, core and registry packages, `Path` and
 * `kotlin.io.path` are imported, and [args] holds what follows `--` on `kerb run`'s command line. The script's last
 * expression is its result; `kerb run --save OUT` writes it when it is a model.
 *
 * An IDE finds this definition through `META-INF/kotlin/script/templates/` in this jar: with `kerb-script` and its
 * dependencies on a project's classpath, `*.kerb.kts` files get completion.
 *
 * @property args the script's arguments
 */
@KotlinScript(
    displayName = "Kerb script",
    fileExtension = "kerb.kts",
    compilationConfiguration = KerbScriptCompilation::class,
)
public abstract class KerbScript(public val args: Array<String>)

/** How `*.kerb.kts` scripts compile: Kerb's default imports, the classpath Kerb runs with, JVM target 17. */
public object KerbScriptCompilation : ScriptCompilationConfiguration({
    defaultImports(
        "dev.kerb.dsl.*", "dev.kerb.model.*", "dev.kerb.core.*", "dev.kerb.core.thirdparty.*", "dev.kerb.registry.*",
        "java.nio.file.Path", "kotlin.io.path.*", "dev.kerb.script.Import",
    )
    refineConfiguration {
        onAnnotations(Import::class, handler = ImportScripts)
    }
    jvm {
        dependenciesFromClassContext(KerbScript::class, wholeClasspath = true)
        jvmTarget("17")
    }
    ide {
        acceptedLocations(ScriptAcceptedLocation.Everywhere)
    }
}) {
    private fun readResolve(): Any = KerbScriptCompilation
}
