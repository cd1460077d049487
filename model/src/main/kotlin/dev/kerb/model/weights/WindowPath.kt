package dev.kerb.model.weights

import java.net.URI
import java.nio.ByteBuffer
import java.nio.MappedByteBuffer
import java.nio.channels.FileChannel
import java.nio.channels.FileLock
import java.nio.channels.ReadableByteChannel
import java.nio.channels.SeekableByteChannel
import java.nio.channels.WritableByteChannel
import java.nio.file.AccessMode
import java.nio.file.CopyOption
import java.nio.file.DirectoryStream
import java.nio.file.FileStore
import java.nio.file.FileSystem
import java.nio.file.LinkOption
import java.nio.file.OpenOption
import java.nio.file.Path
import java.nio.file.PathMatcher
import java.nio.file.WatchService
import java.nio.file.attribute.BasicFileAttributes
import java.nio.file.attribute.FileAttribute
import java.nio.file.attribute.FileAttributeView
import java.nio.file.attribute.UserPrincipalLookupService
import java.nio.file.spi.FileSystemProvider

/**
 * A path to the bytes of [file] from [base] on, as a file of its own: jHDF writes a whole HDF5 file by path, and
 * this lets it write a `.keras` archive's `model.weights.h5` in place, after the entry's zip header, instead of into
 * a file Kerb would then copy. Only opening a file channel is supported; it reads and writes [file] shifted by [base].
 */
internal class WindowPath(private val file: Path, private val base: Long) : Path by file {
    private val fileSystem = WindowFileSystem(file.fileSystem, this)

    override fun getFileSystem(): FileSystem = fileSystem
    override fun toAbsolutePath(): Path = this
    override fun toString(): String = "$file (from byte $base)"

    /** Opens the window. */
    fun channel(options: Set<OpenOption>): FileChannel = WritableWindow(FileChannel.open(file, options), base)

    private class WindowFileSystem(private val real: FileSystem, private val path: WindowPath) : FileSystem() {
        private val provider = WindowProvider(real.provider())

        override fun provider(): FileSystemProvider = provider
        override fun close() = Unit
        override fun isOpen(): Boolean = true
        override fun isReadOnly(): Boolean = false
        override fun getSeparator(): String = real.separator
        override fun getRootDirectories(): Iterable<Path> = real.rootDirectories
        override fun getFileStores(): Iterable<FileStore> = real.fileStores
        override fun supportedFileAttributeViews(): Set<String> = real.supportedFileAttributeViews()
        override fun getPath(first: String, vararg more: String): Path = real.getPath(first, *more)
        override fun getPathMatcher(syntaxAndPattern: String): PathMatcher = real.getPathMatcher(syntaxAndPattern)
        override fun getUserPrincipalLookupService(): UserPrincipalLookupService = real.userPrincipalLookupService
        override fun newWatchService(): WatchService = throw UnsupportedOperationException()
    }

    private class WindowProvider(private val real: FileSystemProvider) : FileSystemProvider() {
        override fun newFileChannel(path: Path, options: Set<OpenOption>, vararg attrs: FileAttribute<*>): FileChannel =
            (path as WindowPath).channel(options)

        override fun newByteChannel(path: Path, options: Set<OpenOption>, vararg attrs: FileAttribute<*>):
            SeekableByteChannel = newFileChannel(path, options)

        override fun getScheme(): String = real.scheme
        override fun newFileSystem(uri: URI, env: Map<String, *>): FileSystem = unsupported()
        override fun getFileSystem(uri: URI): FileSystem = unsupported()
        override fun getPath(uri: URI): Path = unsupported()
        override fun newDirectoryStream(dir: Path, filter: DirectoryStream.Filter<in Path>): DirectoryStream<Path> =
            unsupported()
        override fun createDirectory(dir: Path, vararg attrs: FileAttribute<*>) = unsupported()
        override fun delete(path: Path) = unsupported()
        override fun copy(source: Path, target: Path, vararg options: CopyOption) = unsupported()
        override fun move(source: Path, target: Path, vararg options: CopyOption) = unsupported()
        override fun isSameFile(path: Path, path2: Path): Boolean = path == path2
        override fun isHidden(path: Path): Boolean = false
        override fun getFileStore(path: Path): FileStore = unsupported()
        override fun checkAccess(path: Path, vararg modes: AccessMode) = unsupported()
        override fun <V : FileAttributeView> getFileAttributeView(path: Path, type: Class<V>, vararg options: LinkOption): V =
            unsupported()
        override fun <A : BasicFileAttributes> readAttributes(path: Path, type: Class<A>, vararg options: LinkOption): A =
            unsupported()
        override fun readAttributes(path: Path, attributes: String, vararg options: LinkOption): Map<String, Any> =
            unsupported()
        override fun setAttribute(path: Path, attribute: String, value: Any, vararg options: LinkOption) = unsupported()

        private fun unsupported(): Nothing = throw UnsupportedOperationException("a window path only opens a channel")
    }

    /** [file] from [base] on, growing as it is written; closing it closes [file]. */
    private class WritableWindow(private val file: FileChannel, private val base: Long) : FileChannel() {
        private var position = 0L

        override fun read(dst: ByteBuffer): Int = read(dst, position).also { if (it > 0) position += it }
        override fun read(dst: ByteBuffer, position: Long): Int = file.read(dst, base + position)
        override fun read(dsts: Array<out ByteBuffer>, offset: Int, length: Int): Long =
            (offset until offset + length).sumOf { read(dsts[it]).coerceAtLeast(0).toLong() }
        override fun write(src: ByteBuffer): Int = write(src, position).also { position += it }
        override fun write(src: ByteBuffer, position: Long): Int = file.write(src, base + position)
        override fun write(srcs: Array<out ByteBuffer>, offset: Int, length: Int): Long =
            (offset until offset + length).sumOf { write(srcs[it]).toLong() }
        override fun size(): Long = file.size() - base
        override fun position(): Long = position
        override fun position(newPosition: Long): FileChannel = apply { position = newPosition }
        override fun force(metaData: Boolean) = file.force(metaData)
        override fun map(mode: MapMode, position: Long, size: Long): MappedByteBuffer = file.map(mode, base + position, size)
        override fun transferTo(position: Long, count: Long, target: WritableByteChannel): Long =
            file.transferTo(base + position, count, target)
        override fun transferFrom(src: ReadableByteChannel, position: Long, count: Long): Long =
            file.transferFrom(src, base + position, count)
        override fun truncate(size: Long): FileChannel = apply { file.truncate(base + size) }
        override fun lock(position: Long, size: Long, shared: Boolean): FileLock = throw UnsupportedOperationException()
        override fun tryLock(position: Long, size: Long, shared: Boolean): FileLock = throw UnsupportedOperationException()
        override fun implCloseChannel() = file.close()
    }
}
