package org.prune4j.backend.cpu;

import org.prune4j.backend.MaskHandle;
import org.prune4j.sparse.Mask;

/**
 * A mask as a bitset, bit i of word i/64 set when entry i is kept: 1/32 of the memory traffic of
 * a float 0/1 matrix, and 16 bits are exactly one AVX-512 lane mask for the fused optimiser
 * updates.
 */
final class CpuMask implements MaskHandle {
    private final int rows;
    private final int cols;
    private final int kept;
    final long[] bits;

    CpuMask(Mask mask) {
        this.rows = mask.rows();
        this.cols = mask.cols();
        this.kept = mask.keptCount();
        boolean[] k = mask.toArray();
        bits = new long[(k.length + 63) >>> 6];
        for (int i = 0; i < k.length; i++) {
            if (k[i]) {
                bits[i >>> 6] |= 1L << (i & 63);
            }
        }
    }

    int size() {
        return rows * cols;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public int kept() {
        return kept;
    }

    @Override
    public String backend() {
        return "cpu";
    }

    /** The handle as a CPU mask, or a clear error when another backend made it. */
    static CpuMask of(MaskHandle h, int size, String op) {
        if (h == null) {
            return null;
        }
        if (!(h instanceof CpuMask m)) {
            throw new IllegalArgumentException(op + ": mask was prepared by backend '" + h.backend()
                    + "'; prepare it with the CPU backend that runs this step");
        }
        if (m.size() != size) {
            throw new IllegalArgumentException(op + ": mask is " + m.rows + "x" + m.cols + " but the tensor has "
                    + size + " values");
        }
        return m;
    }
}
