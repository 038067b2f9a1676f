package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.prune4j.Reference;
import org.prune4j.TestMasks;
import org.prune4j.TestMasks.Kind;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The persistent-CSR products of sparse training (forward, input gradient over the column index,
 * weight gradient at the pattern, in both activation layouts) against double-precision dense products of the
 * masked weight, on fresh random inputs: batches that are not a multiple of the kernels' tile,
 * 1x1, empty rows, all-zero and fully dense patterns.
 */
class SparseTrainingKernelsTest {
    private static final long SEED = System.nanoTime();
    private final Backend be = new CpuBackend(new JavaGemm());

    static Stream<Object[]> cases() {
        int[][] shapes = {{1, 1, 1}, {37, 53, 1}, {64, 100, 60}, {19, 130, 65}, {33, 20, 129}, {200, 150, 256},
            {16, 27, 1500}};
        List<Object[]> out = new ArrayList<>();
        for (ActivationLayout layout : ActivationLayout.values()) {
            for (int[] s : shapes) {
                for (Kind k : Kind.values()) {
                    out.add(new Object[] {layout, s[0], s[1], s[2], k});
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2} n={3} {4}")
    @MethodSource("cases")
    void productsMatchTheDenseMaskedReference(ActivationLayout layout, int rows, int cols, int batch, Kind kind) {
        Rng rng = new Rng(SEED ^ (rows * 7919L + cols * 31L + batch * 131L + kind.ordinal()));
        Mask mask = TestMasks.unstructured(rows, cols, kind, rng);
        Tensor w = mask.apply(Tensor.uniform(rng, -1, 1, rows, cols));
        boolean bm = layout == ActivationLayout.BATCH_MAJOR;
        Tensor x = bm ? Tensor.uniform(rng, -1, 1, batch, cols) : Tensor.uniform(rng, -1, 1, cols, batch);
        Tensor dy = bm ? Tensor.uniform(rng, -1, 1, batch, rows) : Tensor.uniform(rng, -1, 1, rows, batch);
        Tensor xb = SparseProductChecks.batchMajor(x, layout), dyb = SparseProductChecks.batchMajor(dy, layout);
        SparseWeight sw = be.prepareSparse(CsrMatrix.pattern(mask));
        Tensor values = Tensor.zeros(sw.nnz());
        be.gatherValues(sw, w, values);
        String what = layout + " " + rows + "x" + cols + " n " + batch + " " + kind + " seed " + SEED;

        Tensor dv = SparseProductChecks.forwardAndInputGradient(be, sw, values, w, x, dy, layout, what);

        double[] absG = new double[rows * cols];
        double[] fullG = Reference.gemm(true, false, 1.0, dyb, xb, 0.0, null, rows, cols, batch, absG);
        CsrMatrix p = CsrMatrix.pattern(mask);
        double[] wantG = new double[sw.nnz()], wantAbs = new double[sw.nnz()];
        for (int i = 0; i < rows; i++) {
            for (int q = p.rowPtr()[i]; q < p.rowPtr()[i + 1]; q++) {
                wantG[q] = fullG[i * cols + p.colIdx()[q]];
                wantAbs[q] = absG[i * cols + p.colIdx()[q]];
            }
        }
        Reference.assertClose(dv.data(), wantG, wantAbs, batch, "weight gradient " + what);
    }

    @Test
    void gatherAndScatterRoundTripTheMaskedWeight() {
        Rng rng = new Rng(SEED);
        Mask mask = TestMasks.unstructured(23, 41, Kind.EMPTY_ROWS, rng);
        Tensor w = Tensor.uniform(rng, -1, 1, 23, 41);
        SparseWeight sw = be.prepareSparse(CsrMatrix.pattern(mask));
        Tensor values = Tensor.zeros(sw.nnz());
        be.gatherValues(sw, w, values);
        Tensor back = Tensor.filled(7f, 23, 41);
        be.scatterValues(sw, values, back);
        assertArrayEquals(mask.apply(w).data(), back.data());
    }

    @Test
    void resultsDoNotDependOnTheRun() {
        Rng rng = new Rng(SEED);
        Mask mask = TestMasks.unstructured(300, 200, Kind.RANDOM, rng);
        SparseWeight sw = be.prepareSparse(CsrMatrix.pattern(mask));
        Tensor values = Tensor.uniform(rng, -1, 1, sw.nnz());
        Tensor x = Tensor.uniform(rng, -1, 1, 100, 200), dy = Tensor.uniform(rng, -1, 1, 100, 300);
        Tensor g1 = Tensor.zeros(sw.nnz()), g2 = Tensor.zeros(sw.nnz());
        Tensor dx1 = Tensor.zeros(100, 200), dx2 = Tensor.zeros(100, 200);
        be.sparseBackward(sw, values, dy, x, dx1, g1, ActivationLayout.BATCH_MAJOR);
        be.sparseBackward(sw, values, dy, x, dx2, g2, ActivationLayout.BATCH_MAJOR);
        assertArrayEquals(g1.data(), g2.data());
        assertArrayEquals(dx1.data(), dx2.data());
    }

    @Test
    void badShapesAreNamed() {
        SparseWeight sw = be.prepareSparse(CsrMatrix.pattern(Mask.all(4, 5)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.sparseForward(sw, Tensor.zeros(20), Tensor.zeros(3, 4), Tensor.zeros(3, 4),
                        ActivationLayout.BATCH_MAJOR));
        assertTrue(e.getMessage().contains("examples x 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> be.sparseForward(sw, Tensor.zeros(19), Tensor.zeros(3, 5), Tensor.zeros(3, 4),
                        ActivationLayout.BATCH_MAJOR));
        assertTrue(e.getMessage().contains("stores 20"), e.getMessage());
    }
}
