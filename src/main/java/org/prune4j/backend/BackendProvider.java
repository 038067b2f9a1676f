package org.prune4j.backend;

/**
 * Service-provider interface: one per backend, found with {@link java.util.ServiceLoader}.
 * {@link #probe()} must be cheap and must never throw, even with no driver or GPU installed.
 */
public interface BackendProvider {

    String name();

    /** Higher wins when {@code auto} chooses among usable backends. */
    int priority();

    Availability probe();

    /** Creates the backend; only called after {@link #probe()} said it is usable. */
    Backend create();
}
