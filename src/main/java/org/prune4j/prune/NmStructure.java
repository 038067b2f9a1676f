package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/**
 * N of every M consecutive weights along the input dimension (a row of the stored weight), the
 * pattern of sparse tensor cores at 2:4. The pattern fixes the density at N/M in every layer,
 * the output layer included, so a scope has nothing to allocate and a step must ask for exactly
 * that fraction. A row whose length is not a multiple of M ends in a shorter group that keeps
 * min(N, its length) weights: the kernels pad it with zero columns, which are never chosen
 * over a real weight.
 */
public record NmStructure(int n, int m) implements Structure {

    public NmStructure {
        if (m < 2 || m > 8 || n < 1 || n >= m) {
            throw new IllegalArgumentException("nm:N:M needs 1 <= N < M <= 8 (the N:M kernels' range; N = M would "
                    + "prune nothing), got nm:" + n + ":" + m);
        }
    }

    @Override
    public String name() {
        return "nm:" + n + ":" + m;
    }

    @Override
    public OptionalDouble fixedDensity() {
        return OptionalDouble.of(n / (double) m);
    }

    @Override
    public Map<Parameter, Mask> select(List<Scored> layers, double keep, Scope scope) {
        if (Math.abs(keep - n / (double) m) > 1e-9) {
            throw new IllegalArgumentException(name() + " keeps " + n + " of every " + m + " weights, a fraction "
                    + n / (double) m + ", in one step from the dense network; this step asked to keep " + keep
                    + " of the live weights. Prune " + name() + " once (--schedule oneshot --sparsity "
                    + (1 - n / (double) m) + ")");
        }
        Map<Parameter, Mask> out = new LinkedHashMap<>();
        for (Scored s : layers) {
            Parameter p = s.weight();
            int rows = p.value().rows(), cols = p.value().cols();
            boolean[] alive = TopK.alive(p);
            boolean[] kept = new boolean[alive.length];
            for (int i = 0; i < rows; i++) {
                for (int j0 = 0; j0 < cols; j0 += m) {
                    keepBest(s.scores(), alive, kept, i * cols + j0, Math.min(m, cols - j0));
                }
            }
            out.put(p, Mask.of(rows, cols, kept));
        }
        return out;
    }

    /** The n best live entries of one group, the lower position first among equal scores. */
    private void keepBest(float[] scores, boolean[] alive, boolean[] kept, int from, int length) {
        for (int t = 0; t < n; t++) {
            int best = -1;
            for (int j = from; j < from + length; j++) {
                if (alive[j] && !kept[j] && (best < 0 || scores[j] > scores[best])) {
                    best = j;
                }
            }
            if (best < 0) {
                return;
            }
            kept[best] = true;
        }
    }

    @Override
    public Map<Parameter, Mask> randomLike(List<Parameter> layers, Map<Parameter, Mask> masks, Rng rng) {
        return Structure.eachMasked(layers, masks, rng, this::randomGroupsLike);
    }

    /** In every group, as many kept entries as {@code mask} has there, at random positions. */
    private Mask randomGroupsLike(Parameter weight, Mask mask, Rng r) {
        int rows = mask.rows(), cols = mask.cols();
        boolean[] kept = new boolean[rows * cols];
        for (int row = 0; row < rows; row++) {
            for (int j0 = 0; j0 < cols; j0 += m) {
                int length = Math.min(m, cols - j0), count = 0;
                int[] order = new int[length];
                for (int j = 0; j < length; j++) {
                    count += mask.keptAt(row * cols + j0 + j) ? 1 : 0;
                    order[j] = j;
                }
                r.shuffle(order);
                for (int t = 0; t < count; t++) {
                    kept[row * cols + j0 + order[t]] = true;
                }
            }
        }
        return Mask.of(rows, cols, kept);
    }
}
