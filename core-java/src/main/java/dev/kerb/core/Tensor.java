package dev.kerb.core;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A view of row-major (C-order) float32 or float64 weights with a shape, over memory the caller owns.
 *
 * <p>A tensor never copies: constraints write through it into the array or buffer it was made from. Views over
 * arrays start at an offset; views over buffers start at the buffer's position when the view was made and ignore
 * later changes to position, limit and byte order. Heap and direct buffers both work, and take the same fast,
 * multi-threaded kernels as arrays, with bit for bit the same results; a direct, native-order {@code ByteBuffer}
 * ({@link #of(ByteBuffer, DType, Shape)}) is read and written in place and is the fastest buffer. A view is not
 * thread-safe while a constraint writes through it.
 */
public abstract sealed class Tensor permits FloatArrayTensor, DoubleArrayTensor, BufferTensor {
    private final Shape shape;

    Tensor(Shape shape) {
        this.shape = shape;
    }

    /**
     * Returns a view of {@code data} from index 0.
     *
     * @param data  the weights, row-major. Modified by constraints applied to the view.
     * @param shape the shape
     * @return the view
     * @throws IllegalArgumentException if {@code data} holds fewer than {@code shape.size()} elements
     */
    public static Tensor of(float[] data, Shape shape) {
        return of(data, 0, shape);
    }

    /**
     * Returns a view of {@code data} starting at {@code offset}.
     *
     * @param data   the weights, row-major. Modified by constraints applied to the view.
     * @param offset index of the first element
     * @param shape  the shape
     * @return the view
     * @throws IllegalArgumentException if {@code offset} is negative or fewer than {@code shape.size()} elements
     *                                  follow it
     */
    public static Tensor of(float[] data, int offset, Shape shape) {
        checkRange(data.length, offset, shape, "float[]");
        return new FloatArrayTensor(data, offset, shape);
    }

    /**
     * Returns a view of {@code data} from index 0.
     *
     * @param data  the weights, row-major. Modified by constraints applied to the view.
     * @param shape the shape
     * @return the view
     * @throws IllegalArgumentException if {@code data} holds fewer than {@code shape.size()} elements
     */
    public static Tensor of(double[] data, Shape shape) {
        return of(data, 0, shape);
    }

    /**
     * Returns a view of {@code data} starting at {@code offset}.
     *
     * @param data   the weights, row-major. Modified by constraints applied to the view.
     * @param offset index of the first element
     * @param shape  the shape
     * @return the view
     * @throws IllegalArgumentException if {@code offset} is negative or fewer than {@code shape.size()} elements
     *                                  follow it
     */
    public static Tensor of(double[] data, int offset, Shape shape) {
        checkRange(data.length, offset, shape, "double[]");
        return new DoubleArrayTensor(data, offset, shape);
    }

    /**
     * Returns a view of {@code buffer} from its current position.
     *
     * @param buffer the weights, row-major, heap or direct. Modified by constraints applied to the view.
     * @param shape  the shape
     * @return the view
     * @throws IllegalArgumentException if the buffer is read-only or has fewer than {@code shape.size()} elements
     *                                  remaining
     */
    public static Tensor of(FloatBuffer buffer, Shape shape) {
        checkBuffer(buffer.isReadOnly(), buffer.remaining(), shape, "FloatBuffer");
        if (buffer.hasArray()) {
            return new FloatArrayTensor(buffer.array(), buffer.arrayOffset() + buffer.position(), shape);
        }
        return new FloatBufferTensor(buffer, buffer.position(), shape);
    }

    /**
     * Returns a view of {@code buffer} from its current position.
     *
     * @param buffer the weights, row-major, heap or direct. Modified by constraints applied to the view.
     * @param shape  the shape
     * @return the view
     * @throws IllegalArgumentException if the buffer is read-only or has fewer than {@code shape.size()} elements
     *                                  remaining
     */
    public static Tensor of(DoubleBuffer buffer, Shape shape) {
        checkBuffer(buffer.isReadOnly(), buffer.remaining(), shape, "DoubleBuffer");
        if (buffer.hasArray()) {
            return new DoubleArrayTensor(buffer.array(), buffer.arrayOffset() + buffer.position(), shape);
        }
        return new DoubleBufferTensor(buffer, buffer.position(), shape);
    }

    /**
     * Returns a view of the float32 or float64 values stored in {@code bytes} from its current position, in the
     * buffer's byte order at the time of the call.
     *
     * <p>Made for buffers over another library's memory, such as DJL's {@code NDArray.toByteBuffer(true)} (direct,
     * native order): a buffer in native byte order is read and written in place where the kernels load from it (the
     * scalar kernels always; the Vector API kernels on JDK 16 to 19 and, for a direct buffer, on JDK 22 and later from
     * Kerb's multi-release jar), through small per-thread tiles elsewhere, with the same results; one in the other
     * order is byte-swapped through the tiles. The position need not be a multiple of the element size.
     *
     * @param bytes the weights, row-major, heap or direct. Modified by constraints applied to the view.
     * @param dtype the element type stored, {@link DType#FLOAT32} (4 bytes each) or {@link DType#FLOAT64} (8)
     * @param shape the shape
     * @return the view
     * @throws IllegalArgumentException if the buffer is read-only or has fewer than {@code shape.size()} elements'
     *                                  bytes remaining
     */
    public static Tensor of(ByteBuffer bytes, DType dtype, Shape shape) {
        java.util.Objects.requireNonNull(dtype, "dtype");
        int elementBytes = dtype == DType.FLOAT32 ? Float.BYTES : Double.BYTES;
        if (bytes.isReadOnly()) {
            throw new IllegalArgumentException("the ByteBuffer for shape " + shape
                    + " is read-only; constraints apply in place and need a writable buffer");
        }
        if (bytes.remaining() / elementBytes < shape.size()) {
            throw new IllegalArgumentException("the ByteBuffer has " + bytes.remaining() + " bytes remaining, fewer "
                    + "than the " + (long) shape.size() * elementBytes + " that " + shape.size() + " "
                    + dtype.name().toLowerCase(java.util.Locale.ROOT) + " elements of shape " + shape + " need");
        }
        // A duplicate keeps the view's byte order and limit whatever the caller later does to the buffer.
        ByteBuffer view = bytes.duplicate().order(bytes.order());
        if (bytes.order() != java.nio.ByteOrder.nativeOrder() || !Loops.DEFAULT.buffersInPlace(bytes)) {
            // Swapped into tiles by bulk copies (FloatBufferTensor): the Vector API loops need the order constant,
            // and on JDK 20 and 21 they cannot load from a ByteBuffer at all; on JDK 22+ they load from a direct one
            // through a MemorySegment, given the multi-release jar's versioned classes (Loops#buffersInPlace).
            view.position(bytes.position());
            return dtype == DType.FLOAT32 ? new FloatBufferTensor(view.asFloatBuffer(), 0, shape)
                    : new DoubleBufferTensor(view.asDoubleBuffer(), 0, shape);
        }
        return dtype == DType.FLOAT32 ? new FloatBytesTensor(view, bytes.position(), shape)
                : new DoubleBytesTensor(view, bytes.position(), shape);
    }

    private static void checkRange(int length, int offset, Shape shape, String what) {
        if (offset < 0 || offset > length) {
            throw new IllegalArgumentException(
                    "offset " + offset + " is outside the " + what + " of length " + length + " (shape " + shape + ")");
        }
        if (length - offset < shape.size()) {
            throw new IllegalArgumentException("the " + what + " of length " + length + " holds "
                    + (length - offset) + " elements from offset " + offset + ", fewer than the "
                    + shape.size() + " that shape " + shape + " needs");
        }
    }

    private static void checkBuffer(boolean readOnly, int remaining, Shape shape, String what) {
        if (readOnly) {
            throw new IllegalArgumentException("the " + what + " for shape " + shape
                    + " is read-only; constraints apply in place and need a writable buffer");
        }
        if (remaining < shape.size()) {
            throw new IllegalArgumentException("the " + what + " has " + remaining
                    + " elements remaining, fewer than the " + shape.size() + " that shape " + shape + " needs");
        }
    }

    /** Returns the shape. */
    public final Shape shape() {
        return shape;
    }

    /** Returns the number of elements, {@code shape().size()}. */
    public final int size() {
        return shape.size();
    }

    /** Returns the element type. */
    public abstract DType dtype();

    /**
     * Returns one element, widened to double.
     *
     * @param index the row-major (flat) index, from 0 to {@code size() - 1}
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is outside the tensor
     */
    public final double get(int index) {
        return getAt(checkIndex(index));
    }

    /**
     * Sets one element; float32 tensors round {@code value} to the nearest float.
     *
     * @param index the row-major (flat) index, from 0 to {@code size() - 1}
     * @param value the new value
     * @throws IndexOutOfBoundsException if {@code index} is outside the tensor
     */
    public final void set(int index, double value) {
        setAt(checkIndex(index), value);
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= shape.size()) {
            throw new IndexOutOfBoundsException("index " + index + " is outside a tensor of shape " + shape);
        }
        return index;
    }

    // Kernel primitives. Indices are relative to the start of the view and are trusted: callers validate first.

    abstract double getAt(int index);

    abstract void setAt(int index, double value);

    /** Returns the sum of squares of {@code len} elements from {@code from}, accumulated in double in index order. */
    abstract double sumOfSquares(int from, int len);

    /** Adds the square of element {@code from + i} to {@code sums[sumsFrom + i]} for each i below {@code len}. */
    abstract void addSquares(int from, int len, double[] sums, int sumsFrom);

    /** Multiplies {@code len} elements from {@code from} by {@code factor}. */
    abstract void scale(int from, int len, double factor);

    /** Multiplies element {@code from + i} by {@code factors[factorsFrom + i]} for each i below {@code len}. */
    abstract void scaleEach(int from, int len, double[] factors, int factorsFrom);

    /** Replaces {@code len} elements w from {@code from} by {@code max(min(w, upper), lower)}, keeping NaN. */
    abstract void clamp(int from, int len, double lower, double upper);

    /** Clamps every element, split across threads for large tensors. */
    final void clamp(double lower, double upper, ApplyOptions options) {
        int chunk = 1 << 16;
        int chunks = (size() + chunk - 1) / chunk;
        Parallel.forRange(chunks, size(), options, (from, to) -> {
            int start = from * chunk;
            clamp(start, Math.min(size(), to * chunk) - start, lower, upper);
        });
    }
}
