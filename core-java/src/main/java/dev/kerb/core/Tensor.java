package dev.kerb.core;

import dev.kerb.core.internal.TensorView;
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
public final class Tensor {
    // Final and wrapping an internal view rather than sealed over the views: a sealed class in an unnamed module (the
    // classpath) may permit subclasses in its own package only, and the views live in dev.kerb.core.internal.
    static {
        TensorView.register(t -> t.view);
    }

    final TensorView view;

    private Tensor(TensorView view) {
        this.view = view;
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
        return new Tensor(TensorView.of(data, offset, shape));
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
        return new Tensor(TensorView.of(data, offset, shape));
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
        return new Tensor(TensorView.of(buffer, shape));
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
        return new Tensor(TensorView.of(buffer, shape));
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
        return new Tensor(TensorView.of(bytes, dtype, shape));
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
    public Shape shape() {
        return view.shape();
    }

    /** Returns the number of elements, {@code shape().size()}. */
    public int size() {
        return view.size();
    }

    /** Returns the element type. */
    public DType dtype() {
        return view.dtype();
    }

    /**
     * Returns one element, widened to double.
     *
     * @param index the row-major (flat) index, from 0 to {@code size() - 1}
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is outside the tensor
     */
    public double get(int index) {
        return view.getAt(checkIndex(index));
    }

    /**
     * Sets one element; float32 tensors round {@code value} to the nearest float.
     *
     * @param index the row-major (flat) index, from 0 to {@code size() - 1}
     * @param value the new value
     * @throws IndexOutOfBoundsException if {@code index} is outside the tensor
     */
    public void set(int index, double value) {
        view.setAt(checkIndex(index), value);
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= view.size()) {
            throw new IndexOutOfBoundsException("index " + index + " is outside a tensor of shape " + view.shape());
        }
        return index;
    }

}
