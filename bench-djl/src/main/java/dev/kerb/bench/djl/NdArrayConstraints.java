package dev.kerb.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import java.util.HashMap;
import java.util.Map;

/**
 * The comparison: {@code MaxNorm(c)} on the first two {@code Linear} weights and {@code NonNeg} on the first bias,
 * written in DJL's NDArray ops after the delegate's update, as a DJL user would without Kerb:
 * {@code w *= clip(norms, 0, c) / (1e-7 + norms)} with the norms over each output unit's row (Keras'
 * {@code MaxNorm.__call__} in DJL's (out, in) layout), and {@code b *= (b >= 0)}.
 */
final class NdArrayConstraints extends Optimizer {
    private final Optimizer delegate;
    private final float maxNorm;
    private final Map<String, String> roles = new HashMap<>();

    NdArrayConstraints(Optimizer delegate, Block net, float maxNorm) {
        super(new Unused());
        this.delegate = delegate;
        this.maxNorm = maxNorm;
        Map<String, Parameter> byName = new HashMap<>();
        net.getParameters().forEach(p -> byName.put(p.getKey(), p.getValue()));
        roles.put(byName.get("01Linear_weight").getId(), "maxnorm");
        roles.put(byName.get("03Linear_weight").getId(), "maxnorm");
        roles.put(byName.get("01Linear_bias").getId(), "nonneg");
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        delegate.update(parameterId, weight, grad);
        String role = roles.get(parameterId);
        if ("maxnorm".equals(role)) {
            try (NDArray norms = weight.square().sum(new int[] {1}, true).sqrt();
                    NDArray desired = norms.clip(0, maxNorm);
                    NDArray denominator = norms.add(1e-7f);
                    NDArray factors = desired.div(denominator)) {
                weight.muli(factors);
            }
        } else if ("nonneg".equals(role)) {
            try (NDArray mask = weight.gte(0f); NDArray factors = mask.toType(DataType.FLOAT32, false)) {
                weight.muli(factors);
            }
        }
    }

    /** The base class wants a builder; the delegate holds the settings. */
    static final class Unused extends OptimizerBuilder<Unused> {
        @Override
        protected Unused self() {
            return this;
        }
    }
}
