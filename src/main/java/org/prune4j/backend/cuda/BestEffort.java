package org.prune4j.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Runs release steps so that one failure never stops the rest: after a kernel fault every driver
 * call fails, and a close() that gave up at the first cuMemFree used to leak the stream, the
 * module and the context reference into whatever the process opened next. Each failure is
 * kept; {@link #finish()} logs them as one warning line and returns them.
 */
final class BestEffort {
    private static final System.Logger LOG = System.getLogger(BestEffort.class.getName());

    private final String what;
    private final List<String> failures = new ArrayList<>();

    BestEffort(String what) {
        this.what = what;
    }

    /** A driver call that returns a status. */
    void status(String step, IntSupplier call) {
        try {
            int st = call.getAsInt();
            if (st != 0) {
                failures.add(step + ": " + CudaErrors.name(st) + " (" + st + ")");
            }
        } catch (RuntimeException | LinkageError e) {
            failures.add(step + ": " + e.getMessage());
        }
    }

    /** A step that reports failure by throwing (a library's destroy, a nested best-effort close). */
    void run(String step, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | LinkageError e) {
            failures.add(step + ": " + e.getMessage());
        }
    }

    /** Adds failures a nested release already collected. */
    void addAll(String step, List<String> nested) {
        nested.forEach(f -> failures.add(step + ": " + f));
    }

    /** Logs the failures (one line) and returns them; empty when everything was released. */
    List<String> finish() {
        if (!failures.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, what + ": " + failures.size() + " release step(s) failed, the rest ran: "
                    + String.join("; ", failures));
        }
        return List.copyOf(failures);
    }
}
