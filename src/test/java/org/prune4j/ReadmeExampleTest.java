package org.prune4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.Op;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** The README's Java example, run as written, with its results checked by hand-made sums. */
class ReadmeExampleTest {
    @Test
    void readmeExampleRunsAndItsGradientIsTheSampledProduct() {
        Rng rng = new Rng(1);
        Tensor w = Tensor.uniform(rng, -1, 1, 512, 784);
        Tensor x = Tensor.uniform(rng, -1, 1, 784, 64);
        CsrMatrix sparse = CsrMatrix.fromDense(w, Mask.topScores(w.abs(), 0.9));
        assertEquals(Math.round(0.1 * 512 * 784), sparse.nnz());
        try (Backend b = Backends.open("auto")) {
            Tensor y = Tensor.zeros(512, 64);
            b.spmm(sparse, Op.N, x, y);
            Tensor dy = Tensor.uniform(rng, -1, 1, 512, 64);
            Tensor dx = Tensor.zeros(784, 64);
            b.spmm(sparse, Op.T, dy, dx);
            float[] grad = new float[sparse.nnz()];
            b.sddmm(dy, x, sparse, grad);
            // dL/dW[i][j] = sum_t dy[i][t] * x[j][t], checked for the first stored entry.
            int i = 0;
            while (sparse.rowPtr()[i + 1] == 0) {
                i++;
            }
            int j = sparse.colIdx()[0];
            double want = 0;
            for (int t = 0; t < 64; t++) {
                want += (double) dy.get(i, t) * x.get(j, t);
            }
            assertEquals(want, grad[0], 1e-4);
        }
    }
}
