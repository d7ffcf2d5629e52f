package dev.oneclick.notify.internal;

import dev.oneclick.InvalidInputException;

/**
 * Checks the {@code data} of a resources event (as compact JSON text) before it is stored. Wired to the resources
 * JSON Schema.
 */
@FunctionalInterface
public interface ResourcesValidator {
    /** @throws InvalidInputException naming what is wrong */
    void validate(String json);
}
