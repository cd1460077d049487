package dev.kerb.cli

/** Formats rows as columns: every cell but the last padded to its column's width plus two spaces. */
internal fun table(rows: List<List<String>>): String {
    val columns = rows.maxOf { it.size }
    val widths = (0 until columns - 1).map { column -> rows.maxOf { it.getOrNull(column)?.length ?: 0 } }
    return rows.joinToString("") { row ->
        row.mapIndexed { i, cell -> if (i < row.size - 1) cell.padEnd(widths[i] + 2) else cell }.joinToString("") + "\n"
    }
}

/** Formats a measured number for people: whole numbers as integers, others to six significant digits. */
internal fun formatNumber(v: Double): String =
    if (v == Math.rint(v) && kotlin.math.abs(v) < 1e15) v.toLong().toString() else "%.6g".format(v)
