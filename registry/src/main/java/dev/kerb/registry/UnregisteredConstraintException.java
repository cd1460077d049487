package dev.kerb.registry;

/**
 * A constraint read from a config whose name no registry entry has, asked to apply to weights. Configs holding it
 * still load and write back unchanged ({@link UnresolvedConstraint}); only applying it fails. The message names the
 * constraint, the closest registered name if any, and how to register it.
 */
public class UnregisteredConstraintException extends ConfigException {
    private static final long serialVersionUID = 1L;

    /** The constraint's registered name, or its class name when it has none. */
    private final String name;

    /**
     * Creates the exception.
     *
     * @param name    the constraint's registered name, or its class name
     * @param message what was asked, the closest registered name, and how to register it
     */
    public UnregisteredConstraintException(String name, String message) {
        super(message);
        this.name = name;
    }

    /**
     * Returns the constraint's registered name, or its class name when it has none.
     *
     * @return the name a {@code ConstraintType} would have to be registered under
     */
    public String name() {
        return name;
    }
}
