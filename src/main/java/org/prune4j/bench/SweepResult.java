package org.prune4j.bench;

/**
 * One point of the sweep. Times are the median (and min / max) of {@code runs} runs after
 * warm-up; flops count only the products with kept weights; bytes are what must cross the
 * memory bus at least once (weights with their indices, activations in, outputs out); the
 * roofline fraction compares the achieved rate with min(peak, intensity x bandwidth); speedup is
 * the same-precision dense baseline's median time, measured in the same run on the same shape,
 * over this one; relError is against the dense product of the same masked weight. GPU rows name
 * the kernel that ran in {@code backend} and add the host's enqueue cost per call
 * ({@code hostUs}, outside the device time). {@code status} is ok, or mismatch / fault / error /
 * unsupported / not-run with the reason in {@code note}; only ok rows enter summaries, plots and
 * calibrations. Files written before the status existed read as ok.
 */
public record SweepResult(String family, String workload, int m, int k, int n, String structure, double sparsity,
        String precision, String backend, long nnz, double medianMs, double minMs, double maxMs, int runs,
        double gflops, double bytes, double gbs, double intensity, double rooflineFraction, String baseline,
        double baselineMs, double speedup, double relError, double hostUs, String status, String note) {

    /** Whether this is a real pattern read from a file, measured at that pattern's own sparsity. */
    public boolean fromFile() {
        return family.equals("dlmc") || family.equals("file");
    }

    /** Whether the row holds a time that passed its check. */
    public boolean ok() {
        return status == null || status.equals("ok");
    }
}
