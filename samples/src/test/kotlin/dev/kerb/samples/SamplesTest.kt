package dev.kerb.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.PrintStream

/** Runs every sample's main and checks what it prints. */
class SamplesTest : FunSpec({
    fun captureOutput(block: () -> Unit): String {
        val original = System.out
        val buffer = ByteArrayOutputStream()
        System.setOut(PrintStream(buffer, true, Charsets.UTF_8))
        try {
            block()
        } finally {
            System.setOut(original)
        }
        return buffer.toString(Charsets.UTF_8)
    }

    test("JavaQuickstart caps the long column and reads and writes Keras dicts") {
        val out = captureOutput { JavaQuickstart.main(emptyArray()) }
        // Column norms 5 and 1 under MaxNorm(2): 2 * 5 / (5 + 1e-7) and 1 / (1 + 1e-7), to 6 places.
        out shouldContain "MaxNorm(2) column norms: 2.000000 1.000000"
        out shouldContain "UnitNorm on a direct buffer: first element 0.600000" // 3 / 5
        out shouldContain "From a Keras 2 dict: MaxNorm(max_value=2, axis=0)"
        out shouldContain "As a Keras 3 dict: {module=keras.constraints, class_name=MaxNorm, " +
            "config={max_value=2, axis=0}, registered_name=null}"
        out shouldContain "By name: UnitNorm(axis=0)"
    }

    test("KotlinQuickstart normalizes every output channel and writes Keras 3 JSON") {
        val out = captureOutput { main() }
        out shouldContain "Loaded: UnitNorm(axis=[0, 1, 2])"
        out.lines().first { it.startsWith("Output-channel norms: ") } shouldBe
            "Output-channel norms: 1.000000, 1.000000, 1.000000, 1.000000"
        out shouldContain """As Keras 3 JSON: {"module":"keras.constraints","class_name":"MinMaxNorm",""" +
            """"config":{"min_value":0.5,"max_value":1.0,"rate":0.5,"axis":[0,1,2]},"registered_name":null}"""
    }
})
