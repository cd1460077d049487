package dev.kerb.script.host

import java.net.URLClassLoader
import dev.kerb.model.io.ModelFiles
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.security.MessageDigest
import java.util.jar.Attributes
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream
import java.util.jar.Manifest
import kotlin.script.experimental.jvm.impl.KJvmCompiledModuleInMemory
import kotlin.script.experimental.jvm.impl.KJvmCompiledScript
import kotlin.script.experimental.jvm.impl.copyWithoutModule
import kotlin.script.experimental.jvm.impl.createScriptFromClassLoader
import kotlin.script.experimental.jvm.impl.scriptMetadataPath
import kotlin.script.experimental.jvm.impl.toBytes

/**
 * Compiled scripts kept as jars in [dir] (created readable by the user only), one per key: the script's class files
 * and the compiler's metadata for it, which only this cache writes. Jars are written atomically
 * ([ModelFiles.writeAtomically]), so a concurrent or interrupted run never sees half of one.
 */
internal class ScriptCache(private val dir: Path) {
    /** Returns the compiled script under [key], loaded over [parent], or null when there is none or it is unusable. */
    fun load(key: String, parent: ClassLoader): KJvmCompiledScript? {
        val jar = dir.resolve("$key.jar")
        if (!Files.isRegularFile(jar)) return null
        return try {
            val mainClass = java.util.jar.JarFile(jar.toFile()).use { it.manifest.mainAttributes.getValue(Attributes.Name.MAIN_CLASS) }
            createScriptFromClassLoader(mainClass, URLClassLoader(arrayOf(jar.toUri().toURL()), parent))
        } catch (e: Exception) {
            null // an unreadable or stale entry: compile again and overwrite it
        }
    }

    /** Keeps [script] under [key]; a cache that cannot be written is skipped, as the script still runs. */
    fun save(key: String, script: KJvmCompiledScript) {
        val module = script.getCompiledModule() as? KJvmCompiledModuleInMemory ?: return
        val manifest = Manifest().apply {
            mainAttributes[Attributes.Name.MANIFEST_VERSION] = "1.0"
            mainAttributes[Attributes.Name.MAIN_CLASS] = script.scriptClassFQName
        }
        try {
            createPrivate(dir)
            ModelFiles.writeAtomically(dir.resolve("$key.jar")) { out ->
                JarOutputStream(out, manifest).use { jar ->
                    for ((name, bytes) in module.compilerOutputFiles) {
                        jar.putNextEntry(JarEntry(name))
                        jar.write(bytes)
                    }
                    jar.putNextEntry(JarEntry(scriptMetadataPath(script.scriptClassFQName)))
                    jar.write(script.copyWithoutModule().toBytes())
                }
            }
        } catch (e: java.io.IOException) {
            // Not cached; the next run compiles again.
        }
    }

    companion object {
        /** A key for one script text at one path, compiled against one classpath. */
        fun key(text: String, path: String, classpath: String): String {
            val digest = MessageDigest.getInstance("SHA-256")
            for (part in listOf(text, path, classpath)) {
                digest.update(part.toByteArray(Charsets.UTF_8))
                digest.update(0)
            }
            return digest.digest().joinToString("") { "%02x".format(it) }
        }

        private fun createPrivate(dir: Path) {
            if (Files.isDirectory(dir)) return
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
            } catch (e: UnsupportedOperationException) {
                Files.createDirectories(dir)
            }
        }
    }
}
