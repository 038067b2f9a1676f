package org.prune4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGD and Adam updates in one pass over each tensor, vectorised and split over the cores. A
 * mask ({@link CpuMask}) is read as 16-lane bit masks: pruned lanes keep their values (zero), so
 * no separate pass multiplies the weight, its gradient or the optimiser state by 0/1. The
 * arithmetic is the scalar update's, operation for operation (no fused multiply-add), so
 * results are the same as the one-element-at-a-time loop.
 */
final class OptimizerKernels {
    private static final VectorSpecies<Float> S = SparseRowKernels.S;
    private static final int L = S.length();
    /** Elements per task: whole 64-bit mask words. */
    private static final int CHUNK = 1 << 16;

    private OptimizerKernels() {
    }

    private interface Range {
        void run(int from, int to);
    }

    private static void split(int n, Range r) {
        int tasks = Math.max(1, Math.min(Parallel.tasksFor(n, CHUNK), (n + CHUNK - 1) / CHUNK));
        Parallel.run(tasks, t -> {
            int from = (int) ((long) n * t / tasks) & ~63, to = t == tasks - 1 ? n : (int) ((long) n * (t + 1) / tasks) & ~63;
            r.run(from, to);
        });
    }

    private static VectorMask<Float> keep(long[] bits, int i) {
        return VectorMask.fromLong(S, bits[i >>> 6] >>> (i & 63));
    }

    static void sgd(float[] w, float[] g, float[] v, CpuMask mask, float lr, float mu, boolean nesterov, float wd) {
        long[] bits = mask == null ? null : mask.bits;
        split(w.length, (from, to) -> {
            int i = from;
            if (64 % L == 0) {
                for (; i + L <= to; i += L) {
                    FloatVector wv = FloatVector.fromArray(S, w, i);
                    FloatVector gi = FloatVector.fromArray(S, g, i).add(wv.mul(wd));
                    FloatVector nw;
                    if (v == null) {
                        nw = wv.sub(gi.mul(lr));
                        if (bits != null) {
                            nw = wv.blend(nw, keep(bits, i));
                        }
                    } else {
                        FloatVector vv = FloatVector.fromArray(S, v, i);
                        FloatVector nv = vv.mul(mu).add(gi);
                        nw = wv.sub((nesterov ? gi.add(nv.mul(mu)) : nv).mul(lr));
                        if (bits != null) {
                            VectorMask<Float> k = keep(bits, i);
                            nv = vv.blend(nv, k);
                            nw = wv.blend(nw, k);
                        }
                        nv.intoArray(v, i);
                    }
                    nw.intoArray(w, i);
                }
            }
            for (; i < to; i++) {
                if (bits != null && (bits[i >>> 6] >>> (i & 63) & 1) == 0) {
                    continue;
                }
                float gi = g[i] + wd * w[i];
                if (v == null) {
                    w[i] -= lr * gi;
                } else {
                    v[i] = mu * v[i] + gi;
                    w[i] -= lr * (nesterov ? gi + mu * v[i] : v[i]);
                }
            }
        });
    }

    static void adam(float[] w, float[] g, float[] m, float[] v, CpuMask mask, float stepSize, float b1, float b2,
            float eps, float sqrtC2, float wd) {
        long[] bits = mask == null ? null : mask.bits;
        float c1 = 1 - b1, c2 = 1 - b2;
        split(w.length, (from, to) -> {
            int i = from;
            if (64 % L == 0) {
                for (; i + L <= to; i += L) {
                    FloatVector wv = FloatVector.fromArray(S, w, i);
                    FloatVector gi = FloatVector.fromArray(S, g, i).add(wv.mul(wd));
                    FloatVector mv = FloatVector.fromArray(S, m, i), vv = FloatVector.fromArray(S, v, i);
                    FloatVector nm = mv.mul(b1).add(gi.mul(c1));
                    FloatVector nv = vv.mul(b2).add(gi.mul(c2).mul(gi));
                    FloatVector den = nv.lanewise(VectorOperators.SQRT).div(sqrtC2).add(eps);
                    FloatVector nw = wv.sub(nm.mul(stepSize).div(den));
                    if (bits != null) {
                        VectorMask<Float> k = keep(bits, i);
                        nm = mv.blend(nm, k);
                        nv = vv.blend(nv, k);
                        nw = wv.blend(nw, k);
                    }
                    nm.intoArray(m, i);
                    nv.intoArray(v, i);
                    nw.intoArray(w, i);
                }
            }
            for (; i < to; i++) {
                if (bits != null && (bits[i >>> 6] >>> (i & 63) & 1) == 0) {
                    continue;
                }
                float gi = g[i] + wd * w[i];
                m[i] = b1 * m[i] + c1 * gi;
                v[i] = b2 * v[i] + c2 * gi * gi;
                w[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtC2 + eps);
            }
        });
    }

    /** Zeroes the pruned entries: the one place a mask is applied as a whole, at mask changes. */
    static void applyMask(CpuMask mask, float[] t) {
        long[] bits = mask.bits;
        split(t.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                if ((bits[i >>> 6] >>> (i & 63) & 1) == 0) {
                    t[i] = 0f;
                }
            }
        });
    }
}
