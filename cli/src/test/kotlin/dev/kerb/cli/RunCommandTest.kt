package dev.kerb.cli

import dev.kerb.core.MaxNorm
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.model.weights.WeightsFile
import dev.kerb.testdata.KerasCorpus
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.nio.file.Files
import java.nio.file.Path

/** `kerb run` on the sample scripts (outputs checked), with --save, and on broken scripts. */
class RunCommandTest : FunSpec({
    val root = Path.of(checkNotNull(System.getProperty("kerb.repo.dir")) { "kerb.repo.dir is not set; run with Maven" })
    val scripts = root.resolve("samples/scripts")
    val cache = tempdir().toPath()

    fun run(vararg args: String) = kerb("run", *args.take(1).toTypedArray(), "--cache-dir", cache.toString(),
        *args.drop(1).toTypedArray())

    test("define-cnn: prints the constraints and --save writes the model as Keras 3 JSON") {
        val out = tempdir().toPath().resolve("cnn.json")
        val (status, printed, err) = run(scripts.resolve("define-cnn.kerb.kts").toString(), "--save", out.toString())
        err shouldBe ""
        status shouldBe 0
        printed.lines() shouldContainAll listOf("Defined 'Sequential' with 7 layers; constraints:",
            "  conv2d   kernel_constraint  UnitNorm(axis=[0, 1, 2])",
            "  dense    kernel_constraint  MaxNorm(max_value=2.0, axis=0)", "  dense    bias_constraint    NonNeg()",
            "saved KERAS_3 Sequential to $out")
        ModelSpec.read(out).constraints().size shouldBe 3
    }

    test("save-keras: writes a .keras archive whose weights read back as the script drew them") {
        val out = tempdir().toPath().resolve("classifier.keras")
        val (status, printed, err) = run(scripts.resolve("save-keras.kerb.kts").toString(), "--", out.toString())
        err shouldBe ""
        status shouldBe 0
        printed shouldContain "Wrote $out with 8 variables: dense/kernel, dense/bias, batch_normalization/gamma"
        val spec = ModelSpec.read(out)
        WeightsFile.open(out).use { file ->
            val drawn = spec.initialWeights(42)
            file.weights.map { it.name } shouldBe drawn.names
            for (name in drawn.names) {
                val (read, want) = file.read(name) to drawn[name]
                List(read.size()) { read.get(it) } shouldBe List(want.size()) { want.get(it) }
            }
        }
    }

    test("train-on-jvm: trains the CNN in DJL past 75% test accuracy and saves it with every constraint holding") {
        val out = tempdir().toPath().resolve("fashion-cnn.keras")
        val (status, printed, err) = run(scripts.resolve("train-on-jvm.kerb.kts").toString(), "--", out.toString())
        err shouldBe ""
        status shouldBe 0
        printed shouldContain "Epoch 3/3 - 94 batches"
        val accuracy = Regex("test accuracy ([0-9.]+) on 1000 images").find(printed)!!.groupValues[1].toDouble()
        accuracy shouldBeGreaterThan 0.75
        printed.lines().filter { " holds, " in it }.size shouldBe 4
        kerb("check", out.toString()).status shouldBe 0
        dev.kerb.djl.KerasDjl.load(out).use { it.constraints.attachments.size shouldBe 4 }
    }

    test("--save m.keras --seed N writes a DSL model with initial weights; the same seed gives the same weights") {
        val dir = tempdir().toPath()
        for (name in listOf("a.keras", "b.keras", "c.h5")) {
            val (status, printed, err) = run(scripts.resolve("define-cnn.kerb.kts").toString(), "--save",
                dir.resolve(name).toString(), "--seed", "5")
            err shouldBe ""
            status shouldBe 0
            printed shouldContain "saved KERAS_3 Sequential to ${dir.resolve(name)}"
        }
        val weights = { file: String -> WeightsFile.open(dir.resolve(file)).use { f ->
            f.weights.map { w -> f.read(w.name).let { t -> List(t.size()) { t.get(it) } } } } }
        weights("a.keras") shouldBe weights("b.keras")
        weights("c.h5") shouldBe weights("a.keras")
        kerb("check", dir.resolve("a.keras").toString()).status shouldBe 3 // the initial kernels break UnitNorm
        kerb("summary", dir.resolve("c.h5").toString()).out shouldContain "Total params: 693,962"
        val bad = run(scripts.resolve("define-cnn.kerb.kts").toString(), "--save", dir.resolve("d.json").toString(),
            "--seed", "5")
        bad.status shouldBe 2
        bad.err shouldBe "kerb run: --seed initializes weights: --save to a .keras or .h5 file\n"
    }

    test("tighten-eegnet: halves every MaxNorm of the file given after --, keeping its format") {
        val out = tempdir().toPath().resolve("eegnet.json")
        val eegnet = KerasCorpus.file("arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm.model_config.json")
        val (status, printed, err) = run(scripts.resolve("tighten-eegnet.kerb.kts").toString(), "--save", out.toString(),
            "--", eegnet.toString())
        err shouldBe ""
        status shouldBe 0
        printed shouldContain "  dense              kernel_constraint      MaxNorm(max_value=0.125, axis=0)"
        val saved = ModelSpec.read(out)
        saved.format shouldBe ModelFormat.KERAS_2
        saved.constraints().map { it.constraint } shouldBe listOf(MaxNorm(0.5, 0), MaxNorm(0.125, 0))
    }

    test("custom-constraint: the model round-trips with its custom constraint") {
        val (status, printed, err) = run(scripts.resolve("custom-constraint.kerb.kts").toString())
        err shouldBe ""
        status shouldBe 0
        printed shouldContain "\"registered_name\":\"Custom>CenterAround\""
        printed shouldContain "read back as CenterAround(refValue=0.5) (round trip equal: true)"
    }

    test("apply-to-weights: caps every kernel column at 2 and clears negative biases") {
        val (status, printed, err) = run(scripts.resolve("apply-to-weights.kerb.kts").toString())
        err shouldBe ""
        status shouldBe 0
        printed shouldContain "applied 2 constraints to [dense/kernel, dense/bias]"
        printed shouldContain "kernel column norms after:  max 2.0000 (MaxNorm 2.0)"
        printed shouldContain "after: 0 (NonNeg)"
    }

    test("showcase: @file:Import runs the five samples in order; editing an imported script compiles it again") {
        val showcase = scripts.resolve("showcase.kerb.kts").toString()
        val (status, printed, err) = run(showcase)
        err shouldBe ""
        status shouldBe 0
        printed.lines().filter { it.matches(Regex("\\d\\. .*")) } shouldBe listOf(
            "1. Define a CNN with constraints (define-cnn.kerb.kts)",
            "2. Tighten a real EEGNet config (tighten-eegnet.kerb.kts)",
            "3. A custom constraint for one model (custom-constraint.kerb.kts)",
            "4. Apply a model's constraints to its weights (apply-to-weights.kerb.kts)",
            "5. Save a model with initial weights as .keras (save-keras.kerb.kts)")
        val dir = tempdir().toPath()
        val imported = Files.writeString(dir.resolve("part.kerb.kts"), "val greeting = \"one\"\n")
        val main = Files.writeString(dir.resolve("main.kerb.kts"), "@file:Import(\"part.kerb.kts\")\nprintln(greeting)\n")
        run(main.toString()).out shouldBe "one\n"
        Files.writeString(imported, "val greeting = \"two\"\n")
        run(main.toString()).out shouldBe "two\n"
    }

    test("a script that does not compile: every diagnostic as file:line:column, nothing else, exit 2") {
        val script = Files.writeString(tempdir().toPath().resolve("model.kerb.kts"),
            "val m = sequential {\n    input(4)\n    dense(2) { kernalConstraint = maxNorm() }\n}\nm\n")
        val (status, printed, err) = run(script.toString())
        status shouldBe 2
        printed shouldBe ""
        err shouldBe "model.kerb.kts:3:16: error: Unresolved reference 'kernalConstraint'.\n"
    }

    test("a script that throws: its message and its own frames, exit 1") {
        val script = Files.writeString(tempdir().toPath().resolve("fails.kerb.kts"),
            "println(\"before\")\nrequire(args.isNotEmpty()) { \"give a model file after --\" }\n")
        val (status, printed, err) = run(script.toString())
        status shouldBe 1
        printed shouldBe "before\n"
        err shouldBe "kerb run: $script failed: IllegalArgumentException: give a model file after --\n" +
            "    at fails.kerb.kts:2\n"
    }

    test("--save on a script that does not end with a model is bad input") {
        val script = Files.writeString(tempdir().toPath().resolve("number.kerb.kts"), "1 + 1\n")
        val (status, _, err) = run(script.toString(), "--save", tempdir().toPath().resolve("x.json").toString())
        status shouldBe 2
        err shouldBe "kerb run: $script ends with Integer, not a model, so --save has nothing to write\n"
        run(tempdir().toPath().resolve("missing.kerb.kts").toString()).status shouldBe 2
    }

    test("a model Keras would refuse to build: one line naming the script line, the layer and Keras' reason, exit 2") {
        val misfits = mapOf(
            "concatenate()(listOf(conv2d(4, 3)(input(8, 8, 3)), input(5)))" to
                "layer 'concatenate' (Concatenate) cannot take inputs (None, 6, 6, 4) and (None, 5)",
            "add()(listOf(dense(4)(input(8)), dense(5)(input(8))))" to
                "layer 'add' (Add) cannot take inputs (None, 4) and (None, 5)",
            "dense(3)(input())" to "layer 'dense' (Dense) cannot take input (None)",
            "conv2d(2, 3)(input(5, 5))" to "layer 'conv2d' (Conv2D) cannot take input (None, 5, 5)",
            "maxPooling2d(5)(input(3, 3, 1))" to "layer 'max_pooling2d' (MaxPooling2D) cannot take input (None, 3, 3, 1)",
            "reshape(4)(input(6))" to "layer 'reshape' (Reshape) cannot take input (None, 6)",
        )
        for ((call, expected) in misfits) {
            val script = Files.writeString(tempdir().toPath().resolve("misfit.kerb.kts"),
                "println(\"defining\")\nfunctional {\n    output($call)\n}\n")
            val (status, printed, err) = run(script.toString(), "--save", tempdir().toPath().resolve("m.json").toString())
            status shouldBe 2
            printed shouldBe "defining\n"
            err.lines().filter { it.isNotEmpty() }.size shouldBe 1
            err shouldStartWith "kerb run: misfit.kerb.kts:3: $expected: "
        }
    }
})
