package dev.kerb.core.internal;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.DType;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.function.Function;

/**
 * The storage behind a {@link Tensor} and the kernel primitives on it: each {@code Tensor} wraps one view, made by
 * the factories here after {@code Tensor.of} has validated the arguments. Positions and lengths count elements from
 * the start of the view and are trusted: callers validate them first.
 */
public abstract sealed class TensorView permits FloatArrayTensor, DoubleArrayTensor, BufferTensor {
    private static Function<Tensor, TensorView> views; // Tensor's accessor, set once when Tensor initializes

    private final Shape shape;

    TensorView(Shape shape) {
        this.shape = shape;
    }

    /**
     * Lets this package read the view of any tensor; {@link Tensor} calls it once, from its static initializer.
     *
     * @param accessor returns a tensor's view
     * @throws IllegalStateException if an accessor is already registered
     */
    public static synchronized void register(Function<Tensor, TensorView> accessor) {
        if (views != null) {
            throw new IllegalStateException("a tensor accessor is already registered");
        }
        views = accessor;
    }

    /** Returns the view behind {@code tensor}; the tensor's class registered the accessor when it initialized. */
    public static TensorView of(Tensor tensor) {
        return views.apply(tensor);
    }

    /** Returns a view of {@code data} from {@code offset}, which the caller has checked. */
    public static TensorView of(float[] data, int offset, Shape shape) {
        return new FloatArrayTensor(data, offset, shape);
    }

    /** Returns a view of {@code data} from {@code offset}, which the caller has checked. */
    public static TensorView of(double[] data, int offset, Shape shape) {
        return new DoubleArrayTensor(data, offset, shape);
    }

    /** Returns a view of a checked, writable {@code buffer} from its position: over its array if it has one. */
    public static TensorView of(FloatBuffer buffer, Shape shape) {
        if (buffer.hasArray()) {
            return new FloatArrayTensor(buffer.array(), buffer.arrayOffset() + buffer.position(), shape);
        }
        return new FloatBufferTensor(buffer, buffer.position(), shape);
    }

    /** Returns a view of a checked, writable {@code buffer} from its position: over its array if it has one. */
    public static TensorView of(DoubleBuffer buffer, Shape shape) {
        if (buffer.hasArray()) {
            return new DoubleArrayTensor(buffer.array(), buffer.arrayOffset() + buffer.position(), shape);
        }
        return new DoubleBufferTensor(buffer, buffer.position(), shape);
    }

    /** Returns a view of the {@code dtype} values in a checked, writable {@code bytes} from its position. */
    public static TensorView of(ByteBuffer bytes, DType dtype, Shape shape) {
        // A duplicate keeps the view's byte order and limit whatever the caller later does to the buffer.
        ByteBuffer view = bytes.duplicate().order(bytes.order());
        if (bytes.order() != ByteOrder.nativeOrder() || !Loops.DEFAULT.buffersInPlace(bytes)) {
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

    /** Returns the shape. */
    public final Shape shape() {
        return shape;
    }

    /** Returns the number of elements. */
    public final int size() {
        return shape.size();
    }

    /** Returns the element type. */
    public abstract DType dtype();

    /** Returns the element at {@code index}, widened to double. */
    public abstract double getAt(int index);

    /** Sets the element at {@code index}, rounded to float for float32 views. */
    public abstract void setAt(int index, double value);

    /** Returns the sum of squares of {@code len} elements from {@code from}, accumulated in double in index order. */
    public abstract double sumOfSquares(int from, int len);

    /** Adds the square of element {@code from + i} to {@code sums[sumsFrom + i]} for each i below {@code len}. */
    public abstract void addSquares(int from, int len, double[] sums, int sumsFrom);

    /** Multiplies {@code len} elements from {@code from} by {@code factor}. */
    public abstract void scale(int from, int len, double factor);

    /** Multiplies element {@code from + i} by {@code factors[factorsFrom + i]} for each i below {@code len}. */
    public abstract void scaleEach(int from, int len, double[] factors, int factorsFrom);

    /** Replaces {@code len} elements w from {@code from} by {@code max(min(w, upper), lower)}, keeping NaN. */
    public abstract void clamp(int from, int len, double lower, double upper);

    /** Clamps every element, split across threads for large tensors. */
    public final void clamp(double lower, double upper, ApplyOptions options) {
        int chunk = 1 << 16;
        int chunks = (size() + chunk - 1) / chunk;
        Parallel.forRange(chunks, size(), options, (from, to) -> {
            int start = from * chunk;
            clamp(start, Math.min(size(), to * chunk) - start, lower, upper);
        });
    }
}
