package org.prune4j.backend.cuda.smoke;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.backend.cuda.KernelFailure;

/**
 * Runs one family's cases in this process and reports one line per kernel as soon as it is
 * known. A case that throws becomes {@code fault} (the CUDA context broke: the family's
 * remaining cases are {@code not-run}, since every later call in this process would fail too),
 * {@code unsupported} or {@code error}; a case whose result is off becomes {@code mismatch}.
 * With no GPU every case is {@code skip} with the reason, so the table is complete everywhere.
 * For the self-test family a fault is the {@code expected} outcome and anything else is not.
 */
public final class SmokeRunner {
    private SmokeRunner() {
    }

    /**
     * Runs {@code cases} of {@code family} on the backend {@code gpu} supplies (opened once, on
     * the first case; null or an exception means no GPU, and the message says why).
     */
    static List<SmokeLine> run(String family, List<SmokeCase> cases, Supplier<CudaBackend> gpu, Consumer<SmokeLine> out) {
        List<SmokeLine> lines = new ArrayList<>();
        Consumer<SmokeLine> emit = l -> {
            lines.add(l);
            out.accept(l);
        };
        CudaBackend backend;
        try {
            backend = gpu.get();
        } catch (RuntimeException e) {
            String why = "no GPU: " + e.getMessage();
            for (SmokeCase c : cases) {
                emit.accept(new SmokeLine(family, c.kernel(), "skip", why));
                why = "no GPU (as above)";
            }
            return lines;
        }
        String lost = null;
        boolean selftest = family.equals(SmokeFamilies.SELFTEST);
        for (SmokeCase c : cases) {
            if (lost != null) {
                emit.accept(new SmokeLine(family, c.kernel(), "not-run", "the CUDA context was lost to " + lost));
                continue;
            }
            try {
                Check check = c.body().run(backend);
                if (selftest) {
                    emit.accept(new SmokeLine(family, c.kernel(), "error", "expected a fault: " + check.detail()));
                } else {
                    emit.accept(new SmokeLine(family, c.kernel(), check.pass() ? "pass" : "mismatch", check.describe()));
                }
            } catch (RuntimeException | LinkageError e) {
                KernelFailure f = KernelFailure.of(e);
                if (f.status().equals("fault")) {
                    lost = c.kernel() + " (" + f.errorName() + ")";
                }
                String outcome = selftest && f.status().equals("fault") ? "expected" : f.status();
                String detail = f.status().equals("unsupported") ? f.message() : f.errorName() + ": " + f.message();
                emit.accept(new SmokeLine(family, c.kernel(), outcome, selftest && outcome.equals("expected")
                        ? f.errorName() + ": the deliberate fault stayed in this process" : detail));
            }
        }
        if (backend != null) {
            // best effort and logged: after a fault every release call fails, and that must not
            // turn into an exception that hides the lines above
            backend.release();
        }
        return lines;
    }
}
