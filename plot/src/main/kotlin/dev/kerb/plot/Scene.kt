package dev.kerb.plot

import dev.kerb.model.summary.DiagramLayer
import dev.kerb.model.summary.ModelDiagram
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider
import org.eclipse.elk.alg.layered.options.LayeredOptions
import org.eclipse.elk.alg.layered.options.OrderingStrategy
import org.eclipse.elk.core.RecursiveGraphLayoutEngine
import org.eclipse.elk.core.data.LayoutMetaDataService
import org.eclipse.elk.core.math.ElkPadding
import org.eclipse.elk.core.options.CoreOptions
import org.eclipse.elk.core.options.Direction
import org.eclipse.elk.core.options.EdgeRouting
import org.eclipse.elk.core.options.HierarchyHandling
import org.eclipse.elk.core.util.BasicProgressMonitor
import org.eclipse.elk.graph.ElkNode
import org.eclipse.elk.graph.util.ElkGraphUtil

/** A point of the picture, in pixels from its top left corner. */
internal data class Point(val x: Double, val y: Double)

/**
 * One box of the picture: a layer, or an expanded nested model drawn around its layers with its [lines] as a title.
 *
 * @property constrained whether the layer carries a constraint, which the picture marks
 */
internal class Box(val x: Double, val y: Double, val width: Double, val height: Double, val lines: List<String>,
                   val model: Boolean, val constrained: Boolean)

/** A laid-out picture: its size, the boxes (models before the layers in them) and each edge's polyline. */
internal class Scene(val title: String, val width: Double, val height: Double, val boxes: List<Box>,
                     val edges: List<List<Point>>)

/**
 * Lays a [ModelDiagram] out with the Eclipse Layout Kernel's layered algorithm (top to bottom, edges routed between
 * the layers, nested models inside their box), sizing each box to its text in a monospace font.
 */
internal object SceneLayout {
    const val CHAR_WIDTH = 7.25
    const val LINE_HEIGHT = 16.0
    const val PADDING = 8.0
    private const val MAX_CHARS = 72

    init {
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(LayeredMetaDataProvider())
    }

    fun layout(diagram: ModelDiagram, options: PlotOptions): Scene {
        val root = ElkGraphUtil.createGraph()
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID)
        root.setProperty(CoreOptions.HIERARCHY_HANDLING, HierarchyHandling.INCLUDE_CHILDREN)
        configure(root)
        val boxes = LinkedHashMap<ElkNode, (ElkNode) -> Box>()
        fun place(model: ModelDiagram, parent: ElkNode) {
            val nodes = HashMap<String, ElkNode>()
            for (layer in model.layers) {
                val node = ElkGraphUtil.createNode(parent)
                val lines = lines(layer, options)
                val nested = layer.nested
                if (nested != null && options.expandNested) {
                    configure(node)
                    node.setProperty(CoreOptions.PADDING, ElkPadding(PADDING * 2 + LINE_HEIGHT * lines.size, PADDING,
                        PADDING, PADDING))
                    boxes[node] = { n -> box(n, lines, model = true, constrained = false) }
                    place(nested, node)
                } else {
                    node.setDimensions(width(lines), height(lines))
                    boxes[node] = { n -> box(n, lines, model = false, constrained = constraints(layer).isNotEmpty()) }
                }
                nodes[layer.name] = node
            }
            for ((from, to) in model.edges) ElkGraphUtil.createSimpleEdge(nodes.getValue(from), nodes.getValue(to))
        }
        place(diagram, root)
        RecursiveGraphLayoutEngine().layout(root, BasicProgressMonitor())
        return Scene(diagram.name, root.width, root.height,
            boxes.map { (node, box) -> box(node) },
            root.allEdges().map { edge ->
                val (ox, oy) = absolute(edge.containingNode)
                edge.sections.flatMap { section ->
                    listOf(Point(section.startX, section.startY)) + section.bendPoints.map { Point(it.x, it.y) } +
                        Point(section.endX, section.endY)
                }.map { Point(it.x + ox, it.y + oy) }
            })
    }

    private fun configure(node: ElkNode) {
        node.setProperty(CoreOptions.DIRECTION, Direction.DOWN)
        node.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL)
        node.setProperty(CoreOptions.SPACING_NODE_NODE, 24.0)
        node.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 28.0)
        // Layers side by side keep the config's order (a model's first input on the left).
        node.setProperty(LayeredOptions.CONSIDER_MODEL_ORDER_STRATEGY, OrderingStrategy.NODES_AND_EDGES)
        node.setProperty(CoreOptions.PADDING, ElkPadding(PADDING * 2))
    }

    /** The box's text: name and class, then shapes and constraints as [options] ask. */
    fun lines(layer: DiagramLayer, options: PlotOptions): List<String> {
        val className = layer.wrapped?.let { "${layer.className}($it)" } ?: layer.className
        val lines = mutableListOf("${layer.name} ($className)")
        if (options.shapes) {
            if (layer.inputShapes.isNotEmpty()) lines += "in: " + layer.inputShapes.joinToString(", ") { shape(it) }
            lines += "out: " + (layer.outputShapes?.joinToString(", ") { shape(it) } ?: "?")
        }
        if (options.constraints) lines += if (options.expandNested) layer.constraints else constraints(layer)
        return lines.map { if (it.length <= MAX_CHARS) it else it.take(MAX_CHARS - 1) + "…" }
    }

    /** The constraints of [layer] and, for a model drawn as one box, of its layers, prefixed by their names. */
    private fun constraints(layer: DiagramLayer): List<String> = layer.constraints +
        layer.nested?.layers.orEmpty().flatMap { inner -> constraints(inner).map { "${inner.name} $it" } }

    private fun box(node: ElkNode, lines: List<String>, model: Boolean, constrained: Boolean): Box {
        val (x, y) = absolute(node)
        return Box(x, y, node.width, node.height, lines, model, constrained)
    }

    private fun shape(dims: List<Int?>?): String =
        dims?.joinToString(", ", "(", if (dims.size == 1) ",)" else ")") { it?.toString() ?: "None" } ?: "?"

    private fun width(lines: List<String>) = lines.maxOf { it.length } * CHAR_WIDTH + 2 * PADDING
    private fun height(lines: List<String>) = lines.size * LINE_HEIGHT + 2 * PADDING

    private fun absolute(node: ElkNode?): Pair<Double, Double> {
        var x = 0.0
        var y = 0.0
        var n = node
        while (n?.parent != null) {
            x += n.x
            y += n.y
            n = n.parent
        }
        return x to y
    }

    private fun ElkNode.allEdges(): List<org.eclipse.elk.graph.ElkEdge> =
        containedEdges + children.flatMap { it.allEdges() }
}
