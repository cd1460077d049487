package dev.kerb.cli

import dev.kerb.core.Constraint
import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.core.NormConstraint
import dev.kerb.core.UnitNorm
import dev.kerb.model.io.ModelFiles
import dev.kerb.model.weights.ConstraintCheck
import dev.kerb.model.weights.WeightsFile
import org.jfree.chart.ChartFactory
import org.jfree.chart.ChartUtils
import org.jfree.chart.plot.ValueMarker
import org.jfree.chart.renderer.xy.XYBarRenderer
import org.jfree.data.statistics.SimpleHistogramBin
import org.jfree.data.statistics.SimpleHistogramDataset
import org.jfree.data.xy.XYSeriesCollection
import java.awt.BasicStroke
import java.awt.Color
import java.nio.file.Path
import java.util.Base64

/**
 * Writes `--report`: one self-contained HTML page (charts embedded as PNG, no script, nothing fetched) with, for every
 * constrained weight, the distribution of what its constraint bounds (slice norms, or values) and the bounds marked,
 * drawn with JFreeChart: one series per file given, such as the input before and the output after `constrain`.
 */
internal object HtmlReport {
    private const val BINS = 40
    private val FIRST = Color(0x4C, 0x72, 0xB0, 170)
    private val SECOND = Color(0xDD, 0x84, 0x52, 170)

    /** Writes the report on [checks] to [target], drawing each weight as stored in each of [files], by name. */
    fun write(target: Path, title: String, checks: List<ConstraintCheck>, files: List<Pair<String, WeightsFile>>) {
        val body = "<h1>${escape(title)}</h1>\n" + checks(checks, files)
        ModelFiles.writeAtomically(target) { it.write(page(title, body).toByteArray(Charsets.UTF_8)) }
    }

    /** A whole page around [body]: one style sheet, no script, nothing fetched. */
    fun page(title: String, body: String): String = """
        |<!DOCTYPE html>
        |<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
        |<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}
        |td,th{padding:.2em .8em;text-align:left;vertical-align:top}.bad{color:#b00}.ok{color:#070}img{max-width:100%}
        |svg{max-width:100%;height:auto}code{white-space:pre-wrap}.num{text-align:right}</style></head>
        |<body>$body
        |</body></html>
        |""".trimMargin()

    /** The constraint checks: how many hold, then each constrained weight's measures and chart. */
    fun checks(checks: List<ConstraintCheck>, files: List<Pair<String, WeightsFile>>): String {
        val held = checks.count { it.holds }
        val where = escape(checks.firstOrNull()?.let { files.last().second.path.toString() } ?: "the file")
        return """
            |<p>$held of ${checks.size} constrained weights satisfy their constraints (in $where).
            |Each chart shows what the constraint bounds: the L2 norm of each slice over the constraint's axes for norm
            |constraints, each value otherwise; red lines mark the bounds.</p>
            |""".trimMargin() + checks.joinToString("\n") { check -> section(check, files) }
    }

    private fun section(check: ConstraintCheck, files: List<Pair<String, WeightsFile>>): String {
        val constraint = check.constraint.constraint
        val series = files.map { (name, file) -> name to quantities(file, check) }
        val measures = check.measures.entries.joinToString("") { (k, v) -> "<tr><th>$k</th><td>${formatNumber(v)}</td></tr>" }
        val status = if (check.holds) "<span class=ok>holds</span>" else "<span class=bad>violated</span>"
        return """
            |<h2>${escape(check.weight)} ${check.shape}: ${escape(constraint.toString())} &mdash; $status</h2>
            |<table><tr><th>layer</th><td>${escape(check.constraint.layer)} (${escape(check.constraint.key)})</td></tr>
            |<tr><th>distance</th><td>${"%.3g".format(check.distance)}</td></tr>$measures</table>
            |<img alt="distribution of ${escape(check.weight)}" src="data:image/png;base64,${chart(check, series)}">
            |""".trimMargin()
    }

    private fun quantities(file: WeightsFile, check: ConstraintCheck): DoubleArray =
        ConstraintCheck.boundedQuantities(file.read(check.weight), check.constraint.constraint)

    private fun chart(check: ConstraintCheck, series: List<Pair<String, DoubleArray>>): String {
        val constraint = check.constraint.constraint
        val bounds = bounds(constraint)
        val ends = series.flatMap { (_, values) -> listOfNotNull(values.minOrNull(), values.maxOrNull()) } +
            bounds.map { it.second }
        val low = ends.minOrNull() ?: 0.0
        val high = (ends.maxOrNull() ?: 1.0).let { if (it > low) it else low + 1.0 }
        val width = (high - low) / BINS
        val chart = ChartFactory.createXYBarChart(null, if (constraint is NormConstraint) "slice norm" else "value",
            false, "count", XYSeriesCollection())
        val plot = chart.xyPlot
        series.forEachIndexed { i, (name, values) ->
            val dataset = SimpleHistogramDataset(name).apply { adjustForBinSize = false }
            val counts = IntArray(BINS)
            for (v in values) counts[((v - low) / width).toInt().coerceIn(0, BINS - 1)]++
            for (b in 0 until BINS) {
                val bin = SimpleHistogramBin(low + b * width, low + (b + 1) * width, true, b == BINS - 1)
                bin.itemCount = counts[b]
                dataset.addBin(bin)
            }
            plot.setDataset(i, dataset)
            plot.setRenderer(i, XYBarRenderer().apply {
                setSeriesPaint(0, if (i == 0) FIRST else SECOND)
                setShadowVisible(false)
                barPainter = org.jfree.chart.renderer.xy.StandardXYBarPainter()
            })
        }
        for ((label, value) in bounds) {
            plot.addDomainMarker(ValueMarker(value, Color(0xC0, 0, 0), BasicStroke(2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, floatArrayOf(6f, 4f), 0f)).apply {
                this.label = label
                labelAnchor = org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT
                labelTextAnchor = org.jfree.chart.ui.TextAnchor.TOP_LEFT
                labelOffset = org.jfree.chart.ui.RectangleInsets(4.0, 4.0, 4.0, 4.0)
                labelBackgroundColor = Color(255, 255, 255, 0)
            })
        }
        plot.backgroundPaint = Color.WHITE
        plot.domainGridlinePaint = Color.LIGHT_GRAY
        plot.rangeGridlinePaint = Color.LIGHT_GRAY
        return Base64.getEncoder().encodeToString(ChartUtils.encodeAsPNG(chart.createBufferedImage(720, 300)))
    }

    /** The bounds a constraint sets on what it bounds, with labels. */
    private fun bounds(constraint: Constraint): List<Pair<String, Double>> = when (constraint) {
        is MaxNorm -> listOf("max_value ${constraint.maxValue}" to constraint.maxValue.toDouble())
        is UnitNorm -> listOf("norm 1" to 1.0)
        is MinMaxNorm -> listOf("min_value ${constraint.minValue}" to constraint.minValue.toDouble(),
            "max_value ${constraint.maxValue}" to constraint.maxValue.toDouble())
        is NonNeg -> listOf("0" to 0.0)
        else -> emptyList()
    }

    fun escape(text: String): String =
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
}
