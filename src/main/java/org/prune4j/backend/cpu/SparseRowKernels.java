package org.prune4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two inner loops every CPU sparse product reduces to, over one sparse row given as
 * (column, value) pairs and one strip of at most {@link #STRIP} dense columns:
 * <ul>
 *   <li>{@link #gatherRow}: {@code y[0..w) = sum_p val[p] * x[col[p], j0..j0+w)} with the strip
 *       held in registers for the whole row, so y is written once;</li>
 *   <li>{@link #scatterRow}: {@code y[col[p], j0..j0+w) += val[p] * dy[j0..j0+w)}, the
 *       transposed product.</li>
 * </ul>
 * Callers loop strips outermost, so the x (or y) strip of width STRIP stays in cache across
 * rows instead of streaming all of x for every row.
 */
final class SparseRowKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Four vectors: as wide as the accumulators that fit in registers. */
    static final int STRIP = 4 * L;

    private SparseRowKernels() {
    }

    static void gatherRow(int[] col, float[] val, int from, int to, float[] x, int ldx, int j0, int w, float[] y,
            int yOff) {
        if (w == STRIP) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            for (int p = from; p < to; p++) {
                FloatVector v = FloatVector.broadcast(S, val[p]);
                int xo = col[p] * ldx + j0;
                a0 = FloatVector.fromArray(S, x, xo).fma(v, a0);
                a1 = FloatVector.fromArray(S, x, xo + L).fma(v, a1);
                a2 = FloatVector.fromArray(S, x, xo + 2 * L).fma(v, a2);
                a3 = FloatVector.fromArray(S, x, xo + 3 * L).fma(v, a3);
            }
            a0.intoArray(y, yOff);
            a1.intoArray(y, yOff + L);
            a2.intoArray(y, yOff + 2 * L);
            a3.intoArray(y, yOff + 3 * L);
            return;
        }
        for (int c = 0; c < w; c += L) {
            VectorMask<Float> m = S.indexInRange(c, w);
            FloatVector acc = FloatVector.zero(S);
            for (int p = from; p < to; p++) {
                FloatVector xv = FloatVector.fromArray(S, x, col[p] * ldx + j0 + c, m);
                acc = xv.fma(FloatVector.broadcast(S, val[p]), acc);
            }
            acc.intoArray(y, yOff + c, m);
        }
    }

    static void scatterRow(int[] col, float[] val, int from, int to, float[] dy, int dyOff, int w, float[] y, int ldy,
            int j0) {
        int full = S.loopBound(w);
        for (int p = from; p < to; p++) {
            FloatVector v = FloatVector.broadcast(S, val[p]);
            int yo = col[p] * ldy + j0;
            int c = 0;
            for (; c < full; c += L) {
                FloatVector.fromArray(S, dy, dyOff + c).fma(v, FloatVector.fromArray(S, y, yo + c)).intoArray(y, yo + c);
            }
            if (c < w) {
                VectorMask<Float> m = S.indexInRange(c, w);
                FloatVector.fromArray(S, dy, dyOff + c, m).fma(v, FloatVector.fromArray(S, y, yo + c, m))
                        .intoArray(y, yo + c, m);
            }
        }
    }

    /** {@code sum_k a[ao+k] * b[bo+k]} for k in [0, len), accumulated in float vectors. */
    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        FloatVector acc = FloatVector.zero(S);
        int full = S.loopBound(len);
        int k = 0;
        for (; k < full; k += L) {
            acc = FloatVector.fromArray(S, a, ao + k).fma(FloatVector.fromArray(S, b, bo + k), acc);
        }
        if (k < len) {
            VectorMask<Float> m = S.indexInRange(k, len);
            acc = FloatVector.fromArray(S, a, ao + k, m).fma(FloatVector.fromArray(S, b, bo + k, m), acc);
        }
        // reduceLanes(ADD) leaves the order open, and the interpreter and C2 pick different ones;
        // a fixed lane order keeps training bit-reproducible across JIT tiers (resume relies on it).
        float sum = 0f;
        for (int i = 0; i < L; i++) {
            sum += acc.lane(i);
        }
        return sum;
    }
}
