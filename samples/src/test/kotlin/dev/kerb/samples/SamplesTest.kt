package dev.kerb.samples

import dev.kerb.core.MaxNorm
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.optional.shouldBeEmpty
import io.kotest.matchers.optional.shouldBePresent
import io.kotest.matchers.collections.shouldBeEmpty
import dev.kerb.core.Axis
import dev.kerb.core.NonNeg
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.testdata.KerasCorpus
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.paths.shouldExist
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

    test("DefineModel saves the DSL model as Keras 3 and Keras 2 JSON that read back to the same constraints") {
        val out = tempdir().toPath()
        val printed = captureOutput { DefineModel.run(out) }
        printed shouldContain "dense    kernel_constraint  MaxNorm(max_value=2.0, axis=0)"
        val keras3 = ModelSpec.read(out.resolve("mnist_cnn.keras3.json"))
        val keras2 = ModelSpec.read(out.resolve("mnist_cnn.keras2.json"))
        keras3.format shouldBe ModelFormat.KERAS_3
        keras2.format shouldBe ModelFormat.KERAS_2
        keras3 shouldBe DefineModel.model()
        keras2.constraints() shouldBe keras3.constraints()
    }

    test("TightenCorpusModel caps the Dense kernel and adds NonNeg betas, changing nothing else") {
        val out = tempdir().toPath()
        captureOutput { TightenCorpusModel.run(KerasCorpus.dir(), out) }
        val original = ModelSpec.read(KerasCorpus.file(TightenCorpusModel.FILE))
        val edited = ModelSpec.read(out.resolve("eegnet.tightened.json"))
        edited.constraints().first { it.layer == "dense" }.constraint shouldBe MaxNorm(0.2)
        edited.constraints().count { it.constraint == NonNeg.INSTANCE } shouldBe 3
        var restored = edited.withConstraint("dense", "kernel_constraint", MaxNorm(0.25))
        for (bn in listOf("batch_normalization", "batch_normalization_1", "batch_normalization_2")) {
            restored = restored.withConstraint(bn, "beta_constraint", null)
        }
        restored shouldBe original
        val keras3 = ModelSpec.read(out.resolve("eegnet.tightened.keras3.json"))
        keras3.format shouldBe ModelFormat.KERAS_3
        keras3.constraints().map { it.layer to it.constraint } shouldBe edited.constraints().map { it.layer to it.constraint }
    }

    test("CustomConstraint resolves CenterAround for one model and round-trips a model using it") {
        val printed = captureOutput { CustomConstraint.run() }
        printed shouldContain "\"registered_name\":\"Custom>CenterAround\""
        printed shouldContain "(round trip equal: true)"
        ConstraintRegistry.defaultRegistry().lookup("Custom>CenterAround").shouldBeEmpty() // nothing global changed
    }

    test("ApplyToWeights caps every kernel column at 2 and clears negative biases") {
        lateinit var norms: Pair<List<Double>, List<Double>>
        val printed = captureOutput { norms = ApplyToWeights.run(DefineModel.model()) }
        printed shouldContain "negative biases before: 65, after: 0 (NonNeg)"
        val (before, after) = norms
        for (i in before.indices) { // Keras MaxNorm(2.0): a column of norm n ends with norm clip(n, 0, 2) * n / (n + 1e-7)
            val n = before[i]
            val expected = minOf(n, 2.0) * n / (n + 1e-7)
            after[i] shouldBe (expected plusOrMinus 1e-5 * expected)
        }
    }

    test("the README's Kotlin snippets run and do what the README says") {
        val (model, keras2, towers) = ReadmeKotlin.dsl()
        model.format shouldBe ModelFormat.KERAS_3
        keras2.format shouldBe ModelFormat.KERAS_2
        keras2.constraints().map { it.constraint } shouldBe model.constraints().map { it.constraint }
        towers.layers().map { it.path } shouldBe listOf("a", "dense", "b", "concatenate", "dense_1", "add")
        val (applied, halved) = ReadmeKotlin.specs()
        applied.single { it.weights.isNotEmpty() }.weights shouldBe listOf("dense/kernel")
        halved.constraints().map { it.constraint } shouldBe listOf(MaxNorm(0.5, Axis.of(0)), MaxNorm(0.125, Axis.of(0)))
        val out = tempdir().toPath()
        val (keras3, warnings) = ReadmeKotlin.conversion(out)
        keras3.format shouldBe ModelFormat.KERAS_3
        warnings shouldContain "key 'groups' of DepthwiseConv2D is not a Keras 3 argument (in depthwise_conv2d); dropped"
        ModelSpec.read(out.resolve("unconstrained.keras")).constraints().shouldBeEmpty()
        val json = """{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense",
            "config": {"name": "d", "units": 1, "kernel_constraint": {"class_name": "CenterAround",
            "config": {"ref_value": 0.5}, "registered_name": "Custom>CenterAround"}}}]}, "keras_version": "2.15.0"}"""
        ReadmeKotlin.scopedRegistry(json).constraints().single().constraint shouldBe CenterAround(0.5)
    }

    test("the README's Java snippets run and do what the README says") {
        val (kernel, direct, dict) = ReadmeJava.core()
        (kernel as FloatArray)[0].toDouble() shouldBe (3 * 2 / (5 + 1e-7) plusOrMinus 1e-6) // Keras MaxNorm(2): norm 5 -> 2
        (direct as java.nio.FloatBuffer).get(0) shouldBe 0f // an all-zero buffer stays zero
        (dict as Map<*, *>)["class_name"] shouldBe "MaxNorm"
        val out = tempdir().toPath()
        val (capped, fromJson) = ReadmeJava.models(out)
        (capped as FloatArray)[0].toDouble() shouldBe (3 * 1.5 / (3 + 1e-7) plusOrMinus 1e-6)
        fromJson shouldBe MaxNorm()
        ModelSpec.read(out.resolve("capped.json")).constraints().single().constraint shouldBe MaxNorm(1.5)
        ReadmeJava.customConstraint().lookup("Custom>CenterAround").shouldBePresent()
    }

    test("JavaModelEditing edits a corpus model from Java") {
        val out = tempdir().toPath()
        val printed = captureOutput { JavaModelEditing.main(arrayOf(KerasCorpus.dir().toString(), out.toString())) }
        printed shouldContain "Java: dense_6 kernel_constraint is now MaxNorm(max_value=1.5, axis=0)"
        printed shouldContain "Java: dense_6/kernel after the cap: 1.500000" // Keras: 3 * 1.5 / (3 + 1e-7)
        printed shouldContain "Java: dense_6 outputs [[null, 1]] with 2 parameters; the model has 2" // Dense(1) on one input
        out.resolve("inndie.capped.json").shouldExist()
    }

    test("JavaWeights finds the untrained UnitNorm kernel off the unit sphere and constrains a copy onto it") {
        val out = tempdir().toPath()
        val printed = captureOutput { JavaWeights.main(arrayOf(KerasCorpus.dir().toString(), out.toString())) }
        printed shouldContain "Java: before: dense_9/kernel UnitNorm(axis=0), largest norm 0.535688, holds: false"
        printed shouldContain "Java: constrained [dense_9/kernel] into inndie-unitnorm.constrained.h5"
        printed shouldContain "Java: after: dense_9/kernel UnitNorm(axis=0), largest norm 1.000000, holds: true"
    }

    test("JavaInitialWeights writes LeNet with initial weights and a given bias, which read back") {
        val out = tempdir().toPath()
        val printed = captureOutput { JavaInitialWeights.main(arrayOf(KerasCorpus.dir().toString(), out.toString())) }
        printed shouldContain "Java: wrote 10 variables to lenet.keras; dense_22/bias = 0.10000000149011612 (shape [10])"
        dev.kerb.model.weights.WeightsFile.open(out.resolve("lenet.keras")).use { file ->
            file.read("dense_22/bias").get(9) shouldBe 0.1f.toDouble()
        }
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
