/**
 * Kerb's constraints: the Keras built-ins and the tensors they apply to ({@code dev.kerb.core}) and the constraints of
 * third-party Keras libraries ({@code dev.kerb.core.thirdparty}). The kernels ({@code dev.kerb.core.internal}) are
 * not exported. The Vector API loops run when the JVM has {@code jdk.incubator.vector}
 * ({@code --add-modules jdk.incubator.vector}), the scalar loops otherwise.
 */
module dev.kerb.core {
    requires static jdk.incubator.vector;

    exports dev.kerb.core;
    exports dev.kerb.core.thirdparty;
}
