package org.prune4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed pairwise order. {@code reduceLanes(ADD)} leaves the
 * order to the implementation, and the interpreter and C2 pick different ones; training must be
 * bit-reproducible across JIT tiers (resume relies on it), so the halves are folded explicitly.
 */
final class LaneSum {
    private static final VectorSpecies<Float> S = SparseRowKernels.S;
    private static final VectorShuffle<Float>[] FOLDS = folds();

    private LaneSum() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int l = S.length(), steps = Integer.numberOfTrailingZeros(l);
        VectorShuffle<Float>[] f = new VectorShuffle[steps];
        for (int s = 0, half = l / 2; half >= 1; s++, half /= 2) {
            int h = half;
            f[s] = VectorShuffle.fromOp(S, i -> (i + h) % l);
        }
        return f;
    }

    static float of(FloatVector v) {
        for (VectorShuffle<Float> f : FOLDS) {
            v = v.add(v.rearrange(f));
        }
        return v.lane(0);
    }
}
