package dev.kerb.core.thirdparty;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Constraint;
import dev.kerb.core.Tensor;
import dev.kerb.core.internal.Params;
import dev.kerb.core.internal.TensorView;
import java.util.Map;

/**
 * larq {@code WeightClip(clip_value=1)} (registered as {@code weight_clip}): clips every weight to
 * {@code [-clip_value, clip_value]}.
 *
 * <p>larq computes {@code tf.clip_by_value(x, -clip_value, clip_value)}; for a negative {@code clip_value} the lower
 * bound wins, as in TensorFlow. NaN stays NaN. Immutable.
 */
public final class WeightClip implements Constraint {
    private final Number clipValue;

    /** Returns larq's default, {@code WeightClip(clip_value=1)} with the int {@code 1}. */
    public WeightClip() {
        this(1);
    }

    /**
     * Returns {@code WeightClip(clip_value)}.
     *
     * @param clipValue the largest magnitude; an integral value is written back as a JSON int
     * @throws IllegalArgumentException if {@code clipValue} is NaN or infinite
     */
    public WeightClip(Number clipValue) {
        this.clipValue = Params.number("weight_clip", "clip_value", clipValue);
    }

    /** Returns {@code clip_value} as given. */
    public Number getClipValue() {
        return clipValue;
    }

    @Override
    public void apply(Tensor weights, ApplyOptions options) {
        double c = clipValue.doubleValue();
        TensorView.of(weights).clamp(-c, c, options);
    }

    @Override
    public Map<String, Object> getConfig() {
        return Params.config("clip_value", clipValue);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightClip other && clipValue.equals(other.clipValue);
    }

    @Override
    public int hashCode() {
        return clipValue.hashCode();
    }

    @Override
    public String toString() {
        return "WeightClip(clip_value=" + clipValue + ")";
    }
}
