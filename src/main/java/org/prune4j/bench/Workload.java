package org.prune4j.bench;

/**
 * One product to benchmark: a weight of {@code m x k} (outputs x inputs) times activations of
 * {@code k x n} (n = batch, tokens or output pixels), from a named family of real networks.
 * A workload read from a file (DLMC, Matrix Market) carries its real sparsity pattern and is
 * measured as CSR with that pattern only.
 */
public record Workload(String family, String name, int m, int k, int n, org.prune4j.sparse.Mask pattern) {
    public Workload {
        if (m <= 0 || k <= 0 || n <= 0) {
            throw new IllegalArgumentException(name + ": shape must be positive, got " + m + "x" + k + " x " + n);
        }
        if (pattern != null && (pattern.rows() != m || pattern.cols() != k)) {
            throw new IllegalArgumentException(name + ": pattern is " + pattern.rows() + "x" + pattern.cols()
                    + ", weight " + m + "x" + k);
        }
    }

    public Workload(String family, String name, int m, int k, int n) {
        this(family, name, m, k, n, null);
    }

    public double denseFlops() {
        return 2.0 * m * k * n;
    }

    @Override
    public String toString() {
        return name + " (" + m + "x" + k + " . " + k + "x" + n + ")";
    }
}
