package org.prune4j.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.prune4j.TestMasks;
import org.prune4j.TestMasks.Kind;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

class FormatTest {
    private static final long SEED = System.nanoTime();

    private static void assertRoundTrip(Tensor expected, SparseMatrix s) {
        assertArrayEquals(expected.data(), s.toDense().data(), s.format() + " seed " + SEED);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyFormatConvertsBackToTheMaskedDenseExactly(Kind kind) {
        Rng rng = new Rng(SEED + kind.ordinal());
        for (int[] shape : new int[][] {{1, 1}, {37, 53}, {64, 32}, {5, 7}}) {
            int r = shape[0], c = shape[1];
            Tensor w = Tensor.uniform(rng, -1, 1, r, c);
            Mask u = TestMasks.unstructured(r, c, kind, rng);
            assertRoundTrip(u.apply(w), CsrMatrix.fromDense(w, u));
            assertEquals(u.keptCount(), CsrMatrix.fromDense(w, u).nnz());
            for (int[] b : new int[][] {{1, 1}, {4, 4}, {16, 16}, {32, 8}}) {
                assertRoundTrip(u.apply(w), BsrMatrix.fromDense(w, u, b[0], b[1]));
            }
            Mask nm = TestMasks.nm(r, c, 2, 4, kind, rng);
            assertRoundTrip(nm.apply(w), NmMatrix.fromDense(w, nm, 2, 4));
            assertRoundTrip(nm.apply(w), TwoFourMatrix.fromDense(w, nm));
            Mask nm38 = TestMasks.nm(r, c, 3, 8, kind, rng);
            assertRoundTrip(nm38.apply(w), NmMatrix.fromDense(w, nm38, 3, 8));
            Mask ch = TestMasks.channels(r, c, kind, rng);
            assertRoundTrip(ch.apply(w), CompactedMatrix.fromDense(w, ch));
            CsrMatrix csr = CsrMatrix.fromDense(w, u);
            assertArrayEquals(u.apply(w).transpose().data(), csr.transpose().toDense().data());
            BsrMatrix bsr = BsrMatrix.fromDense(w, u, 4, 8);
            assertArrayEquals(u.apply(w).transpose().data(), bsr.transpose().toDense().data());
        }
    }

    @Test
    void bsrPadsEdgeBlocksOfShapesThatDoNotDivide() {
        // 5x7 with 4x4 blocks: a 2x2 grid; the kept entry (4, 6) lives in the padded corner block.
        Tensor w = Tensor.zeros(5, 7);
        w.set(4, 6, 3f);
        w.set(0, 0, 1f);
        BsrMatrix b = BsrMatrix.fromDense(w, Mask.nonZeros(w), 4, 4);
        assertEquals(2, b.gridRows());
        assertEquals(2, b.gridCols());
        assertEquals(2, b.blockCount());
        assertArrayEquals(new int[] {0, 1, 2}, b.blockRowPtr());
        assertArrayEquals(new int[] {0, 1}, b.blockColIdx());
        // Inside block (1,1) the entry (4,6) is at (0,2).
        assertEquals(3f, b.values()[16 + 2]);
        assertRoundTrip(w, b);
    }

    @Test
    void twoFourMetadataMatchesAHandWorkedRow() {
        // Row: [0 5 0 7 | 1 0 0 2 | 4 9 0 0] with 12 columns -> padded to 16.
        Tensor w = Tensor.wrap(new float[] {0, 5, 0, 7, 1, 0, 0, 2, 4, 9, 0, 0}, 1, 12);
        TwoFourMatrix t = TwoFourMatrix.fromDense(w, Mask.nonZeros(w));
        // Group 0 keeps positions 1,3 -> 1 | 3<<2 = 0xD; group 1 keeps 0,3 -> 0xC; group 2 keeps
        // 0,1 -> 0x4; padding group 3 -> 0x4.
        assertEquals(0x44CD, t.metadata()[0] & 0xFFFF);
        assertArrayEquals(new float[] {5, 7, 1, 2, 4, 9, 0, 0}, t.values());
        assertEquals(16, t.paddedCols());
    }

    @Test
    void nmFromScoresKeepsTheTopScoresOfEachGroup() {
        Tensor w = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 1, 10);
        Tensor scores = Tensor.wrap(new float[] {0.1f, 0.9f, 0.5f, 0.2f, 3, 1, 2, 0, 7, 8}, 1, 10);
        NmMatrix nm = NmMatrix.fromScores(w, scores, 2, 4);
        // Groups: {0.1,0.9,0.5,0.2} keep cols 1,2; {3,1,2,0} keep 4,6; last group {7,8} (2 wide) keeps 8,9.
        assertArrayEquals(new float[] {0, 2, 3, 0, 5, 0, 7, 0, 9, 10}, nm.toDense().data());
    }

    @Test
    void invalidConstructionsSayWhatIsWrong() {
        assertMessage("strictly increasing", () -> new CsrMatrix(1, 4, new int[] {0, 2}, new int[] {2, 1},
                new float[] {1, 1}));
        assertMessage("outside [0, 4)", () -> new CsrMatrix(1, 4, new int[] {0, 1}, new int[] {4}, new float[] {1}));
        assertMessage("rows+1", () -> new CsrMatrix(2, 4, new int[] {0, 1}, new int[] {0}, new float[] {1}));
        assertMessage("decreases", () -> new CsrMatrix(2, 4, new int[] {0, 2, 1}, new int[] {0}, new float[] {1}));
        assertMessage("non-finite", () -> new CsrMatrix(1, 1, new int[] {0, 1}, new int[] {0},
                new float[] {Float.NaN}));
        Tensor nan = Tensor.wrap(new float[] {1, Float.NaN}, 1, 2);
        assertMessage("row 0, column 1", () -> CsrMatrix.fromDense(nan, Mask.all(1, 2)));
        assertMessage("not supported", () -> BsrMatrix.fromDense(Tensor.zeros(4, 4), Mask.all(4, 4), 3, 4));
        assertMessage("padding", () -> new BsrMatrix(1, 1, 2, 2, new int[] {0, 1}, new int[] {0},
                new float[] {1, 1, 0, 0}));
        assertMessage("more than the 2 of 2:4", () -> NmMatrix.fromDense(Tensor.filled(1f, 1, 4), Mask.all(1, 4), 2, 4));
        assertMessage("1 <= N <= M <= 8", () -> NmMatrix.fromDense(Tensor.zeros(1, 4), Mask.all(1, 4), 2, 9));
        assertMessage("not ordered", () -> new TwoFourMatrix(1, 4, new float[8], new short[] {0x4441}));
        boolean[] diag = {true, false, false, true};
        assertMessage("not channel-structured", () -> CompactedMatrix.fromDense(Tensor.filled(1f, 2, 2),
                Mask.of(2, 2, diag)));
        assertMessage("sparsity must be in [0, 1]", () -> Mask.topScores(Tensor.zeros(2, 2), 1.5));
        assertMessage("mask is 2x3 but the matrix is 2x2", () -> CsrMatrix.fromDense(Tensor.zeros(2, 2), Mask.all(2, 3)));
    }

    @Test
    void topScoresKeepsTheRequestedFraction() {
        Tensor s = Tensor.wrap(new float[] {5, 1, 4, 2, 3, 6}, 2, 3);
        Mask m = Mask.topScores(s, 0.5);
        assertEquals(3, m.keptCount());
        assertTrue(m.kept(0, 0) && m.kept(0, 2) && m.kept(1, 2));
        assertEquals(0, Mask.topScores(s, 1.0).keptCount());
        assertEquals(6, Mask.topScores(s, 0.0).keptCount());
        // Negative scores order below zero; equal scores keep the earlier position.
        Tensor t = Tensor.wrap(new float[] {-3, 2, -0f, 2, 0, -1}, 1, 6);
        Mask half = Mask.topScores(t, 0.5);
        assertTrue(half.kept(0, 1) && half.kept(0, 3) && half.kept(0, 2) && !half.kept(0, 4), "ties by position");
        Mask most = Mask.topScores(t, 1.0 / 6);
        assertTrue(!most.kept(0, 0) && most.kept(0, 5), "-3 is the lowest score");
    }

    static void assertMessage(String fragment, Runnable r) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}
