package org.prune4j.backend.cuda.smoke;

import java.util.Locale;

/**
 * A kernel's result against its reference: the largest error over the output entries, each
 * measured against that entry's magnitude bound (sum of |a b| over the products it adds), and
 * the tolerance a correct kernel stays under. NaN (an entry never written, poisoned beforehand)
 * never passes.
 */
record Check(double error, double tolerance, String detail) {
    boolean pass() {
        return error <= tolerance;
    }

    String describe() {
        return String.format(Locale.ROOT, "max error %.2e (tolerance %.1e)%s", error, tolerance,
                detail.isEmpty() ? "" : "; " + detail);
    }
}
