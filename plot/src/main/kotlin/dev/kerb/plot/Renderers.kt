package dev.kerb.plot

import java.awt.BasicStroke
import java.awt.Color
import java.awt.Font
import java.awt.RenderingHints
import java.awt.geom.Path2D
import java.awt.geom.RoundRectangle2D
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import javax.imageio.ImageIO
import kotlin.math.abs
import kotlin.math.atan2
import kotlin.math.cos
import kotlin.math.sin

/** The picture's colours and sizes, shared by the SVG and the PNG so that both show the same. */
private object Style {
    const val FONT = "DejaVu Sans Mono"
    const val LAYER_FILL = "#f4f6fb"
    const val LAYER_STROKE = "#4a5a7a"
    const val CONSTRAINED_FILL = "#fff4e0"
    const val CONSTRAINED_STROKE = "#c46a00"
    const val MODEL_FILL = "#fbfbfb"
    const val MODEL_STROKE = "#9aa3b5"
    const val EDGE = "#555555"
    const val TEXT = "#1a1a1a"
    const val ARROW = 8.0

    fun fill(box: Box) = when {
        box.model -> MODEL_FILL
        box.constrained -> CONSTRAINED_FILL
        else -> LAYER_FILL
    }

    fun stroke(box: Box) = when {
        box.model -> MODEL_STROKE
        box.constrained -> CONSTRAINED_STROKE
        else -> LAYER_STROKE
    }
}

/** Writes a [Scene] as SVG: real text, the same bytes for the same scene. */
internal object SvgRenderer {
    fun render(scene: Scene): String = buildString {
        val w = n(scene.width)
        val h = n(scene.height)
        append("""<?xml version="1.0" encoding="UTF-8"?>""").append('\n')
        append("""<svg xmlns="http://www.w3.org/2000/svg" width="$w" height="$h" viewBox="0 0 $w $h" """)
        append("""font-family="${Style.FONT}, Menlo, Consolas, monospace" font-size="12">""").append('\n')
        append("<title>").append(escape(scene.title)).append("</title>\n")
        append("""<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="${n(Style.ARROW)}" """)
        append("""markerHeight="${n(Style.ARROW)}" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${Style.EDGE}"/>""")
        append("</marker></defs>\n")
        append("""<rect width="100%" height="100%" fill="#ffffff"/>""").append('\n')
        for (box in scene.boxes.filter { it.model }) box(box)
        for (edge in scene.edges) {
            append("""<path class="edge" d="""").append(edge.withIndex().joinToString(" ") { (i, p) ->
                "${if (i == 0) "M" else "L"}${n(p.x)},${n(p.y)}"
            })
            append("""" fill="none" stroke="${Style.EDGE}" stroke-width="1.2" marker-end="url(#arrow)"/>""").append('\n')
        }
        for (box in scene.boxes.filter { !it.model }) box(box)
        append("</svg>\n")
    }

    private fun StringBuilder.box(box: Box) {
        val kind = if (box.model) "model" else if (box.constrained) "layer constrained" else "layer"
        append("""<g class="$kind"><rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" """)
        append("""height="${n(box.height)}" rx="4" fill="${Style.fill(box)}" stroke="${Style.stroke(box)}"/>""")
        for ((i, line) in box.lines.withIndex()) {
            val y = box.y + SceneLayout.PADDING + SceneLayout.LINE_HEIGHT * (i + 1) - 4
            val weight = if (i == 0) """ font-weight="bold"""" else ""
            append("""<text x="${n(box.x + SceneLayout.PADDING)}" y="${n(y)}" fill="${Style.TEXT}"$weight>""")
            append(escape(line)).append("</text>")
        }
        append("</g>\n")
    }

    /** [v] to one decimal, as `12.5` or `12.0` (String.format took a third of a 500-layer picture's time). */
    private fun n(v: Double): String {
        val tenths = Math.round(v * 10)
        return (if (tenths < 0) "-" else "") + "${abs(tenths) / 10}.${abs(tenths) % 10}"
    }

    private fun escape(text: String): String =
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
}

/** Draws a [Scene] as a PNG with Java2D, at [SCALE] times its size in pixels. */
internal object PngRenderer {
    private const val SCALE = 2.0

    /** The largest side in pixels: a picture that would be larger is drawn at a smaller scale. */
    private const val MAX_SIDE = 16_000.0

    fun render(scene: Scene): ByteArray {
        val scale = minOf(SCALE, MAX_SIDE / maxOf(scene.width, scene.height, 1.0))
        val image = BufferedImage(maxOf(1, (scene.width * scale).toInt()), maxOf(1, (scene.height * scale).toInt()),
            BufferedImage.TYPE_INT_RGB)
        val g = image.createGraphics()
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON)
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON)
            g.color = Color.WHITE
            g.fillRect(0, 0, image.width, image.height)
            g.scale(scale, scale)
            val plain = Font(Style.FONT, Font.PLAIN, 12)
            val bold = plain.deriveFont(Font.BOLD)
            fun drawBox(box: Box) {
                val shape = RoundRectangle2D.Double(box.x, box.y, box.width, box.height, 8.0, 8.0)
                g.color = Color.decode(Style.fill(box))
                g.fill(shape)
                g.color = Color.decode(Style.stroke(box))
                g.stroke = BasicStroke(1f)
                g.draw(shape)
                g.color = Color.decode(Style.TEXT)
                for ((i, line) in box.lines.withIndex()) {
                    g.font = if (i == 0) bold else plain
                    val y = box.y + SceneLayout.PADDING + SceneLayout.LINE_HEIGHT * (i + 1) - 4
                    g.drawString(line, (box.x + SceneLayout.PADDING).toFloat(), y.toFloat())
                }
            }
            scene.boxes.filter { it.model }.forEach(::drawBox)
            g.color = Color.decode(Style.EDGE)
            g.stroke = BasicStroke(1.2f)
            for (edge in scene.edges.filter { it.size >= 2 }) {
                val path = Path2D.Double()
                path.moveTo(edge[0].x, edge[0].y)
                edge.drop(1).forEach { path.lineTo(it.x, it.y) }
                g.draw(path)
                val (a, b) = edge[edge.size - 2] to edge.last()
                val angle = atan2(b.y - a.y, b.x - a.x)
                val head = Path2D.Double()
                head.moveTo(b.x, b.y)
                head.lineTo(b.x - Style.ARROW * cos(angle - 0.45), b.y - Style.ARROW * sin(angle - 0.45))
                head.lineTo(b.x - Style.ARROW * cos(angle + 0.45), b.y - Style.ARROW * sin(angle + 0.45))
                head.closePath()
                g.fill(head)
            }
            scene.boxes.filter { !it.model }.forEach(::drawBox)
        } finally {
            g.dispose()
        }
        return ByteArrayOutputStream().also { ImageIO.write(image, "png", it) }.toByteArray()
    }
}
