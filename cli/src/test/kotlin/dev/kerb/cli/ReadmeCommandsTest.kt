package dev.kerb.cli

import dev.kerb.model.ModelSpec
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path

/**
 * Every `$ ./kerb ...` example in the README and the guides in docs/, run as from the repository root, prints exactly
 * the lines shown under it (stdout, then stderr).
 */
class ReadmeCommandsTest : FunSpec({
    val root = Path.of(checkNotNull(System.getProperty("kerb.repo.dir")) { "kerb.repo.dir is not set; run with Maven" })
    val documents = listOf(root.resolve("README.md")) +
        Files.list(root.resolve("docs")).use { paths -> paths.filter { it.toString().endsWith(".md") }.sorted().toList() }
    val examples = documents.flatMap { document ->
        val text = Files.readAllLines(document)
        text.indices.filter { text[it].startsWith("$ ./kerb ") }.map { start ->
            text[start].removePrefix("$ ./kerb ") to text.drop(start + 1).takeWhile { it != "```" }
        }
    }

    test("the README and the guides show an example of every model command") {
        examples.map { it.first.substringBefore(' ') } shouldContainAll listOf("convert", "describe", "run", "check",
            "constrain", "summary")
    }

    for ((command, shown) in examples) {
        test("./kerb $command") {
            val outputs = tempdir().toPath()
            // Relative paths are the README's, from the root; outputs under /tmp go to this test's folder instead.
            val args = command.split(' ').map { arg ->
                when {
                    arg.startsWith("/tmp/") -> outputs.resolve(arg.removePrefix("/tmp/")).toString()
                    '/' in arg && !arg.startsWith("/") -> root.resolve(arg).toString()
                    else -> arg
                }
            }
            // kerb run keeps its compiled scripts in this test's folder, not the user's cache.
            val cache = if (args.first() == "run") listOf("--cache-dir", outputs.resolve("cache").toString()) else listOf()
            val (status, out, err) = kerb(*(args.take(2) + cache + args.drop(2)).toTypedArray())
            (out.replace(outputs.toString(), "/tmp").replace("$root/", "") + err).trimEnd().lines() shouldBe shown
            // The README's check example is of a file whose weights violate their constraints.
            status shouldBe if (args.first() == "check") CheckCommand.VIOLATED else 0
            for (output in args.filter { it.startsWith(outputs.toString()) }) { // what the command wrote is a model
                ModelSpec.read(Path.of(output)).constraints().shouldNotBeEmpty()
            }
        }
    }
})
