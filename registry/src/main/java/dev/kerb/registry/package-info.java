/**
 * A name-keyed registry of constraints that reads and writes Keras constraint configs.
 *
 * <p>{@link dev.kerb.registry.ConstraintRegistry} resolves identifiers the way {@code keras.constraints.get} does
 * (a name, a config dict or an instance) and writes Keras 3 config dicts. Each
 * {@link dev.kerb.registry.ConstraintType} entry owns its names and both directions of conversion. Only registered
 * names resolve; no config can name a Java class.
 */
package dev.kerb.registry;
