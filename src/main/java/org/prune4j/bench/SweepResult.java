package org.prune4j.bench;

/**
 * One measured point of the sweep. Times are the median (and min / max) of {@code runs} runs
 * after warm-up; flops count only the products with kept weights; bytes are what must cross
 * the memory bus at least once (weights with their indices, activations in, outputs out);
 * the roofline fraction compares the achieved rate with min(peak, intensity x bandwidth);
 * speedup is the dense vendor baseline's median time, measured in the same run on the same
 * shape, over this one; relError is against that dense product of the same masked weight.
 */
public record SweepResult(String family, String workload, int m, int k, int n, String structure, double sparsity,
        String precision, String backend, long nnz, double medianMs, double minMs, double maxMs, int runs,
        double gflops, double bytes, double gbs, double intensity, double rooflineFraction, String baseline,
        double baselineMs, double speedup, double relError) {

    /** Whether this is a real pattern read from a file, measured at that pattern's own sparsity. */
    public boolean fromFile() {
        return family.equals("dlmc") || family.equals("file");
    }
}
