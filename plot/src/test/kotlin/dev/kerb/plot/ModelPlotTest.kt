package dev.kerb.plot

import dev.kerb.model.ModelSpec
import dev.kerb.registry.ConfigException
import dev.kerb.testdata.KerasCorpus
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.w3c.dom.Element
import java.io.ByteArrayInputStream
import java.nio.file.Files
import javax.imageio.ImageIO
import javax.xml.parsers.DocumentBuilderFactory

/**
 * Pictures of every corpus model and of a branching Functional model: the SVG parses as XML, holds one box per layer
 * and one edge per connection, as Keras 3.15.1's own summary of the model lists them (`catalog/corpus-summaries.json`
 * of the model module's tests, each row with its inbound layers), names every layer in its text, and comes out the
 * same byte for byte; the PNG is an image of the picture's size.
 */
class ModelPlotTest : FunSpec({
    val keras = Json.parseToJsonElement(ModelPlotTest::class.java.getResource("/catalog/corpus-summaries.json")!!
        .readText()).jsonObject.getValue("files").jsonArray.map { it.jsonObject }
        .associate { it.getValue("file").jsonPrimitive.content to it["summary"]?.jsonObject }

    /** The SVG's layer boxes, by the name on their first line, and its edges. */
    fun parse(svg: String): Pair<List<String>, Int> {
        val document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(ByteArrayInputStream(svg.toByteArray()))
        val groups = document.getElementsByTagName("g")
        val layers = (0 until groups.length).map { groups.item(it) as Element }
            .filter { it.getAttribute("class").startsWith("layer") }
            .map { (it.getElementsByTagName("text").item(0) as Element).textContent.substringBefore(" (") }
        val paths = document.getElementsByTagName("path")
        val edges = (0 until paths.length).count { (paths.item(it) as Element).getAttribute("class") == "edge" }
        return layers to edges
    }

    for (file in KerasCorpus.modelFiles()) {
        test("$file: one box per layer and one edge per connection, as Keras lists them; the same bytes twice") {
            val spec = ModelSpec.read(KerasCorpus.file(file))
            val plot = spec.plot(PlotOptions(shapes = true, constraints = true))
            val svg = plot.toSvg()
            val (boxes, edges) = parse(svg)
            val summary = keras.getValue(file)
            if (summary != null) {
                val rows = summary.getValue("layers").jsonArray.map { it.jsonObject }
                boxes shouldBe rows.map { it.getValue("name").jsonPrimitive.content }
                val connections = if (summary.getValue("class_name").jsonPrimitive.content == "Sequential") rows.size - 1
                else rows.flatMap { row ->
                    row.getValue("inbound").jsonArray.map { it.jsonPrimitive.content.substringBefore('[') to row["name"] }
                }.distinct().size
                edges shouldBe connections
            }
            boxes.size shouldBe spec.summary().layers.size
            for (constraint in spec.constraints().filter { '/' !in it.layer }) withClue(constraint) {
                svg shouldContain "${constraint.key}: "
            }
            spec.plot(PlotOptions(shapes = true, constraints = true)).toSvg() shouldBe svg
            val png = plot.toPng()
            val image = ImageIO.read(ByteArrayInputStream(png)).shouldNotBeNull()
            image.width shouldBe minOf(2 * plot.width, 16_000.0 * plot.width / maxOf(plot.width, plot.height)).toInt()
            plot.toPng() shouldBe png
        }
    }

    test("a branching model: two inputs, a shared layer called twice, a nested model drawn around its layers") {
        val spec = ModelSpec.parse(ModelPlotTest::class.java.getResource("/branching.json")!!.readText())
        val collapsedSvg = spec.plot().toSvg()
        val (collapsed, collapsedEdges) = parse(collapsedSvg)
        // shared carries a MaxNorm; inner, drawn as one box, holds a layer with a NonNeg.
        Regex("""<g class="layer constrained">""").findAll(collapsedSvg).count() shouldBe 2
        collapsed shouldBe listOf("left", "right", "shared", "joined", "inner", "out")
        collapsedEdges shouldBe 6
        val svg = spec.plot(PlotOptions(expandNested = true)).toSvg()
        val (expanded, expandedEdges) = parse(svg)
        expanded shouldContainAll listOf("left", "right", "shared", "joined", "inner_dense", "inner_out", "out")
        expandedEdges shouldBe 6 + 1
        svg shouldContain """<g class="model">"""
    }

    test("a picture is written as .svg or .png; any other name is refused and nothing is written") {
        val dir = tempdir()
        val plot = ModelSpec.parse(ModelPlotTest::class.java.getResource("/branching.json")!!.readText()).plot()
        plot.write(dir.toPath().resolve("m.svg"))
        plot.write(dir.toPath().resolve("m.png"))
        Files.readString(dir.toPath().resolve("m.svg")) shouldBe plot.toSvg()
        Files.readAllBytes(dir.toPath().resolve("m.png")) shouldBe plot.toPng()
        shouldThrow<ConfigException> { plot.write(dir.toPath().resolve("m.gif")) }.message shouldBe
            "${dir.toPath().resolve("m.gif")}: a model picture is written as .svg or .png"
        Files.list(dir.toPath()).use { files -> files.map { it.fileName.toString() }.sorted().toList() } shouldBe
            listOf("m.png", "m.svg")
    }
})
