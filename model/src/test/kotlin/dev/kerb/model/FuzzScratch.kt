package dev.kerb.model

import java.nio.file.Files
import java.nio.file.Path

/**
 * Files for fuzz targets whose readers take a path: one reusable input and output file per extension, in a temporary
 * folder removed when the JVM exits. Shared with the CLI's fuzz tests through this module's test jar.
 */
class FuzzScratch {
    private val dir: Path = Files.createTempDirectory("kerb-fuzz").also { dir ->
        Runtime.getRuntime().addShutdownHook(Thread { dir.toFile().deleteRecursively() })
    }

    /** Writes [bytes] to the input file for [extension] and returns its path. */
    fun input(bytes: ByteArray, extension: String): Path = Files.write(dir.resolve("input$extension"), bytes)

    /** Returns the output path for [extension], with no file there. */
    fun output(extension: String): Path = dir.resolve("output$extension").also(Files::deleteIfExists)
}
