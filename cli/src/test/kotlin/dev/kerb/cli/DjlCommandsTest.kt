package dev.kerb.cli

import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.djl.KerasDjl
import dev.kerb.model.ModelSpec
import dev.kerb.model.Weights
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.nio.file.Files
import java.nio.file.Path
import java.util.Random
import kotlin.math.abs

/** `kerb predict` and `kerb fit`: DJL's outputs as `.npy`, training with the file's constraints, and bad input refused. */
class DjlCommandsTest : FunSpec({
    val dir = tempdir().toPath()

    /** Writes a two-input, two-output model with constraints and initial weights (seed 7) as `.keras`. */
    fun twoInOut(): Path {
        val json = Files.writeString(dir.resolve("two.json"), """{"class_name": "Functional", "config": {"name": "two",
          "layers": [
            {"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_shape": [null, 3]}},
            {"class_name": "InputLayer", "name": "b", "config": {"name": "b", "batch_shape": [null, 2]}},
            {"class_name": "Concatenate", "name": "cat", "config": {"name": "cat"}, "inbound_nodes": [{"args": [[
              {"class_name": "__keras_tensor__", "config": {"keras_history": ["a", 0, 0]}},
              {"class_name": "__keras_tensor__", "config": {"keras_history": ["b", 0, 0]}}]], "kwargs": {}}]},
            {"class_name": "Dense", "name": "hidden", "config": {"name": "hidden", "units": 4, "activation": "relu",
              "kernel_constraint": {"class_name": "MaxNorm", "config": {"max_value": 0.5, "axis": 0}}},
              "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["cat", 0, 0]}}],
              "kwargs": {}}]},
            {"class_name": "Dense", "name": "score", "config": {"name": "score", "units": 1}, "inbound_nodes": [{"args":
              [{"class_name": "__keras_tensor__", "config": {"keras_history": ["hidden", 0, 0]}}], "kwargs": {}}]},
            {"class_name": "Dense", "name": "label", "config": {"name": "label", "units": 3, "activation": "softmax",
              "bias_constraint": {"class_name": "NonNeg", "config": {}}}, "inbound_nodes": [{"args":
              [{"class_name": "__keras_tensor__", "config": {"keras_history": ["hidden", 0, 0]}}], "kwargs": {}}]}],
          "input_layers": [["a", 0, 0], ["b", 0, 0]],
          "output_layers": [["score", 0, 0], ["label", 0, 0]]}}""")
        val model = dir.resolve("two.keras")
        ModelSpec.read(json).write(model, ModelSpec.read(json).initialWeights(7))
        return model
    }

    fun npy(name: String, rows: Int, columns: Int, seed: Long, values: (Random) -> Float = { it.nextGaussian().toFloat() }): Path {
        val random = Random(seed)
        val path = dir.resolve(name)
        Npy.write(NpyArray.Float32(Shape.of(rows, columns), FloatArray(rows * columns) { values(random) }), path)
        return path
    }

    test("predict takes inputs by name in any order and writes one .npy per output, DJL's outputs") {
        val model = twoInOut()
        val a = npy("a.npy", 40, 3, 1)
        val b = npy("b.npy", 40, 2, 2)
        val out = dir.resolve("out")
        val (status, stdout, err) = kerb("predict", model.toString(), "--input", "b=$b", "--input", "a=$a", "-o",
            out.toString(), "--batch-size", "16")
        err shouldBe ""
        status shouldBe 0
        stdout shouldStartWith "kerb predict: 40 samples"
        val expected = KerasDjl.load(model).use { it.predict(listOf(Npy.read(a).tensor(), Npy.read(b).tensor())) }
        listOf("score", "label").forEachIndexed { i, name ->
            val written = Npy.read(out.resolve("$name.npy")).tensor()
            written.shape() shouldBe expected[i].shape()
            (0 until written.size()).maxOf { abs(written.get(it) - expected[i].get(it)) } shouldBe 0.0
        }
    }

    test("fit trains with the file's constraints and writes a model that kerb check passes") {
        val model = twoInOut()
        val a = npy("fa.npy", 64, 3, 3)
        val b = npy("fb.npy", 64, 2, 4)
        val score = npy("score.npy", 64, 1, 5)
        val label = npy("label.npy", 64, 3, 6) { r -> if (r.nextInt(3) == 0) 1f else 0f }
        val trained = dir.resolve("trained.keras")
        val (status, stdout, err) = kerb("fit", model.toString(), "--x", a.toString(), "--x", b.toString(),
            "--y", "label=$label", "--y", "score=$score", "--loss", "mse", "--optimizer", "sgd", "--learning-rate", "0.5",
            "--momentum", "0.9", "--epochs", "3", "--batch-size", "16", "-o", trained.toString())
        status shouldBe 0
        err.lines().filter { it.isNotBlank() }.size shouldBe 3 // one progress line per epoch off a terminal
        stdout shouldContain "wrote $trained"
        kerb("check", trained.toString()).status shouldBe 0
        val before = Weights.read(model)["hidden/kernel"]
        val after = Weights.read(trained)["hidden/kernel"]
        (0 until after.size()).maxOf { abs(after.get(it) - before.get(it)) } shouldBeGreaterThan 1e-3
        // The learning rate pushes the hidden units past the bound; the projection keeps each column's norm at 0.5.
        columnNorms(after).max() shouldBeLessThan 0.5 * (1 + 1e-6)
    }

    test("bad input: exit 2 and one line naming what does not fit") {
        val model = twoInOut()
        val a = npy("ba.npy", 5, 3, 7)
        val wide = npy("wide.npy", 5, 4, 8)
        val cases = listOf(
            listOf("predict", model.toString(), "-i", "c=$a", "-i", "$a", "-o", dir.resolve("x").toString()) to
                "the model has no input 'c'",
            listOf("predict", model.toString(), "-i", "a=$a", "-i", "b=$wide", "-o", dir.resolve("x").toString()) to
                "input 'b' has shape (5, 4); the model takes (None, 2)",
            listOf("predict", model.toString(), "-i", "$a", "-o", dir.resolve("x").toString()) to "takes 2 inputs",
            listOf("predict", model.toString(), "-i", "$a", "-i", "$a", "-o", dir.resolve("y.npy").toString()) to
                "has 2 outputs (score, label); give --output a folder",
            listOf("fit", model.toString(), "--x", "$a", "--x", "$a", "--y", "$a", "--y", "$a", "--loss", "hinge",
                "--optimizer", "sgd", "-o", dir.resolve("t.keras").toString()) to "unknown loss 'hinge'",
            listOf("fit", model.toString(), "--x", "$a", "--x", "$a", "--y", "$a", "--y", "$a", "--loss", "mse",
                "--optimizer", "adam", "--momentum", "0.9", "-o", dir.resolve("t.keras").toString()) to "--momentum is SGD's",
        )
        for ((args, message) in cases) {
            val (status, _, err) = kerb(*args.toTypedArray())
            status shouldBe 2
            err.trim().lines().size shouldBe 1
            err shouldContain message
        }
        Files.exists(dir.resolve("x")) shouldBe false
        Files.exists(dir.resolve("t.keras")) shouldBe false
    }

    test("a layer Kerb cannot build is named with its class before anything runs") {
        val json = Files.writeString(dir.resolve("convlstm.json"), """{"class_name": "Sequential", "config": {"name": "s",
            "layers": [{"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 2, 4, 4, 1]}},
            {"class_name": "ConvLSTM2D", "config": {"name": "recurrent_conv", "filters": 2, "kernel_size": [3, 3]}},
            {"class_name": "Flatten", "config": {"name": "flat"}}]}}""")
        val model = dir.resolve("convlstm.keras")
        ModelSpec.read(json).write(model, ModelSpec.read(json).initialWeights(1))
        val input = dir.resolve("frames.npy")
        Npy.write(NpyArray.Float32(Shape.of(1, 2, 4, 4, 1), FloatArray(32)), input)
        val (status, _, err) = kerb("predict", model.toString(), "-i", input.toString(), "-o",
            dir.resolve("frames-out.npy").toString())
        status shouldBe 2
        err.trim() shouldBe "kerb predict: Kerb cannot build layer 'recurrent_conv' (ConvLSTM2D) in DJL; it builds " +
            KerasDjl.layerClasses.joinToString()
        Files.exists(dir.resolve("frames-out.npy")) shouldBe false
    }
})

/** The L2 norm of each column of a rank-2 tensor: each output unit's incoming weights in a Dense kernel. */
private fun columnNorms(t: Tensor): List<Double> {
    val (rows, columns) = t.shape().dims().let { it[0] to it[1] }
    return (0 until columns).map { c -> Math.sqrt((0 until rows).sumOf { r -> t.get(r * columns + c).let { it * it } }) }
}
