package org.prune4j.backend;

/** The one error a backend throws for an operation it does not run, naming the way around it. */
public final class Unsupported {
    private Unsupported() {
    }

    public static UnsupportedOperationException of(String backend, Feature f, String op) {
        return new UnsupportedOperationException("backend '" + backend + "' does not run " + op + " ("
                + f.name().toLowerCase(java.util.Locale.ROOT) + "); open it through Backends.routed(...) so that "
                + "what it lacks runs on the CPU");
    }
}
