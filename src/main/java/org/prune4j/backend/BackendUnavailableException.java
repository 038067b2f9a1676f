package org.prune4j.backend;

/** A backend was asked for by name and cannot run here; the message says why and what to use. */
public final class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }
}
