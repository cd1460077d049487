package dev.kerb.distribution

import kotlin.metadata.Visibility
import kotlin.metadata.jvm.KotlinClassMetadata
import kotlin.metadata.jvm.Metadata
import kotlin.metadata.jvm.getterSignature
import kotlin.metadata.jvm.setterSignature
import kotlin.metadata.jvm.signature
import kotlin.metadata.visibility
import org.objectweb.asm.AnnotationVisitor
import org.objectweb.asm.ClassReader
import org.objectweb.asm.ClassVisitor
import org.objectweb.asm.FieldVisitor
import org.objectweb.asm.MethodVisitor
import org.objectweb.asm.ModuleVisitor
import org.objectweb.asm.Opcodes
import java.nio.file.Path
import java.util.jar.JarFile

/**
 * The public surface of one jar as text: every class a user can name, with its public and protected members by JVM
 * descriptor. Left out: classes in packages the jar's module-info does not export, Kotlin `internal` declarations,
 * synthetic members, and whatever is marked `@InternalKerbApi` (with what it encloses).
 */
object ApiDump {
    private const val INTERNAL_MARKER = "Ldev/kerb/model/InternalKerbApi;"

    /** Returns the dump of [jar], one class after another in name order. */
    fun of(jar: Path): String {
        val classes = JarFile(jar.toFile()).use { file ->
            file.entries().asSequence()
                .filter { it.name.endsWith(".class") && !it.name.startsWith("META-INF/") }
                .map { entry -> file.getInputStream(entry).use { ClassInfo.read(it.readBytes()) } }
                .toList()
        }
        val exports = classes.firstOrNull { it.name == "module-info" }?.exports
        val byName = classes.associateBy { it.name }
        fun visible(info: ClassInfo): Boolean = info.public && !info.internalApi && info.kotlinVisible &&
            (exports == null || info.name.substringBeforeLast('/') in exports) &&
            (info.outer == null || byName[info.outer]?.let(::visible) != false)
        return classes.filter { it.name != "module-info" && !it.name.endsWith("package-info") && visible(it) }
            .filterNot { it.fileFacade && it.visibleMembers().isEmpty() }
            .sortedBy { it.name }
            .joinToString("") { it.render() }
    }

    /** One class as read from its bytes. */
    private class ClassInfo(val name: String) {
        var access = 0
        var header = ""
        var outer: String? = null
        var internalApi = false
        var kotlinVisible = true
        var exports: Set<String>? = null
        var fileFacade = false
        val members = sortedSetOf<String>()
        val hiddenSignatures = mutableSetOf<String>()
        val public get() = access and (Opcodes.ACC_PUBLIC or Opcodes.ACC_PROTECTED) != 0

        fun visibleMembers(): List<String> =
            members.filter { it.substringAfterLast(' ') !in hiddenSignatures }.map { it.substringBeforeLast(' ') }

        fun render(): String = "$header {\n" + visibleMembers().joinToString("") { "\t$it\n" } + "}\n\n"

        companion object {
            fun read(bytes: ByteArray): ClassInfo {
                val reader = ClassReader(bytes)
                val info = ClassInfo(reader.className)
                reader.accept(Collector(info), ClassReader.SKIP_CODE or ClassReader.SKIP_DEBUG or ClassReader.SKIP_FRAMES)
                return info
            }
        }
    }

    private class Collector(val info: ClassInfo) : ClassVisitor(Opcodes.ASM9) {
        private val metadata = mutableMapOf<String, Any>()

        override fun visit(version: Int, access: Int, name: String, signature: String?, superName: String?, interfaces: Array<String>?) {
            info.access = access
            val kind = when {
                access and Opcodes.ACC_ANNOTATION != 0 -> "annotation"
                access and Opcodes.ACC_INTERFACE != 0 -> "interface"
                access and Opcodes.ACC_ENUM != 0 -> "enum"
                else -> "class"
            }
            val supers = listOfNotNull(superName?.takeIf { it != "java/lang/Object" && kind == "class" }) + interfaces.orEmpty()
            val flags = if (kind == "class") access else access and Opcodes.ACC_ABSTRACT.inv()
            info.header = modifiers(flags) + "$kind $name" + if (supers.isEmpty()) "" else " : " + supers.joinToString(", ")
        }

        override fun visitInnerClass(name: String, outerName: String?, innerName: String?, access: Int) {
            if (name == info.name) {
                // A nested class's own flags say whether it is public, protected or private; its class file's do not.
                info.outer = outerName ?: name.substringBeforeLast('$')
                info.access = access
            }
        }

        override fun visitModule(name: String, access: Int, version: String?): ModuleVisitor {
            val exports = mutableSetOf<String>()
            info.exports = exports
            return object : ModuleVisitor(Opcodes.ASM9) {
                override fun visitExport(packaze: String, access: Int, modules: Array<out String>?) {
                    if (modules.isNullOrEmpty()) exports += packaze
                }
            }
        }

        override fun visitAnnotation(descriptor: String, visible: Boolean): AnnotationVisitor? = when (descriptor) {
            INTERNAL_MARKER -> null.also { info.internalApi = true }
            "Lkotlin/Metadata;" -> MetadataReader(metadata)
            else -> null
        }

        override fun visitField(access: Int, name: String, descriptor: String, signature: String?, value: Any?): FieldVisitor? {
            if (visibleMember(access, name)) info.members += modifiers(access) + "field $name $descriptor $name:$descriptor"
            return null
        }

        override fun visitMethod(access: Int, name: String, descriptor: String, signature: String?, exceptions: Array<String>?): MethodVisitor? {
            if (!visibleMember(access, name) || access and Opcodes.ACC_BRIDGE != 0) return null
            val line = modifiers(access) + "fun $name $descriptor $name$descriptor"
            info.members += line
            return object : MethodVisitor(Opcodes.ASM9) {
                override fun visitAnnotation(descriptor: String, visible: Boolean): AnnotationVisitor? {
                    if (descriptor == INTERNAL_MARKER) info.members -= line
                    return null
                }
            }
        }

        override fun visitEnd() {
            if (metadata.isEmpty()) return
            @Suppress("UNCHECKED_CAST")
            val header = Metadata(
                kind = metadata["k"] as Int?, metadataVersion = metadata["mv"] as IntArray?,
                data1 = (metadata["d1"] as List<String>?)?.toTypedArray(), data2 = (metadata["d2"] as List<String>?)?.toTypedArray(),
                extraString = metadata["xs"] as String?, packageName = metadata["pn"] as String?, extraInt = metadata["xi"] as Int?,
            )
            val hidden = { visibility: Visibility -> visibility != Visibility.PUBLIC && visibility != Visibility.PROTECTED }
            when (val kotlin = KotlinClassMetadata.readLenient(header)) {
                is KotlinClassMetadata.Class -> {
                    val km = kotlin.kmClass
                    info.kotlinVisible = !hidden(km.visibility)
                    km.constructors.filter { hidden(it.visibility) }.mapNotNullTo(info.hiddenSignatures) { it.signature?.toString() }
                    km.functions.filter { hidden(it.visibility) }.mapNotNullTo(info.hiddenSignatures) { it.signature?.toString() }
                    km.properties.filter { hidden(it.visibility) }.forEach { property ->
                        listOfNotNull(property.getterSignature, property.setterSignature).mapTo(info.hiddenSignatures) { it.toString() }
                    }
                }
                is KotlinClassMetadata.FileFacade -> {
                    info.fileFacade = true
                    kotlin.kmPackage.functions.filter { hidden(it.visibility) }.mapNotNullTo(info.hiddenSignatures) { it.signature?.toString() }
                    kotlin.kmPackage.properties.filter { hidden(it.visibility) }.forEach { property ->
                        listOfNotNull(property.getterSignature, property.setterSignature).mapTo(info.hiddenSignatures) { it.toString() }
                    }
                }
                is KotlinClassMetadata.SyntheticClass -> info.kotlinVisible = false
                else -> Unit
            }
        }

        private fun visibleMember(access: Int, name: String): Boolean =
            access and (Opcodes.ACC_PUBLIC or Opcodes.ACC_PROTECTED) != 0 && access and Opcodes.ACC_SYNTHETIC == 0 && '$' !in name
    }

    private class MetadataReader(val values: MutableMap<String, Any>) : AnnotationVisitor(Opcodes.ASM9) {
        override fun visit(name: String, value: Any) {
            values[name] = value
        }

        override fun visitArray(name: String): AnnotationVisitor {
            val items = mutableListOf<String>()
            values[name] = items
            return object : AnnotationVisitor(Opcodes.ASM9) {
                override fun visit(name: String?, value: Any) {
                    items += value as String
                }
            }
        }
    }

    private fun modifiers(access: Int): String = listOf(
        Opcodes.ACC_PUBLIC to "public", Opcodes.ACC_PROTECTED to "protected", Opcodes.ACC_STATIC to "static",
        Opcodes.ACC_ABSTRACT to "abstract", Opcodes.ACC_FINAL to "final",
    ).filter { (flag, _) -> access and flag != 0 }.joinToString("") { "${it.second} " }
}
