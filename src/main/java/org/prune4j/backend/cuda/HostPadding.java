package org.prune4j.backend.cuda;

import org.prune4j.tensor.Tensor;

/**
 * Zero-padding of operands to whole tiles, and the way back. The tensor-core kernels and
 * cuSPARSELt need row lengths (and row counts) that are multiples of their tile; the host pads
 * X on the way in and crops Y on the way out.
 */
final class HostPadding {
    private HostPadding() {
    }

    /** {@code x}'s rows in the top-left corner of a zero {@code rows x ld} matrix. */
    static float[] pad(Tensor x, int rows, int ld) {
        float[] p = new float[rows * ld];
        int n = x.cols();
        for (int r = 0; r < x.rows(); r++) {
            System.arraycopy(x.data(), r * n, p, r * ld, n);
        }
        return p;
    }

    /** The top-left {@code out.length / n} rows by {@code n} columns of a matrix with row length ld. */
    static void crop(float[] padded, int ld, float[] out, int n) {
        for (int r = 0; r < out.length / Math.max(n, 1); r++) {
            System.arraycopy(padded, r * ld, out, r * n, n);
        }
    }

    /** As {@link #crop(float[], int, float[], int)}, decoding bf16 on the way. */
    static void crop(short[] padded, int ld, float[] out, int n) {
        for (int r = 0; r < out.length / Math.max(n, 1); r++) {
            for (int j = 0; j < n; j++) {
                out[r * n + j] = HalfFormat.BF16.decode(padded[r * ld + j]);
            }
        }
    }
}
