package dev.kerb.model.summary

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.double
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/**
 * Tables rendered by rich 15.0.0 as Keras 3.15.1's summary renders them (`src/test/resources/summary/make_rich_tables.py`),
 * reproduced byte for byte, and a few cases small enough to read.
 */
class RichTableTest : FunSpec({
    val fixtures = Json.parseToJsonElement(
        RichTableTest::class.java.getResource("/summary/rich-tables.json")!!.readText(),
    ).jsonArray.map { it.jsonObject }

    fun strings(element: JsonElement?) = element!!.jsonArray.map { it.jsonPrimitive.content }

    val keras3 = listOf("Layer (type)", "Output Shape", "Param #")
    val left3 = listOf(Justify.LEFT, Justify.LEFT, Justify.RIGHT)

    test("the fixtures cover Keras' own layouts and the rest of rich's width arithmetic") {
        fixtures.size shouldBe 150
    }

    fixtures.forEachIndexed { index, fixture ->
        test("fixture $index: Keras' column widths and rich's text") {
            val positions = fixture.getValue("positions").jsonArray.map { it.jsonPrimitive.double }
            val lineLength = fixture.getValue("line_length").jsonPrimitive.int
            val widths = fixture.getValue("widths").jsonArray.map { it.jsonPrimitive.int }
            withClue("fixture $index widths") { RichTable.kerasColumnWidths(positions, lineLength) shouldBe widths }
            val justify = strings(fixture["justify"]).map { Justify.valueOf(it.uppercase()) }
            val rows = fixture.getValue("rows").jsonArray.map { strings(it as JsonArray) }
            withClue("fixture $index text") {
                RichTable.render(strings(fixture["headers"]), justify, widths, lineLength, rows) shouldBe
                    fixture.getValue("text").jsonPrimitive.content
            }
        }
    }

    test("a name longer than its column ends in an ellipsis, a shape wraps at a space, numbers sit right") {
        val widths = RichTable.kerasColumnWidths(listOf(0.45, 0.80, 1.0), 40)
        widths shouldBe listOf(18, 14, 8)
        val rows = listOf(
            listOf("a_really_long_layer_name", "(None, 6, 6, 4)", "1,036"),
            listOf("dense (Dense)", "(None, 10)", "0"),
        )
        // rich takes 3n+1 cells of padding and borders back from Keras' widths, so the headers wrap, bottom-aligned.
        RichTable.render(keras3, left3, widths, 40, rows) shouldBe """
            ┏━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
            ┃                 ┃ Output     ┃ Param ┃
            ┃ Layer (type)    ┃ Shape      ┃     # ┃
            ┡━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
            │ a_really_long_… │ (None, 6,  │ 1,036 │
            │                 │ 6, 4)      │       │
            ├─────────────────┼────────────┼───────┤
            │ dense (Dense)   │ (None, 10) │     0 │
            └─────────────────┴────────────┴───────┘

        """.trimIndent()
    }

    test("forced line breaks and empty cells keep the row's height, top-aligned") {
        RichTable.render(keras3, left3, listOf(18, 14, 8), 40, listOf(listOf("add (Add)", "", "a\nb"), listOf())) shouldBe """
            ┏━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
            ┃                 ┃ Output     ┃ Param ┃
            ┃ Layer (type)    ┃ Shape      ┃     # ┃
            ┡━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
            │ add (Add)       │            │     a │
            │                 │            │     b │
            ├─────────────────┼────────────┼───────┤
            │                 │            │       │
            └─────────────────┴────────────┴───────┘

        """.trimIndent()
    }

    test("a line too short for Keras' positions is refused as Keras refuses it") {
        shouldThrow<IllegalArgumentException> { RichTable.kerasColumnWidths(listOf(0.45, 0.80, 1.0), 8) }
            .message shouldBe "Insufficient console width to print summary."
    }
})
