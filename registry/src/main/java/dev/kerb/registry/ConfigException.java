package dev.kerb.registry;

/**
 * A constraint identifier or config that cannot be read: an unknown name, an unknown key, or a value of the wrong
 * type. The message names the value, where it was found and what was expected.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, where, and what was expected
     */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong, where, and what was expected
     * @param cause   the underlying failure
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
