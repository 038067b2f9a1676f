package org.prune4j.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The block index and the dense positions the GPU gathers through, on a hand-worked pattern. */
class BlockIndexTest {

    @Test
    void positionsFollowTheBlocksRowMajorWithPaddingMarked() {
        // 5 x 6 with 4 x 4 blocks: a 2 x 2 grid; keep block (0, 1) (rows 0-3, cols 4-5) and
        // block (1, 0) (row 4, cols 0-3), both cut by the matrix's edge
        boolean[] keep = new boolean[30];
        for (int r = 0; r < 4; r++) {
            keep[r * 6 + 4] = true;
            keep[r * 6 + 5] = true;
        }
        for (int c = 0; c < 4; c++) {
            keep[4 * 6 + c] = true;
        }
        BlockIndex ix = new BlockIndex(CsrMatrix.pattern(Mask.of(5, 6, keep)), new BlockShape(4, 4));
        assertEquals(2, ix.blockCount());
        assertArrayEquals(new int[] {0, 1, 2}, ix.blockRowPtr);
        assertArrayEquals(new int[] {1, 0}, ix.blockColIdx);
        assertArrayEquals(new int[] {0, 1}, ix.blockRows());
        assertArrayEquals(new int[] {0, 1, 2}, ix.blockColPtr);
        assertArrayEquals(new int[] {1, 0}, ix.colBlockRow);
        assertArrayEquals(new int[] {1, 0}, ix.colBlock);
        int[] want = {
            4, 5, -1, -1, 10, 11, -1, -1, 16, 17, -1, -1, 22, 23, -1, -1,
            24, 25, 26, 27, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
        assertArrayEquals(want, ix.densePositions());
        assertEquals(32, ix.storedValues());
    }
}
