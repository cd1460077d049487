package dev.kerb.plot

import dev.kerb.dsl.KTensor
import dev.kerb.dsl.Layer
import dev.kerb.dsl.add
import dev.kerb.dsl.concatenate
import dev.kerb.dsl.dense
import dev.kerb.dsl.functional
import dev.kerb.dsl.maxNorm
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.arbitrary
import io.kotest.property.arbitrary.boolean
import io.kotest.property.arbitrary.int
import io.kotest.property.checkAll
import org.w3c.dom.Element
import java.io.ByteArrayInputStream
import javax.xml.parsers.DocumentBuilderFactory

/**
 * Random Functional DSL models (inputs, dense layers some shared and constrained, adds, one concatenation of every
 * unused tensor): the picture has a box per layer, an edge per distinct pair of connected layers, as counted while
 * the model was built, and marks exactly the constrained layers.
 */
class RandomModelPlotTest : FunSpec({
    class Built(val spec: dev.kerb.model.ModelSpec, val layers: Int, val edges: Int, val constrained: Int)

    val models = arbitrary {
        val edges = HashSet<Pair<String, String>>()
        var layers = 0
        var constrained = 0
        val spec = functional("random") {
            // Each tensor not yet used, with the name of the layer that made it.
            val open = ArrayList<Pair<KTensor, String>>()
            fun call(layer: Layer, name: String, inputs: List<Pair<KTensor, String>>, asList: Boolean): Pair<KTensor, String> {
                inputs.forEach { (_, from) -> edges += from to name }
                val tensors = inputs.map { it.first }
                return (if (asList) layer(tensors) else layer(*tensors.toTypedArray())) to name
            }
            repeat(Arb.int(1..3).bind()) { i -> open += (input(4, name = "in$i") to "in$i").also { layers++ } }
            repeat(Arb.int(1..12).bind()) { step ->
                val name = "l$step"
                val source = open.removeAt(Arb.int(0 until open.size).bind())
                val limit = Arb.boolean().bind()
                if (open.isNotEmpty() && Arb.boolean().bind()) {
                    val other = open.removeAt(Arb.int(0 until open.size).bind())
                    open += call(add { this.name = name }, name, listOf(source, other), asList = true)
                } else {
                    val layer = dense(4) { this.name = name; if (limit) kernelConstraint = maxNorm(2) }
                    if (limit) constrained++
                    open += call(layer, name, listOf(source), asList = false)
                    // A shared layer: called again on another open tensor.
                    if (open.size > 1 && Arb.boolean().bind()) {
                        open += call(layer, name, listOf(open.removeAt(0)), asList = false)
                    }
                }
                layers++
            }
            layers++
            output(if (open.size == 1) open.single().first.also { layers-- } else
                call(concatenate { name = "out" }, "out", open.toList(), asList = true).first)
        }
        Built(spec, layers, edges.size, constrained)
    }

    test("boxes, edges and constraint marks are those the model was built with") {
        checkAll(60, models) { built ->
            val svg = built.spec.plot().toSvg()
            withClue(svg) {
                val document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(ByteArrayInputStream(svg.toByteArray()))
                val groups = document.getElementsByTagName("g")
                val classes = (0 until groups.length).map { (groups.item(it) as Element).getAttribute("class") }
                classes.count { it.startsWith("layer") } shouldBe built.layers
                classes.count { it == "layer constrained" } shouldBe built.constrained
                Regex("""<path class="edge"""").findAll(svg).count() shouldBe built.edges
            }
        }
    }
})
