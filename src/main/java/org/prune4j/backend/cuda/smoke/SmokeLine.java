package org.prune4j.backend.cuda.smoke;

import java.util.Locale;

/**
 * One kernel's smoke outcome. Outcomes: {@code pass}, {@code mismatch} (ran, wrong result),
 * {@code fault} (broke the CUDA context), {@code error} (a call failed without breaking it),
 * {@code unsupported} (this GPU or library refuses it), {@code skip} (nothing to run on: no
 * GPU, no library), {@code not-run} (its family lost the context earlier), {@code crashed} and
 * {@code timeout} (the family's process died or hung; set by the parent), and {@code expected}
 * (the self-test's deliberate fault happened, so containment works).
 *
 * <p>Children print lines as tab-separated {@link #wire()} text; people read {@link #text()},
 * whose first three whitespace-separated fields are family, kernel and outcome.
 */
public record SmokeLine(String family, String kernel, String outcome, String detail) {
    static final String PREFIX = "smoke";

    public SmokeLine {
        kernel = kernel.replaceAll("\\s+", "_");
        detail = detail == null ? "" : detail.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    /** Whether this outcome means the family is fit for the later steps. */
    public boolean good() {
        return switch (outcome) {
            case "pass", "unsupported", "skip", "expected" -> true;
            default -> false;
        };
    }

    /** The line a child process prints. */
    public String wire() {
        return String.join("\t", PREFIX, family, kernel, outcome, detail);
    }

    /** A line a child printed, or null when it is not one. */
    static SmokeLine parse(String line) {
        String[] f = line.split("\t", 5);
        if (f.length < 4 || !f[0].equals(PREFIX)) {
            return null;
        }
        return new SmokeLine(f[1], f[2], f[3], f.length > 4 ? f[4] : "");
    }

    /** The aligned line people read. */
    public String text() {
        return String.format(Locale.ROOT, "%-11s %-36s %-11s %s", family, kernel, outcome, detail).stripTrailing();
    }
}
