package org.prune4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.prune4j.TestMasks;
import org.prune4j.TestMasks.Kind;
import org.prune4j.tensor.Rng;

class BlockShapeTest {
    private static final long SEED = System.nanoTime();

    /** A mask that is whole blocks of exactly r x c: block (0, 0) kept, its right and lower neighbours pruned. */
    private static Mask exactly(int rows, int cols, int r, int c) {
        boolean[] k = new boolean[rows * cols];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                k[i * cols + j] = true;
            }
        }
        return Mask.of(rows, cols, k);
    }

    @Test
    void findsTheBlocksAMaskIsMadeOf() {
        assertEquals(new BlockShape(4, 8), BlockShape.of(exactly(10, 20, 4, 8)));
        assertEquals(new BlockShape(2, 1), BlockShape.of(exactly(10, 20, 2, 1)));
        assertEquals(new BlockShape(1, 16), BlockShape.of(exactly(9, 40, 1, 16)));
        // Kept and pruned in alternate 3-row bands: no power-of-two grid of rows fits, columns are whole.
        boolean[] k = new boolean[12 * 5];
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 5; j++) {
                k[i * 5 + j] = (i / 3) % 2 == 0;
            }
        }
        assertEquals(new BlockShape(1, 16), BlockShape.of(Mask.of(12, 5, k)));
    }

    @Test
    void uniformMasksAreWholeBlocksOfTheLargestSide() {
        assertEquals(new BlockShape(16, 16), BlockShape.of(Mask.all(37, 53)));
        assertEquals(new BlockShape(16, 16), BlockShape.of(Mask.none(5, 3)));
        assertEquals(new BlockShape(16, 16), BlockShape.of(Mask.all(1, 1)));
    }

    @Test
    void randomBlockMasksAreFoundAgainAndKeepTheAskedShare() {
        Rng rng = new Rng(SEED);
        Mask m = TestMasks.blocks(64, 96, 8, 4, Kind.DENSE, rng);
        assertEquals(new BlockShape(16, 16), BlockShape.of(m));
        Mask r = new BlockShape(8, 4).randomMask(64, 96, 0.25, rng);
        BlockShape found = BlockShape.of(r);
        assertEquals(0, found.rows() % 8, "rows " + found + " seed " + SEED);
        assertEquals(0, found.cols() % 4, "cols " + found + " seed " + SEED);
        assertEquals(0.25, r.density(), 1e-12, "8 x 24 = 192 blocks, 48 kept");
    }

    @Test
    void sidesMustBePowersOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new BlockShape(3, 4));
        assertThrows(IllegalArgumentException.class, () -> new BlockShape(4, 64));
    }
}
