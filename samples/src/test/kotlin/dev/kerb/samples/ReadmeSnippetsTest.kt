package dev.kerb.samples

import io.kotest.assertions.fail
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.extension

/**
 * Every Kotlin and Java block in the README and the guides in docs/ is code the build compiles: its lines stand in
 * order, one after another,
 * in one sample source file or sample script (indentation and blank lines aside), and its imports are among that
 * file's imports. SamplesTest runs those files, samples-djl's FashionMnistMaxNormTest the DJL sample, and the command
 * line's RunCommandTest the scripts.
 */
class ReadmeSnippetsTest : FunSpec({
    val root = Path.of(checkNotNull(System.getProperty("kerb.repo.dir")) { "kerb.repo.dir is not set; run with Maven" })
    val documents = listOf(root.resolve("README.md")) +
        Files.list(root.resolve("docs")).use { paths -> paths.filter { it.extension == "md" }.sorted().toList() }

    /** A block of [language] code at [line] of [document]: "README.md line 12". */
    class Block(val where: String, val language: String, val lines: List<String>)
    val blocks = ArrayList<Block>()
    for (document in documents) {
        val text = Files.readAllLines(document)
        var i = 0
        while (i < text.size) {
            val language = text[i].removePrefix("```").takeIf { text[i].startsWith("```") }
            if (language == "kotlin" || language == "java") {
                val body = text.drop(i + 1).takeWhile { it != "```" }
                blocks += Block("${root.relativize(document)} line ${i + 1}", language, body)
                i += body.size + 1
            }
            i++
        }
    }
    val sources = listOf("samples/src/main", "samples-djl/src/main", "samples/scripts").flatMap { dir ->
        Files.walk(root.resolve(dir)).use { paths -> paths.filter { it.extension in setOf("kt", "java", "kts") }.toList() }
    }.associateWith { Files.readAllLines(it) }

    /** The code lines of a block or file: trimmed, blank lines and imports left out. */
    fun code(lines: List<String>) = lines.map { it.trim() }.filter { it.isNotEmpty() && !it.startsWith("import ") }

    /** How many of [wanted]'s first lines stand one after another somewhere in [lines]. */
    fun longestRun(lines: List<String>, wanted: List<String>): Int = lines.indices.maxOfOrNull { start ->
        wanted.indices.takeWhile { start + it < lines.size && lines[start + it] == wanted[it] }.size
    } ?: 0

    test("the README and the guides have Kotlin and Java blocks, each with its imports") {
        blocks.map { it.language }.toSet() shouldBe setOf("kotlin", "java")
        blocks.filter { it.where.startsWith("README.md") }.map { it.language }.toSet() shouldBe setOf("kotlin", "java")
        for (block in blocks) {
            if (block.lines.none { it.startsWith("import ") }) fail("${block.where}: the block lists no imports")
        }
    }

    for (block in blocks) {
        test("${block.where} (${block.language}) is compiled in a sample") {
            val wanted = code(block.lines)
            val (file, run) = sources.map { (path, lines) -> path to longestRun(code(lines), wanted) }
                .maxBy { it.second }
            if (run < wanted.size) {
                fail("${block.where}: \"${wanted[run]}\" is not in any sample source after the lines " +
                    "before it (closest: ${root.relativize(file)}, which has the first $run lines)")
            }
            sources.getValue(file).filter { it.startsWith("import ") } shouldContainAll
                block.lines.filter { it.startsWith("import ") }
        }
    }
})
