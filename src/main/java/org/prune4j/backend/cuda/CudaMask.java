package org.prune4j.backend.cuda;

import org.prune4j.backend.MaskHandle;
import org.prune4j.sparse.Mask;

/** A mask on the GPU as a bitset of 32-bit words, bit i%32 of word i/32 set where entry i is kept. */
final class CudaMask implements MaskHandle {
    private final int rows;
    private final int cols;
    private final int kept;
    private final String backend;
    final DeviceBuffer bits;

    CudaMask(CudaDevice device, Mask mask, String backend) {
        this.rows = mask.rows();
        this.cols = mask.cols();
        this.kept = mask.keptCount();
        this.backend = backend;
        boolean[] k = mask.toArray();
        int[] words = new int[(k.length + 31) >>> 5];
        for (int i = 0; i < k.length; i++) {
            if (k[i]) {
                words[i >>> 5] |= 1 << (i & 31);
            }
        }
        this.bits = device.upload(words);
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
        return backend;
    }

    @Override
    public void close() {
        bits.close();
    }

    static CudaMask of(org.prune4j.backend.MaskHandle h, long size, String op) {
        if (h == null) {
            return null;
        }
        if (!(h instanceof CudaMask m)) {
            throw new IllegalArgumentException(op + ": the mask was prepared by backend '" + h.backend()
                    + "'; prepare it with the CUDA backend that runs this step");
        }
        if ((long) m.rows * m.cols != size) {
            throw new IllegalArgumentException(op + ": mask is " + m.rows + "x" + m.cols + " but the tensor has " + size
                    + " values");
        }
        return m;
    }
}
