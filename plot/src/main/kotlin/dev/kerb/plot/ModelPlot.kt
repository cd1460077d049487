package dev.kerb.plot

import dev.kerb.model.ModelSpec
import dev.kerb.model.io.ModelFiles
import dev.kerb.model.summary.ModelDiagram
import dev.kerb.registry.ConfigException
import java.nio.file.Path

/**
 * What a model picture shows besides each layer's name and class; a layer that carries a constraint is always
 * marked.
 *
 * @property shapes each layer's input and output shapes, as Keras' `show_shapes`
 * @property constraints each constraint a layer carries, with its settings
 * @property expandNested nested models drawn around their own layers; otherwise one box each, which keeps models of
 *   hundreds of layers readable
 */
public data class PlotOptions @JvmOverloads constructor(
    val shapes: Boolean = false,
    val constraints: Boolean = false,
    val expandNested: Boolean = false,
)

/**
 * A picture of a Keras model's layer graph, as Keras' `plot_model` draws it: one box per layer with its name and
 * class, an arrow for every connection (a shared layer drawn once), top to bottom, laid out by the Eclipse Layout
 * Kernel's layered algorithm. The same model and options give the same bytes.
 */
public class ModelPlot private constructor(private val scene: Scene) {
    /** The picture's width in pixels (SVG units). */
    public val width: Double get() = scene.width

    /** The picture's height in pixels (SVG units). */
    public val height: Double get() = scene.height

    /** Returns the picture as an SVG document, its text as real (searchable) text. */
    public fun toSvg(): String = SvgRenderer.render(scene)

    /** Returns the picture as a PNG image, drawn at twice its size (less for a very large model). */
    public fun toPng(): ByteArray = PngRenderer.render(scene)

    /**
     * Writes the picture atomically as SVG or PNG, as [path]'s extension says.
     *
     * @throws ConfigException if the extension is neither `.svg` nor `.png`
     * @throws java.io.IOException if the file cannot be written; an existing file is then unchanged
     */
    public fun write(path: Path) {
        val name = path.fileName?.toString()?.lowercase().orEmpty()
        val bytes = when {
            name.endsWith(".svg") -> toSvg().toByteArray()
            name.endsWith(".png") -> toPng()
            else -> throw ConfigException("$path: a model picture is written as .svg or .png")
        }
        ModelFiles.writeAtomically(path) { it.write(bytes) }
    }

    public companion object {
        /**
         * Lays out the picture of [spec], converted to Keras 3; a layer class Kerb does not model is drawn with
         * unknown shapes.
         *
         * @throws ConfigException if the spec holds no model to draw
         */
        @JvmStatic
        @JvmOverloads
        public fun of(spec: ModelSpec, options: PlotOptions = PlotOptions()): ModelPlot {
            val diagram = ModelDiagram.of(spec)
            if (diagram.layers.isEmpty()) throw ConfigException("model '${diagram.name}' has no layers to draw")
            return ModelPlot(SceneLayout.layout(diagram, options))
        }
    }
}

/** Returns the picture of this model; see [ModelPlot.of]. */
public fun ModelSpec.plot(options: PlotOptions = PlotOptions()): ModelPlot = ModelPlot.of(this, options)
