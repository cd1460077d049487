/**
 * Kerb's name-keyed registry of constraints, with Keras' {@code get_config}/{@code from_config}; constraints from
 * other modules and jars register through {@link dev.kerb.registry.ConstraintProvider} services.
 */
module dev.kerb.registry {
    requires transitive dev.kerb.core;

    exports dev.kerb.registry;

    uses dev.kerb.registry.ConstraintProvider;
}
