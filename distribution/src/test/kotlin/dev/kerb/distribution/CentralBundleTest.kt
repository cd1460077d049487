package dev.kerb.distribution

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe
import java.nio.file.Path

/**
 * Checks the release bundle against Maven Central's published requirements
 * (central.sonatype.org/publish/requirements): each component has its POM, and each jar component its jar, sources
 * jar and Javadoc jar; every file has matching MD5 and SHA-1 checksums, and a signature when the build signs; every
 * POM, itself or through its parent in the bundle, has a name, description, URL, licence, developer and SCM; no
 * version is a SNAPSHOT; and every Kerb artifact a published POM depends on is in the bundle too.
 */
class CentralBundleTest : FunSpec({
    val version = System.getProperty("kerb.version")
    val signed = System.getProperty("kerb.gpg.skip") == "false"
    val bundle = CentralBundle.read(Path.of(System.getProperty("kerb.bundle")))

    test("the bundle holds every published module at the release version") {
        bundle.components.keys shouldBe setOf(
            "kerb-parent", "kerb-bom", "kerb-core", "kerb-registry", "kerb-model", "kerb-plot", "kerb-dsl",
            "kerb-script", "kerb-script-host", "kerb-djl",
        )
        bundle.components.values.map { it.version }.toSet() shouldBe setOf(version)
        version.endsWith("-SNAPSHOT") shouldBe false
    }

    test("each jar component has its jar, sources and API docs of its API packages") {
        for (component in bundle.components.values.filter { it.packaging == "jar" }) withClue(component.artifactId) {
            component.files shouldContainAll listOf(component.file(".jar"), component.file("-sources.jar"), component.file("-javadoc.jar"))
            bundle.entryNames(component.file("-sources.jar")).any { it.endsWith(".java") || it.endsWith(".kt") } shouldBe true
            val docs = bundle.entryNames(component.file("-javadoc.jar"))
            docs.any { it.endsWith("index.html") } shouldBe true
            docs.filter { "/internal/" in it }.shouldBeEmpty()
        }
    }

    test("every file has matching MD5 and SHA-1 checksums, and a signature when signed") {
        bundle.checksumProblems().shouldBeEmpty()
        if (signed) bundle.unsignedFiles().shouldBeEmpty()
    }

    test("every POM has the metadata Central requires") {
        bundle.components.values.flatMap { bundle.metadataProblems(it) }.shouldBeEmpty()
    }

    test("no SNAPSHOT anywhere, and every Kerb dependency is published with it") {
        bundle.components.values.filter { "SNAPSHOT" in bundle.text(it.file(".pom")) }.map { it.artifactId }.shouldBeEmpty()
        val missing = bundle.components.values.flatMap { component ->
            bundle.kerbDependencies(component).filter { it !in bundle.components }.map { "${component.artifactId} -> $it" }
        }
        missing.shouldBeEmpty()
    }
})
