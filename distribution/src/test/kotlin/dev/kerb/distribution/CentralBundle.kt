package dev.kerb.distribution

import org.w3c.dom.Element
import java.io.ByteArrayInputStream
import java.nio.file.Path
import java.security.MessageDigest
import java.util.zip.ZipFile
import javax.xml.parsers.DocumentBuilderFactory

/** One group/artifact/version folder of the bundle. */
data class Component(val artifactId: String, val version: String, val dir: String, val packaging: String, val files: List<String>) {
    /** The path in the bundle of this component's file with [suffix], such as `-sources.jar`. */
    fun file(suffix: String): String = "$dir$artifactId-$version$suffix"
}

/** A Maven Central upload bundle read into memory, with the checks Central makes on it. */
class CentralBundle private constructor(private val entries: Map<String, ByteArray>) {
    /** The components by artifact id. */
    val components: Map<String, Component> = entries.keys.filter { it.endsWith(".pom") }.associate { pom ->
        val dir = pom.substringBeforeLast('/') + "/"
        val (artifactId, version) = dir.trimEnd('/').split('/').takeLast(2)
        val packaging = pom(pom).child("packaging") ?: "jar"
        artifactId to Component(artifactId, version, dir, packaging, entries.keys.filter { it.startsWith(dir) }.sorted())
    }

    /** The text of the entry at [path]. */
    fun text(path: String): String = String(bytes(path))

    /** The names of the entries of the jar at [path]. */
    fun entryNames(path: String): List<String> {
        val names = mutableListOf<String>()
        java.util.zip.ZipInputStream(ByteArrayInputStream(bytes(path))).use { zip ->
            while (true) names += (zip.nextEntry ?: break).name
        }
        return names
    }

    /** Returns one line for each file whose MD5 or SHA-1 file is missing or does not match. */
    fun checksumProblems(): List<String> = artifacts().flatMap { path ->
        listOf("md5" to "MD5", "sha1" to "SHA-1").mapNotNull { (extension, algorithm) ->
            val sum = entries["$path.$extension"]?.let { String(it).trim().substringBefore(' ') }
            val actual = MessageDigest.getInstance(algorithm).digest(bytes(path)).joinToString("") { "%02x".format(it) }
            when (sum) {
                null -> "$path: no .$extension"
                actual -> null
                else -> "$path: .$extension is $sum, expected $actual"
            }
        }
    }

    /** Returns the files that have no `.asc` signature beside them. */
    fun unsignedFiles(): List<String> = artifacts().filter { "$it.asc" !in entries }

    /** Returns one line for each field Central requires that [component]'s POM lacks, itself or through its parents. */
    fun metadataProblems(component: Component): List<String> {
        val pom = pom(component.file(".pom"))
        val own = listOf("name", "description").filter { pom.child(it).isNullOrBlank() }
        val inherited = mapOf(
            "url" to "url", "licenses/license/name" to "licence name", "licenses/license/url" to "licence URL",
            "developers/developer/name" to "developer name", "scm/url" to "SCM URL", "scm/connection" to "SCM connection",
        ).filter { (path, _) -> inheritedValue(component, path).isNullOrBlank() }.values
        return (own + inherited).map { "${component.file(".pom")}: no $it" }
    }

    /** Returns the artifact ids of the Kerb modules [component] needs at compile or run time. */
    fun kerbDependencies(component: Component): List<String> =
        pom(component.file(".pom")).elements("dependencies").flatMap { it.elements("dependency") }
            .filter { it.child("groupId") in setOf("dev.kerb", "\${project.groupId}") }
            .filter { it.child("scope") !in setOf("test", "provided") }
            .mapNotNull { it.child("artifactId") }

    private fun inheritedValue(component: Component, path: String): String? {
        val pom = pom(component.file(".pom"))
        val value = path.split('/').fold(listOf(pom)) { elements, name -> elements.flatMap { it.elements(name) } }
            .firstOrNull()?.textContent?.trim()
        if (!value.isNullOrEmpty()) return value
        val parent = pom.elements("parent").firstOrNull()?.child("artifactId") ?: return null
        return components[parent]?.let { inheritedValue(it, path) }
    }

    private fun artifacts(): List<String> = entries.keys.filter { name ->
        listOf(".md5", ".sha1", ".sha256", ".sha512", ".asc").none { name.endsWith(it) }
    }

    private fun bytes(path: String): ByteArray = entries[path] ?: error("the bundle has no $path")

    private fun pom(path: String): Element =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ByteArrayInputStream(bytes(path))).documentElement

    companion object {
        /** Reads every file of the bundle at [zip]. */
        fun read(zip: Path): CentralBundle = ZipFile(zip.toFile()).use { file ->
            CentralBundle(file.entries().asSequence().filterNot { it.isDirectory }.associate { it.name to file.getInputStream(it).readBytes() })
        }
    }
}

private fun Element.elements(name: String): List<Element> =
    (0 until childNodes.length).map { childNodes.item(it) }.filterIsInstance<Element>().filter { it.tagName == name }

private fun Element.child(name: String): String? = elements(name).firstOrNull()?.textContent?.trim()
