/**
 * Weight constraints from third-party Keras libraries, so that models saved with them load and train in Kerb:
 * QKeras' and hls4ml's {@link dev.kerb.core.thirdparty.Clip}, larq's {@link dev.kerb.core.thirdparty.WeightClip}
 * and QKeras' {@link dev.kerb.core.thirdparty.ZeroSomeWeights}.
 *
 * <p>They implement {@link dev.kerb.core.Constraint} like the Keras built-ins in {@code dev.kerb.core}, and follow
 * their library's formula and config keys rather than Keras' own.
 */
package dev.kerb.core.thirdparty;
