package dev.kerb.distribution

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Path
import kotlin.io.path.createDirectories
import kotlin.io.path.div
import kotlin.io.path.exists
import kotlin.io.path.readText
import kotlin.io.path.writeText

/**
 * Compares each published module's public surface, dumped from its built jar by [ApiDump], with the listing committed
 * in the module's `api/` folder, so that every change to the API shows in review. After a deliberate change, run
 * `mvn -B verify -pl distribution -Dkerb.api.update=true` (after a build) and commit the new listings.
 */
class ApiTest : FunSpec({
    val repo = Path.of(System.getProperty("kerb.repo.dir"))
    val version = System.getProperty("kerb.version")
    val update = System.getProperty("kerb.api.update") == "true"
    val modules = mapOf(
        "core-java" to "kerb-core", "registry" to "kerb-registry", "model" to "kerb-model", "plot" to "kerb-plot",
        "dsl-kotlin" to "kerb-dsl", "script" to "kerb-script", "script-host" to "kerb-script-host", "djl" to "kerb-djl",
    )

    for ((dir, artifact) in modules) {
        test("$artifact's public API is the one committed in $dir/api/$artifact.api") {
            val dump = ApiDump.of(jar(artifact, version))
            val listing = repo / dir / "api" / "$artifact.api"
            if (update) listing.also { it.parent.createDirectories() }.writeText(dump)
            check(listing.exists()) { "$listing is missing: run mvn -B verify -pl distribution -Dkerb.api.update=true" }
            dump shouldBe listing.readText()
        }
    }

    test("the dump leaves out what users cannot call") {
        val model = ApiDump.of(jar("kerb-model", version))
        model shouldContain "public final class dev/kerb/model/ModelSpec"
        // @InternalKerbApi classes, Kotlin internal classes and synthetic members are not API.
        listOf("dev/kerb/model/io/KerasJson ", "dev/kerb/model/catalog/KerasLayers ", "access$", "\$default")
            .filter { it in model } shouldBe emptyList()
    }
})

/** The jar of [artifact] on the test class path: the module's own in a reactor build, else the installed one. */
private fun jar(artifact: String, version: String): Path =
    System.getProperty("java.class.path").split(java.io.File.pathSeparator).map { Path.of(it) }
        .firstOrNull { it.fileName.toString() == "$artifact-$version.jar" }
        ?: error("$artifact-$version.jar is not on the test class path; build it first")
