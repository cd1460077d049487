package dev.kerb.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Checks and normalizes constraint parameters, keeping the int-or-float distinction Keras configs carry. */
public final class Params {
    private Params() {
    }

    /**
     * Returns {@code value} as an Integer or Long if it is integral, else as a finite Double.
     *
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     * @throws NullPointerException     if {@code value} is null
     */
    public static Number number(String owner, String key, Number value) {
        Objects.requireNonNull(value, () -> owner + " " + key + " must not be null");
        if (value instanceof Integer || value instanceof Long) {
            return value;
        }
        if (value instanceof Short || value instanceof Byte) {
            return value.intValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 32 ? (Number) big.intValue() : (Number) big.longValueExact();
        }
        double d = value instanceof BigDecimal dec ? dec.doubleValue() : value.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(owner + " " + key + " is " + value + "; expected a finite number");
        }
        return value instanceof Float f ? Double.valueOf(f.toString()) : (Number) d;
    }

    /** Returns an unmodifiable map of alternating keys and values, in that order; values may be null. */
    public static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(config);
    }
}
