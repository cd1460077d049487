package dev.kerb.cli

import java.nio.charset.StandardCharsets
import java.nio.file.Path

/**
 * The header of a `.npy` file: a Python dict literal such as `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (3, 4), }`. This is Python literal syntax, not JSON, so it has this small parser of its own.
 */
internal class NpyHeader(val descr: String, val shape: IntArray) {
    companion object {
        private val SUPPORTED = setOf("<f4", "<f8")

        /** Parses and checks a header. @throws NpyFormatException naming the problem and the file */
        fun parse(text: String, path: Path): NpyHeader {
            val fields = try {
                LiteralParser(text).dict()
            } catch (e: IllegalArgumentException) {
                throw NpyFormatException("$path has a malformed .npy header (${e.message}): ${text.trim()}")
            }
            val keys = fields.keys
            if (keys != setOf("descr", "fortran_order", "shape")) {
                throw NpyFormatException("$path has .npy header keys ${keys.sorted()}; expected descr, " +
                    "fortran_order and shape")
            }
            val descr = fields["descr"]
            if (descr !is String || descr !in SUPPORTED) {
                val shown = if (descr is String) "'$descr'" else descr.toString()
                throw NpyFormatException("$path has dtype $shown; kerb reads little-endian float32 ('<f4') and " +
                    "float64 ('<f8') arrays")
            }
            when (fields["fortran_order"]) {
                false -> {}
                true -> throw NpyFormatException("$path is in Fortran (column-major) order; expected C order " +
                    "(save it with numpy.ascontiguousarray)")
                else -> throw NpyFormatException("$path has fortran_order ${fields["fortran_order"]}; expected " +
                    "True or False")
            }
            val shape = fields["shape"] as? List<*>
                ?: throw NpyFormatException("$path has shape ${fields["shape"]}; expected a tuple of ints")
            return NpyHeader(descr, IntArray(shape.size) { i ->
                val dim = shape[i] as? Long
                if (dim == null || dim < 0 || dim > Int.MAX_VALUE) {
                    throw NpyFormatException("$path has shape ${shape.joinToString(", ", "(", ")")}; expected " +
                        "non-negative dimensions up to ${Int.MAX_VALUE}")
                }
                dim.toInt()
            })
        }

        /** Returns the preamble and header for an array, padded so the data starts at a multiple of 64 bytes. */
        fun encode(descr: String, shape: dev.kerb.core.Shape): ByteArray {
            val dims = shape.dims()
            val tuple = when (dims.size) {
                1 -> "(${dims[0]},)"
                else -> dims.joinToString(", ", "(", ")")
            }
            val dict = "{'descr': '$descr', 'fortran_order': False, 'shape': $tuple, }"
            // Version 1.0 stores the header length in 16 bits; longer headers (rank in the thousands) need 2.0.
            val v1 = (10 + dict.length + 1 + 63) / 64 * 64 - 10 <= 0xffff
            val preamble = if (v1) 10 else 12
            val total = (preamble + dict.length + 1 + 63) / 64 * 64
            val header = dict.padEnd(total - preamble - 1) + "\n"
            val out = java.io.ByteArrayOutputStream(total)
            out.write(byteArrayOf(0x93.toByte(), 'N'.code.toByte(), 'U'.code.toByte(), 'M'.code.toByte(),
                'P'.code.toByte(), 'Y'.code.toByte(), if (v1) 1 else 2, 0))
            val length = header.length
            out.write(length and 0xff)
            out.write((length shr 8) and 0xff)
            if (!v1) {
                out.write((length shr 16) and 0xff)
                out.write((length shr 24) and 0xff)
            }
            out.write(header.toByteArray(StandardCharsets.ISO_8859_1))
            return out.toByteArray()
        }
    }
}

/** Parses the Python literal subset `.npy` headers use: dicts, quoted strings, True/False and int tuples. */
private class LiteralParser(private val text: String) {
    private var at = 0

    fun dict(): Map<String, Any> {
        expect('{')
        val fields = LinkedHashMap<String, Any>()
        while (true) {
            skipSpace()
            if (peek() == '}') break
            val key = string()
            if (key in fields) fail("key '$key' appears twice")
            expect(':')
            fields[key] = value()
            skipSpace()
            if (peek() == ',') at++ else if (peek() != '}') fail("expected ',' or '}'")
        }
        at++
        skipSpace()
        if (at != text.length) fail("unexpected text after the dict")
        return fields
    }

    private fun value(): Any {
        skipSpace()
        return when {
            peek() == '\'' || peek() == '"' -> string()
            text.startsWith("True", at) -> { at += 4; true }
            text.startsWith("False", at) -> { at += 5; false }
            peek() == '(' -> tuple()
            else -> fail("unsupported value")
        }
    }

    private fun tuple(): List<Long> {
        expect('(')
        val items = ArrayList<Long>()
        while (true) {
            skipSpace()
            if (peek() == ')') break
            val start = at
            while (at < text.length && text[at].isDigit()) at++
            val digits = text.substring(start, at)
            if (digits.isEmpty()) fail("expected an int in the shape")
            if (peek() == 'L') at++ // Python 2 long suffix in old files
            items += digits.toLongOrNull() ?: Long.MAX_VALUE
            skipSpace()
            if (peek() == ',') at++ else if (peek() != ')') fail("expected ',' or ')'")
        }
        at++
        return items
    }

    private fun string(): String {
        skipSpace()
        val quote = peek()
        if (quote != '\'' && quote != '"') fail("expected a quoted string")
        val end = text.indexOf(quote, at + 1)
        if (end < 0) fail("unterminated string")
        return text.substring(at + 1, end).also { at = end + 1 }
    }

    private fun expect(c: Char) {
        skipSpace()
        if (peek() != c) fail("expected '$c'")
        at++
    }

    private fun peek(): Char = if (at < text.length) text[at] else '\u0000'

    private fun skipSpace() {
        while (at < text.length && text[at].isWhitespace()) at++
    }

    private fun fail(message: String): Nothing = throw IllegalArgumentException("$message at character $at")
}
