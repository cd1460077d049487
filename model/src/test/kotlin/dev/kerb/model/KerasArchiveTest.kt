package dev.kerb.model

import dev.kerb.core.MaxNorm
import dev.kerb.registry.ConfigException
import dev.kerb.testdata.KerasCorpus
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.JsonPrimitive
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.zip.ZipFile

/** `.keras` archives: read config, metadata and entries; write them back with the weights copied byte for byte. */
class KerasArchiveTest : FunSpec({
    val source = KerasCorpus.file("hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip.keras")

    fun entryBytes(path: Path, name: String): ByteArray = ZipFile(path.toFile()).use { zip ->
        zip.getInputStream(zip.getEntry(name)).use { it.readAllBytes() }
    }

    test("reading gives config.json, metadata.json and the entry list") {
        val archive = KerasArchive.read(source)
        archive.entries shouldBe listOf("metadata.json", "config.json", "model.weights.h5")
        archive.metadata["keras_version"] shouldBe JsonPrimitive("3.14.1")
        archive.spec().format shouldBe ModelFormat.KERAS_3
        archive.spec().layers().size shouldBe 9
    }

    test("an edited archive keeps every other entry byte for byte and gets a new date_saved") {
        val archive = KerasArchive.read(source)
        val edited = archive.spec().withConstraint("fc1", "kernel_constraint", MaxNorm(1.5))
        val target = tempdir().toPath().resolve("edited.keras")
        archive.write(target, edited, Instant.parse("2026-11-22T10:11:12Z"))
        val back = KerasArchive.read(target)
        back.entries shouldBe archive.entries
        back.spec() shouldBe edited
        back.metadata["keras_version"] shouldBe JsonPrimitive("3.14.1")
        back.metadata["date_saved"] shouldBe JsonPrimitive("2026-11-22@10:11:12")
        entryBytes(target, "model.weights.h5") shouldBe entryBytes(source, "model.weights.h5")
        ZipFile(target.toFile()).use { zip -> zip.getEntry("model.weights.h5").method shouldBe 0 } // stored, as Keras does
        Files.list(target.parent).use { it.toList() } shouldBe listOf(target) // no temporary file left behind
    }

    test("a failed write leaves the target as it was") {
        val dir = tempdir().toPath()
        val copy = Files.copy(source, dir.resolve("model.keras"))
        val archive = KerasArchive.read(copy)
        val target = Files.writeString(dir.resolve("out.keras"), "old")
        Files.delete(copy) // the weights can no longer be copied
        shouldThrow<java.io.IOException> { archive.write(target, archive.spec()) }
        Files.readString(target) shouldBe "old"
        Files.list(dir).use { it.toList() } shouldBe listOf(target)
    }

    test("only Keras 3 configs go into an archive") {
        val archive = KerasArchive.read(source)
        val keras2 = archive.spec().convert(ModelFormat.KERAS_2).spec
        shouldThrow<IllegalArgumentException> { archive.write(tempdir().toPath().resolve("x.keras"), keras2) }
            .message shouldBe "a .keras archive holds a Keras 3 model config, not KERAS_2; convert it to KERAS_3 first"
    }

    test("bad archives are refused with their path") {
        val dir = tempdir().toPath()
        val notZip = Files.writeString(dir.resolve("a.keras"), "not a zip")
        shouldThrow<ConfigException> { KerasArchive.read(notZip) }.message shouldStartWith "$notZip is not a .keras archive"
        val noConfig = dir.resolve("b.keras")
        java.util.zip.ZipOutputStream(Files.newOutputStream(noConfig)).use { zip ->
            zip.putNextEntry(java.util.zip.ZipEntry("model.weights.h5"))
            zip.closeEntry()
        }
        shouldThrow<ConfigException> { KerasArchive.read(noConfig) }.message shouldBe
            "$noConfig is a zip archive without config.json; expected a .keras archive"
        val badJson = dir.resolve("c.keras")
        java.util.zip.ZipOutputStream(Files.newOutputStream(badJson)).use { zip ->
            zip.putNextEntry(java.util.zip.ZipEntry("config.json"))
            zip.write("{\"class_name\": ".toByteArray())
            zip.closeEntry()
        }
        shouldThrow<ConfigException> { KerasArchive.read(badJson) }.message shouldStartWith "$badJson: "
        Files.list(dir).use { it.toList() }.size shouldBe 3 // nothing else written
    }

    test("a deflated entry that inflates past its recorded size is damaged, and copying it stops there") {
        val dir = tempdir().toPath()
        val config = entryBytes(source, "config.json")
        val bytes = java.io.ByteArrayOutputStream().also { out ->
            java.util.zip.ZipOutputStream(out).use { zip ->
                zip.putNextEntry(java.util.zip.ZipEntry("config.json"))
                zip.write(config)
                zip.putNextEntry(java.util.zip.ZipEntry("model.weights.h5"))
                zip.write(ByteArray(50 shl 20)) // 50 MiB of zeros deflate to about 50 kB
            }
        }.toByteArray()
        // The central directory records the uncompressed size 24 bytes after the entry's header signature.
        val header = String(bytes, Charsets.ISO_8859_1).lastIndexOf("PK\u0001\u0002")
        val bomb = dir.resolve("bomb.keras")
        Files.write(bomb, bytes.copyOf().also { java.nio.ByteBuffer.wrap(it).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(header + 24, 4096) })
        val archive = KerasArchive.read(bomb)
        val error = shouldThrow<ConfigException> { archive.write(dir.resolve("copy.keras"), archive.spec()) }
        error.message shouldBe "$bomb entry model.weights.h5 is damaged (it holds more than the 4096 bytes its " +
            "directory records); expected a .keras archive as Keras writes it"
        Files.exists(dir.resolve("copy.keras")) shouldBe false
        // A recorded size that deflate cannot reach from the entry's compressed size is refused before inflating.
        val lying = Files.write(dir.resolve("lying.keras"), bytes.copyOf().also {
            java.nio.ByteBuffer.wrap(it).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(header + 24, Int.MAX_VALUE) })
        val refused = KerasArchive.read(lying)
        shouldThrow<ConfigException> { refused.write(dir.resolve("copy.keras"), refused.spec()) }.message shouldStartWith
            "$lying entry model.weights.h5 is damaged (it records ${Int.MAX_VALUE} bytes deflated into "
    }
})
