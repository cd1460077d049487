package dev.kerb.script.host

import dev.kerb.model.ModelSpec
import dev.kerb.script.ScriptCompileException
import dev.kerb.script.ScriptFailedException
import dev.kerb.script.ScriptHost
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.nio.file.Files

/** The script host: compiles with Kerb's imports, caches compiled scripts, reports errors as a compiler does. */
class KerbScriptHostTest : FunSpec({
    val host = ScriptHost.find() ?: error("no ScriptHost service on the classpath")

    test("the host is found as a service") {
        host.shouldBeInstanceOf<KerbScriptHost>()
    }

    test("a script sees Kerb's imports and its args, ends with its value, and is compiled once") {
        val dir = tempdir().toPath()
        val script = Files.writeString(dir.resolve("model.kerb.kts"), """
            val model = sequential(args[0]) { input(4); dense(2) { kernelConstraint = maxNorm(1.5) } }
            model
        """.trimIndent())
        val cache = dir.resolve("cache")
        val first = host.run(script, listOf("named"), cache)
        first.cached shouldBe false
        val spec = first.value as ModelSpec
        spec.model.toString() shouldContain "\"name\":\"named\""
        Files.list(cache).use { it.toList() } shouldHaveSize 1
        val second = host.run(script, listOf("named"), cache)
        second.cached shouldBe true
        second.value shouldBe spec
        Files.writeString(script, Files.readString(script) + "\n") // another text: compiled again
        host.run(script, listOf("named"), cache).cached shouldBe false
        host.run(script, listOf("named"), null).cached shouldBe false
    }

    test("compile errors are every diagnostic as file:line:column: error: message") {
        val script = Files.writeString(tempdir().toPath().resolve("bad.kerb.kts"),
            "val m = sequential {\n    input(4)\n    dense(2) { kernalConstraint = maxNorm() }\n}\nval x: Int = \"no\"\n")
        val e = shouldThrow<ScriptCompileException> { host.run(script, emptyList(), null) }
        e.diagnostics shouldBe listOf(
            "bad.kerb.kts:3:16: error: Unresolved reference 'kernalConstraint'.",
            "bad.kerb.kts:5:12: error: Initializer type mismatch: expected 'Int', actual 'String'.",
        )
    }

    test("a script that throws gives its message and its own frames only") {
        val script = Files.writeString(tempdir().toPath().resolve("throws.kerb.kts"),
            "fun f(x: Int): Int = error(\"boom at \" + x)\nf(3)\n")
        val e = shouldThrow<ScriptFailedException> { host.run(script, emptyList(), null) }
        e.message shouldBe "IllegalStateException: boom at 3"
        e.scriptFrames shouldBe listOf("at throws.kerb.kts:1", "at throws.kerb.kts:2")
    }
})
