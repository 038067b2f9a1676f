package org.prune4j.backend;

/** Whether a backend can run here and, when it cannot, the reason and what to do about it. */
public record Availability(boolean usable, String detail) {
    public Availability {
        if (detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("an availability needs a detail that says why");
        }
    }

    public static Availability yes(String detail) {
        return new Availability(true, detail);
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
