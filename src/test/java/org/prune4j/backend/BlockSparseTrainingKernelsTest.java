package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The block-sparse products of training (forward, input gradient, weight gradient at the
 * stored blocks, in both activation layouts) against double-precision dense products of the
 * masked weight, on fresh random inputs: matrices that blocks do not divide (edge blocks
 * overhang), batches that are not a multiple of the kernels' strip, 1x1, empty block rows,
 * all-zero and fully dense patterns. The gradient must be zero at the padding of edge blocks,
 * or an optimiser would grow weights outside the matrix's pattern.
 */
class BlockSparseTrainingKernelsTest {
    private static final long SEED = System.nanoTime();
    private final Backend be = new CpuBackend(new JavaGemm());

    static Stream<Object[]> cases() {
        int[][] shapes = {{1, 1, 1}, {37, 53, 1}, {64, 100, 60}, {19, 130, 65}, {33, 20, 129}, {200, 150, 256},
            {16, 27, 1500}};
        int[][] blocks = {{4, 4}, {8, 4}, {4, 16}, {16, 16}};
        List<Object[]> out = new ArrayList<>();
        for (ActivationLayout layout : ActivationLayout.values()) {
            for (int[] s : shapes) {
                for (int[] b : blocks) {
                    for (Kind k : Kind.values()) {
                        out.add(new Object[] {layout, s[0], s[1], s[2], b[0], b[1], k});
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2} n={3} blocks {4}x{5} {6}")
    @MethodSource("cases")
    void productsMatchTheDenseMaskedReference(ActivationLayout layout, int rows, int cols, int batch, int br, int bc,
            Kind kind) {
        Rng rng = new Rng(SEED ^ (rows * 7919L + cols * 31L + batch * 131L + br * 17L + bc + kind.ordinal()));
        Mask mask = TestMasks.blocks(rows, cols, br, bc, kind, rng);
        BlockShape blocks = new BlockShape(br, bc);
        Tensor w = mask.apply(Tensor.uniform(rng, -1, 1, rows, cols));
        boolean bm = layout == ActivationLayout.BATCH_MAJOR;
        Tensor x = bm ? Tensor.uniform(rng, -1, 1, batch, cols) : Tensor.uniform(rng, -1, 1, cols, batch);
        Tensor dy = bm ? Tensor.uniform(rng, -1, 1, batch, rows) : Tensor.uniform(rng, -1, 1, rows, batch);
        Tensor xb = SparseProductChecks.batchMajor(x, layout), dyb = SparseProductChecks.batchMajor(dy, layout);
        SparseWeight sw = be.prepareSparse(CsrMatrix.pattern(mask), blocks);
        assertEquals(blocks, sw.blocks(), "the CPU runs blocks of four and more on its block kernels");
        Tensor values = Tensor.filled(Float.NaN, sw.nnz());
        be.gatherValues(sw, w, values);
        String what = layout + " " + rows + "x" + cols + " n " + batch + " " + blocks + " " + kind + " seed " + SEED;

        Tensor dv = SparseProductChecks.forwardAndInputGradient(be, sw, values, w, x, dy, layout, what);

        double[] absG = new double[rows * cols];
        double[] wantG = Reference.gemm(true, false, 1.0, dyb, xb, 0.0, null, rows, cols, batch, absG);
        for (int i = 0; i < wantG.length; i++) {
            if (!mask.keptAt(i)) {
                wantG[i] = 0;
                absG[i] = 0;
            }
        }
        Tensor g = Tensor.filled(7f, rows, cols);
        be.scatterValues(sw, dv, g);
        Reference.assertClose(g.data(), wantG, absG, batch, "weight gradient " + what);
        Tensor regathered = Tensor.filled(Float.NaN, sw.nnz());
        be.gatherValues(sw, g, regathered);
        assertArrayEquals(dv.data(), regathered.data(), "the gradient is zero at the padding of edge blocks: " + what);
    }

    @Test
    void gatherAndScatterRoundTripTheMaskedWeight() {
        Rng rng = new Rng(SEED);
        Mask mask = TestMasks.blocks(23, 41, 8, 4, Kind.EMPTY_ROWS, rng);
        Tensor w = Tensor.uniform(rng, -1, 1, 23, 41);
        SparseWeight sw = be.prepareSparse(CsrMatrix.pattern(mask), new BlockShape(8, 4));
        Tensor values = Tensor.zeros(sw.nnz());
        be.gatherValues(sw, w, values);
        Tensor back = Tensor.filled(7f, 23, 41);
        be.scatterValues(sw, values, back);
        assertArrayEquals(mask.apply(w).data(), back.data());
    }

    @Test
    void blocksTooSmallForTheKernelsRunAsCsr() {
        Mask mask = TestMasks.blocks(12, 12, 2, 2, Kind.RANDOM, new Rng(SEED));
        SparseWeight sw = be.prepareSparse(CsrMatrix.pattern(mask), new BlockShape(2, 2));
        assertEquals(BlockShape.NONE, sw.blocks());
        assertEquals(mask.keptCount(), sw.nnz());
    }

    @Test
    void aPatternThatIsNotWholeBlocksIsRefused() {
        boolean[] k = new boolean[8 * 8];
        k[0] = true;
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.prepareSparse(CsrMatrix.pattern(Mask.of(8, 8, k)), new BlockShape(4, 4)));
        assertTrue(e.getMessage().contains("keeps 1 of its 16 entries"), e.getMessage());
    }
}
