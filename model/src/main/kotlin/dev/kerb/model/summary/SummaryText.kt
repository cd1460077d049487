package dev.kerb.model.summary

import dev.kerb.model.LayerSummary
import dev.kerb.model.ModelSummary
import java.math.BigDecimal
import java.math.RoundingMode
import java.util.Locale

/** Renders a [ModelSummary] in the layout of Keras 3.15.1's `print_summary` (`keras/src/utils/summary_utils.py`). */
internal object SummaryText {
    /** What starts each line of a constraint row's first cell; no Keras row starts so. */
    const val CONSTRAINT_MARK = "↳ "

    fun render(summary: ModelSummary, expandNested: Boolean, lineLength: Int?): String {
        val connected = !summary.sequentialLike
        val headers = listOf("Layer (type)", "Output Shape", "Param #") + if (connected) listOf("Connected to") else emptyList()
        val justify = listOf(Justify.LEFT, Justify.LEFT, Justify.RIGHT) + if (connected) listOf(Justify.LEFT) else emptyList()
        val length = lineLength ?: if (connected) 108 else 88
        val positions = if (connected) listOf(0.3, 0.56, 0.74, 1.0) else listOf(0.45, 0.80, 1.0)
        val widths = RichTable.kerasColumnWidths(positions, length)
        val rows = ArrayList<List<String>>()
        fun add(layer: LayerSummary, level: Int) {
            val prefix = if (level > 0) "   ".repeat(level) + "└ " else ""
            rows += listOf("$prefix${layer.name} (${layer.className})", shapes(layer), params(layer)) +
                if (connected) listOf(layer.inbound.joinToString(", ").ifEmpty { "-" }) else emptyList()
            if (layer.constraints.isNotEmpty() && (!expandNested || layer.layers.isEmpty())) {
                rows += listOf(layer.constraints.joinToString("\n") { c ->
                    val key = if (c.layer == layer.name || level > 0 && c.layer.endsWith("/${layer.name}")) c.key
                    else "${c.layer.substringAfter('/')} ${c.key}"
                    "$CONSTRAINT_MARK$key: ${c.constraint}"
                }) + List(headers.size - 1) { "" }
            }
            if (expandNested) layer.layers.forEach { add(it, level + 1) }
        }
        summary.layers.forEach { add(it, 0) }
        return buildString {
            append("Model: \"${summary.name}\"\n")
            append(RichTable.render(headers, justify, widths, length, rows))
            append(" Total params: ${count(summary.totalParams)} (${size(summary.trainableBytes + summary.nonTrainableBytes)})\n")
            append(" Trainable params: ${count(summary.trainableParams)} (${size(summary.trainableBytes)})\n")
            append(" Non-trainable params: ${count(summary.nonTrainableParams)} (${size(summary.nonTrainableBytes)})\n")
            summary.notes.forEach { append(" Note: $it\n") }
            summary.misfit?.let { append(" Misfit: ${it.message}\n") }
        }
    }

    /** Keras' `format_layer_shape`: `(None, 4)`, several outputs as `[(None, 3), (None, 3)]`, `?` when unknown. */
    fun shapes(layer: LayerSummary): String {
        val shapes = layer.outputShapes ?: return "?"
        val texts = shapes.map { shape -> shape.joinToString(", ", "(", ")") { it?.toString() ?: "None" } }
        return texts.singleOrNull() ?: texts.joinToString(", ", "[", "]")
    }

    private fun params(layer: LayerSummary): String = if (!layer.built) "0 (unbuilt)" else layer.params?.let(::count) ?: "?"

    private fun count(n: Long): String = "%,d".format(Locale.ROOT, n)

    /** Keras' `readable_memory_size`: 1024-based units with two decimals, rounded as Python's format rounds. */
    fun size(bytes: Long): String {
        var value = BigDecimal(bytes)
        for (unit in listOf("B", "KB", "MB", "GB", "TB")) {
            if (value < BigDecimal(1024)) return "${value.setScale(2, RoundingMode.HALF_EVEN).toPlainString()} $unit"
            value = BigDecimal(value.toDouble() / 1024)
        }
        return "${value.setScale(2, RoundingMode.HALF_EVEN).toPlainString()} PB"
    }
}
