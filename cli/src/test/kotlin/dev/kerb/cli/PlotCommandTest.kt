package dev.kerb.cli

import dev.kerb.model.ModelSpec
import dev.kerb.plot.PlotOptions
import dev.kerb.plot.plot
import dev.kerb.testdata.KerasCorpus
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import javax.imageio.ImageIO

/**
 * `kerb plot` writes the library's picture (whose boxes and edges the plot module's tests hold to Keras' own listing)
 * as SVG or PNG with the options given; bad input exits 2 with one line and writes nothing.
 */
class PlotCommandTest : FunSpec({
    val eegnet = KerasCorpus.file("arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm.h5")

    test("the SVG is the library's picture with the options given, and the PNG an image") {
        val dir = tempdir().toPath()
        val svg = dir.resolve("eegnet.svg")
        val (status, out, err) = kerb("plot", eegnet.toString(), "-o", svg.toString(), "--shapes", "--constraints")
        err shouldBe ""
        status shouldBe 0
        out shouldBe "wrote $svg\n"
        Files.readString(svg) shouldBe ModelSpec.read(eegnet).plot(PlotOptions(shapes = true, constraints = true)).toSvg()
        val png = dir.resolve("eegnet.png")
        kerb("plot", eegnet.toString(), "--output", png.toString()).status shouldBe 0
        ImageIO.read(png.toFile()).width shouldBe (2 * ModelSpec.read(eegnet).plot().width).toInt()
    }

    test("a file with no model, an output that cannot be written and an unknown extension: exit 2, nothing written") {
        val dir = tempdir().toPath()
        val notAModel = Files.writeString(dir.resolve("not-a-model.json"), "{\"a\": 1}")
        val cases = listOf(
            listOf(notAModel.toString(), "-o", dir.resolve("a.svg").toString()),
            listOf(eegnet.toString(), "-o", dir.resolve("missing/b.svg").toString()),
            listOf(eegnet.toString(), "-o", dir.resolve("c.gif").toString()),
        )
        for (args in cases) {
            val (status, _, err) = kerb("plot", *args.toTypedArray())
            status shouldBe 2
            err.lines().filter { it.isNotEmpty() }.size shouldBe 1
        }
        Files.list(dir).use { files -> files.map { it.fileName.toString() }.toList() } shouldBe listOf("not-a-model.json")
    }
})
