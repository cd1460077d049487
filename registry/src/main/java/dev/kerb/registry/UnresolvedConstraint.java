package dev.kerb.registry;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Constraint;
import dev.kerb.core.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * A constraint whose name no registry entry knows, kept exactly as it was read so that it can be written back.
 *
 * <p>Loading a model that uses a constraint Kerb cannot run must not lose it: this value carries the dict verbatim,
 * {@link ConstraintRegistry#serialize(Constraint, ConstraintFormat)} writes it back unchanged in its own format, and only
 * {@link #apply(Tensor, ApplyOptions)} fails. Immutable.
 */
public final class UnresolvedConstraint implements Constraint {
    private final Map<String, Object> original;
    private final ConstraintFormat format;
    private final String className;
    private final String module;
    private final String registeredName;
    private final Map<String, Object> config;
    private final String hint;

    UnresolvedConstraint(Map<String, Object> original, ConstraintFormat format, String className, String module,
            String registeredName, Map<String, Object> config, String hint) {
        this.original = original;
        this.format = format;
        this.className = className;
        this.module = module;
        this.registeredName = registeredName;
        this.config = config;
        this.hint = hint;
    }

    /** Returns the dict as it was read, deeply unmodifiable. */
    public Map<String, Object> original() {
        return original;
    }

    /** Returns the format it was read in. */
    public ConstraintFormat format() {
        return format;
    }

    /** Returns its {@code class_name} ({@code className} or {@code name} in other formats). */
    public String className() {
        return className;
    }

    /** Returns its Keras 3 {@code module}, or null. */
    public String module() {
        return module;
    }

    /** Returns its Keras 3 {@code registered_name}, or null. */
    public String registeredName() {
        return registeredName;
    }

    /** Returns its inner config as read (Keras 1's sibling keys, TF.js' camelCase keys as they were). */
    @Override
    public Map<String, Object> getConfig() {
        return config;
    }

    /**
     * Always fails: Kerb does not know what this constraint computes.
     *
     * @throws UnregisteredConstraintException naming the constraint and saying how to register it
     */
    @Override
    public void apply(Tensor weights, ApplyOptions options) {
        check(weights.shape());
    }

    /**
     * Always fails, as {@link #apply(Tensor, ApplyOptions)} does.
     *
     * @throws UnregisteredConstraintException naming the constraint and saying how to register it
     */
    @Override
    public void check(dev.kerb.core.Shape shape) {
        String name = registeredName != null ? registeredName : className;
        String shown = Values.shorten(name);
        throw new UnregisteredConstraintException(name, "constraint '" + shown + "' is not registered, so Kerb cannot "
                + "apply it" + hint + "; register a ConstraintType named '" + shown + "' with ConstraintRegistry.register, "
                + "or ship a ConstraintProvider on the classpath");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnresolvedConstraint other && format == other.format && original.equals(other.original);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, original);
    }

    @Override
    public String toString() {
        return (registeredName != null ? registeredName : className) + Values.describe(config) + " (unregistered)";
    }
}
