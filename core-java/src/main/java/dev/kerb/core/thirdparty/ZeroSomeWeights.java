package dev.kerb.core.thirdparty;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Constraint;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import dev.kerb.core.internal.Params;
import dev.kerb.core.internal.TensorView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * hls4ml's {@code ZeroSomeWeights(binary_tensor=None)} (from {@code keras-training/models/constraints.py}): multiplies
 * the weights elementwise by a fixed mask, so pruned weights stay zero.
 *
 * <p>{@code binary_tensor} is a nested list of numbers with the weights' exact shape (usually 0s and 1s); without
 * one, the constraint is the identity, as in hls4ml. The nested list is kept as given and written back unchanged by
 * {@link #getConfig()}. Immutable.
 */
public final class ZeroSomeWeights implements Constraint {
    private final List<?> binaryTensor; // deep-unmodifiable copy, or null
    private final Shape maskShape;
    private final double[] mask;

    /** Returns the identity form, {@code ZeroSomeWeights(binary_tensor=None)}. */
    public ZeroSomeWeights() {
        this(null);
    }

    /**
     * Returns {@code ZeroSomeWeights(binary_tensor)}.
     *
     * @param binaryTensor a rectangular nested list of finite numbers, or null for no mask. Not modified.
     * @throws IllegalArgumentException if the list is ragged or holds anything but finite numbers
     */
    public ZeroSomeWeights(List<?> binaryTensor) {
        if (binaryTensor == null) {
            this.binaryTensor = null;
            this.maskShape = null;
            this.mask = null;
            return;
        }
        List<Integer> dims = new ArrayList<>();
        Object level = binaryTensor;
        while (level instanceof List<?> list) {
            dims.add(list.size());
            level = list.isEmpty() ? null : list.get(0);
        }
        this.maskShape = Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
        this.mask = new double[maskShape.size()];
        this.binaryTensor = (List<?>) copy(binaryTensor, 0, new int[] {0});
    }

    /** Copies one level of the nested list, checking it against the shape and filling the flat mask. */
    private Object copy(Object value, int depth, int[] next) {
        if (depth == maskShape.rank()) {
            if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException("ZeroSomeWeights binary_tensor holds " + value
                        + " where a finite number was expected (shape " + maskShape + ")");
            }
            mask[next[0]++] = n.doubleValue();
            return n;
        }
        if (!(value instanceof List<?> list) || list.size() != maskShape.dim(depth)) {
            throw new IllegalArgumentException("ZeroSomeWeights binary_tensor is ragged: expected a list of "
                    + maskShape.dim(depth) + " at depth " + depth + " (shape " + maskShape + ")");
        }
        List<Object> out = new ArrayList<>(list.size());
        for (Object item : list) {
            out.add(copy(item, depth + 1, next));
        }
        return Collections.unmodifiableList(out);
    }

    /** Returns {@code binary_tensor} as given, or null. */
    public List<?> getBinaryTensor() {
        return binaryTensor;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the weights' shape differs from the mask's
     */
    @Override
    public void apply(Tensor weights, ApplyOptions options) {
        check(weights.shape());
        if (mask != null) {
            TensorView.of(weights).scaleEach(0, mask.length, mask, 0);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the shape differs from the mask's
     */
    @Override
    public void check(Shape shape) {
        if (mask != null && !shape.equals(maskShape)) {
            throw new IllegalArgumentException("ZeroSomeWeights binary_tensor has shape " + maskShape
                    + " but the weights have shape " + shape + "; expected the same shape");
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        return Params.config("binary_tensor", binaryTensor);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZeroSomeWeights other && java.util.Objects.equals(binaryTensor, other.binaryTensor);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(binaryTensor);
    }

    @Override
    public String toString() {
        return binaryTensor == null ? "ZeroSomeWeights(binary_tensor=None)"
                : "ZeroSomeWeights(binary_tensor=<" + maskShape + " mask>)";
    }
}
