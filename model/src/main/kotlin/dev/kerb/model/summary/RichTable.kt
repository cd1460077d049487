package dev.kerb.model.summary

/** How a column places its text, as rich's `justify` of "left", "right" and "center". */
internal enum class Justify { LEFT, RIGHT, CENTER }

/**
 * A byte-exact port of how rich 15.0.0 renders the layer table of Keras 3.15.1's `model.summary()`: a
 * `Table(*columns, width=line_length, show_lines=True)` of fixed-width `Column(name, justify=..., width=...)`s,
 * printed to a `Console(highlight=False, force_terminal=False, color_system=None)` of a UTF-8 encoding and
 * wider than the table (rich crops lines at the console width, 80 off a terminal, which this port does not).
 *
 * Cells are plain text (rich markup is not read) and may hold '\n' to break lines. Every character counts as one
 * cell, which is rich's `cell_len` for ASCII, '…', '└' and the box characters; East Asian wide characters,
 * zero-width and control characters (tabs included) are not handled: rich measures (and expands) them otherwise.
 */
internal object RichTable {
    /** The padding (0, 1) of every cell: one space left and right. */
    private const val PAD = 1

    /**
     * Keras' column widths: `int(pos * lineLength) - current` for each position, as print_summary computes them
     * (throws IllegalArgumentException "Insufficient console width to print summary." when a width < 4).
     */
    fun kerasColumnWidths(positions: List<Double>, lineLength: Int): List<Int> {
        var current = 0
        return positions.map { pos ->
            // Python's int() truncates toward zero, as toInt() does, on the same IEEE product.
            val width = (pos * lineLength).toInt() - current
            require(width >= 4) { "Insufficient console width to print summary." }
            current += width
            width
        }
    }

    /**
     * Renders the table as rich does (box.HEAVY_HEAD, show_lines=true, padding (0,1), header row, fixed-width columns
     * inside a table of [tableWidth] total characters); returns the lines joined with "\n", with a trailing "\n" after
     * the last line.
     */
    fun render(
        headers: List<String>,
        justify: List<Justify>,
        widths: List<Int>,
        tableWidth: Int,
        rows: List<List<String>>,
    ): String {
        require(justify.size == headers.size && widths.size == headers.size) { "one justify and width per header" }
        require(rows.all { it.size <= headers.size }) { "a row has more cells than the table has columns" }
        // A table without columns prints a single empty line.
        if (headers.isEmpty()) return "\n"
        // The table's own width less its two edges and the dividers between columns (Table._extra_width).
        val columns = columnWidths(widths, tableWidth - (headers.size + 1))
        val out = StringBuilder()
        fun rule(left: Char, fill: Char, cross: Char, right: Char) {
            columns.joinTo(out, cross.toString(), left.toString(), right + "\n") { fill.toString().repeat(it) }
        }
        fun row(cells: List<String>, vertical: Char, header: Boolean) {
            val rendered = cells.indices.map { renderCell(cells[it], columns[it], justify[it]) }
            val height = rendered.maxOf { it.size }
            // The header row aligns its cells to the bottom, every other row to the top.
            val aligned = rendered.mapIndexed { i, lines ->
                val blank = List(height - lines.size) { " ".repeat(columns[i]) }
                if (header) blank + lines else lines + blank
            }
            for (line in 0 until height) {
                aligned.joinTo(out, vertical.toString(), vertical.toString(), vertical + "\n") { it[line] }
            }
        }
        rule('┏', '━', '┳', '┓')
        row(headers, '┃', header = true)
        rule('┡', '━', '╇', '┩')
        rows.forEachIndexed { index, cells ->
            // add_row fills missing trailing cells with "".
            row(cells + List(headers.size - cells.size) { "" }, '│', header = false)
            if (index < rows.lastIndex) rule('├', '─', '┼', '┤')
        }
        rule('└', '─', '┴', '┘')
        return out.toString()
    }

    /** Table._calculate_column_widths for fixed-width columns: each width plus padding, fitted to [available]. */
    private fun columnWidths(widths: List<Int>, available: Int): List<Int> {
        // ConsoleOptions.update_width never goes below zero.
        val maxWidth = maxOf(0, available)
        // _measure_column of a fixed-width column: its width plus padding, capped at the space it is measured in.
        fun measure(width: Int, space: Int) = if (space < 1) 0 else minOf(width + 2 * PAD, space)
        var columns = widths.map { measure(it, maxWidth).takeIf { w -> w != 0 } ?: 1 }
        var total = columns.sum()
        if (total > maxWidth) {
            // _collapse_widths shrinks only wrapable columns, which fixed-width ones are not: the last resort does.
            columns = ratioReduce(total - maxWidth, List(columns.size) { 1 }, columns, columns)
            total = columns.sum()
            columns = columns.zip(widths) { space, width -> measure(width, space) }
        }
        // Table(width=...) implies expand, so a table wider than its columns spreads the rest over them.
        if (total < maxWidth) {
            columns = columns.zip(ratioDistribute(maxWidth - total, columns)) { width, pad -> width + pad }
        }
        return columns
    }

    /** rich._ratio.ratio_reduce: takes [total] from [values] in proportion to [ratios], at most [maximums] each. */
    private fun ratioReduce(total: Int, ratios: List<Int>, maximums: List<Int>, values: List<Int>): List<Int> {
        val active = ratios.zip(maximums) { ratio, maximum -> if (maximum != 0) ratio else 0 }
        var totalRatio = active.sum()
        if (totalRatio == 0) return values
        var remaining = total
        return values.indices.map { i ->
            if (active[i] != 0 && totalRatio > 0) {
                // Python's round() on the true quotient rounds half to even, as Math.rint does on the same double.
                val share = Math.rint(active[i].toLong() * remaining / totalRatio.toDouble()).toInt()
                val distributed = minOf(maximums[i], share)
                remaining -= distributed
                totalRatio -= active[i]
                values[i] - distributed
            } else {
                values[i]
            }
        }
    }

    /** rich._ratio.ratio_distribute without minimums: splits [total] in proportion to [ratios], rounding shares up. */
    private fun ratioDistribute(total: Int, ratios: List<Int>): List<Int> {
        var totalRatio = ratios.sum()
        check(totalRatio > 0) { "Sum of ratios must be > 0" }
        var remaining = total
        return ratios.map { ratio ->
            // math.ceil on the true quotient, as Math.ceil does on the same double.
            val distributed =
                if (totalRatio > 0) Math.ceil(ratio.toLong() * remaining / totalRatio.toDouble()).toInt() else remaining
            totalRatio -= ratio
            remaining -= distributed
            distributed
        }
    }

    /** One cell as rich's Padding renders it: the wrapped text between one space each side, every line [width] wide. */
    private fun renderCell(text: String, width: Int, justify: Justify): List<String> {
        val inner = maxOf(0, width - 2 * PAD)
        return wrap(text, inner, justify).map { fit(" ".repeat(PAD) + fit(it, inner) + " ".repeat(PAD), width) }
    }

    /** Text.wrap, overflow "ellipsis": each '\n'-separated line divided at word starts, justified, truncated. */
    private fun wrap(text: String, width: Int, justify: Justify): List<String> = text.split('\n').flatMap { line ->
        val offsets = divideLine(line, width)
        (listOf(0) + offsets).zip(offsets + line.length) { start, end -> rstripEnd(line.substring(start, end), width) }
            .map { truncate(justifyLine(it, width, justify), width) }
    }

    /** rich._wrap.divide_line with fold=False: where lines break, a word too long for any line staying whole. */
    private fun divideLine(text: String, width: Int): List<Int> {
        val breaks = mutableListOf<Int>()
        var offset = 0
        for ((start, end) in words(text)) {
            val word = text.substring(start, end)
            val wordLength = word.trimEnd(::isSpace).length
            if (width - offset >= wordLength) {
                offset += word.length
            } else if (wordLength > width || (offset != 0 && start != 0)) {
                // A word that fits no line, or fits the next one, starts a line unless it starts the text.
                if (start != 0) breaks += start
                offset = word.length
            }
        }
        return breaks
    }

    /** rich._wrap.words: the spans of `\s*\S+\s*` matched one after another from the start. */
    private fun words(text: String): List<Pair<Int, Int>> {
        val spans = mutableListOf<Pair<Int, Int>>()
        var position = 0
        while (true) {
            var i = position
            while (i < text.length && isSpace(text[i])) i++
            // Whitespace with no word after it ends the matching.
            if (i == text.length) return spans
            while (i < text.length && !isSpace(text[i])) i++
            while (i < text.length && isSpace(text[i])) i++
            spans += position to i
            position = i
        }
    }

    /** Python's str.isspace(), which `\s` and rstrip() use: whitespace, space separators and NEL. */
    private fun isSpace(c: Char) = Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085'

    /** Text.rstrip_end: drops trailing whitespace, but only as much as sticks out past [width]. */
    private fun rstripEnd(line: String, width: Int): String {
        val excess = line.length - width
        if (excess <= 0) return line
        val whitespace = line.length - line.trimEnd(::isSpace).length
        return line.dropLast(minOf(whitespace, excess))
    }

    /** Lines.justify: left pads to [width]; right and center strip trailing whitespace first, then pad. */
    private fun justifyLine(line: String, width: Int, justify: Justify): String = when (justify) {
        Justify.LEFT -> truncate(line, width).padEnd(width)
        Justify.RIGHT -> truncate(line.trimEnd(::isSpace), width).padStart(width)
        Justify.CENTER -> truncate(line.trimEnd(::isSpace), width)
            .let { " ".repeat(maxOf(0, (width - it.length) / 2)) + it }.padEnd(width)
    }

    /** Text.truncate with overflow "ellipsis": a line wider than [width] keeps width - 1 characters and gains '…'. */
    private fun truncate(line: String, width: Int): String =
        // Below one cell the result is cropped away by the cell's padding anyway.
        if (line.length > width) line.take(maxOf(0, width - 1)) + "…" else line

    /** Segment.adjust_line_length: pads with spaces or crops to exactly [width]. */
    private fun fit(line: String, width: Int) = if (line.length < width) line.padEnd(width) else line.take(width)
}
