package dev.kerb.core;

import java.util.Map;

/** Keras' base {@code Constraint()}, the identity: {@code __call__(w)} returns {@code w}. */
final class Identity implements Constraint {
    static final Identity INSTANCE = new Identity();

    private Identity() {
    }

    @Override
    public void apply(Tensor weights, ApplyOptions options) {
        // Keras returns w itself: nothing to do.
    }

    @Override
    public Map<String, Object> getConfig() {
        return Map.of();
    }

    @Override
    public String toString() {
        return "Constraint()";
    }
}
