/**
 * Keras-compatible weight constraints and the tensors they apply to, in place.
 *
 * <p>A {@link dev.kerb.core.Constraint} projects a row-major (C-order) float32 or float64 {@link dev.kerb.core.Tensor}
 * onto the set Keras defines for it: {@link dev.kerb.core.MaxNorm}, {@link dev.kerb.core.MinMaxNorm},
 * {@link dev.kerb.core.UnitNorm}, {@link dev.kerb.core.NonNeg}, tf.keras' {@link dev.kerb.core.RadialConstraint}
 * and the identity {@link dev.kerb.core.Constraint#identity()}. Results follow the Keras 3 formulas exactly,
 * including the epsilon in the denominator, which {@link dev.kerb.core.ApplyOptions} lets callers change. The
 * constraints of QKeras, larq and hls4ml are in {@code dev.kerb.core.thirdparty}.
 */
package dev.kerb.core;
