package org.prune4j.sparse;

import java.util.Arrays;

/**
 * The block structure of a pattern made of whole blocks, as the block training kernels of
 * every backend read it: the block rows (BSR: {@link #blockRowPtr}, {@link #blockColIdx}) for
 * the forward product and the weight gradient, and the block columns ({@link #blockColPtr},
 * each entry naming its block's grid row and its position in block-row order) for the input
 * gradient. Values are stored block by block, row-major inside a block, so block {@code p}
 * holds entries {@code p * br * bc ..}; where an edge block overhangs the matrix its missing
 * entries are padding. Built on the host once per mask; the arrays are not copied, so callers
 * must not write to them.
 */
public final class BlockIndex {
    public final int rows;
    public final int cols;
    public final int br;
    public final int bc;
    public final int gridRows;
    public final int gridCols;
    public final int[] blockRowPtr;
    public final int[] blockColIdx;
    public final int[] blockColPtr;
    /** For each entry of the block-column index: the block's row in the grid. */
    public final int[] colBlockRow;
    /** For each entry of the block-column index: the block's position in block-row order. */
    public final int[] colBlock;

    /** Refuses a pattern that is not made of whole {@code blocks} blocks, naming the first partial one. */
    public BlockIndex(CsrMatrix pattern, BlockShape blocks) {
        rows = pattern.rows();
        cols = pattern.cols();
        br = blocks.rows();
        bc = blocks.cols();
        gridRows = (rows + br - 1) / br;
        gridCols = (cols + bc - 1) / bc;
        int[] rp = pattern.rowPtr(), ci = pattern.colIdx();
        blockRowPtr = new int[gridRows + 1];
        int[] counts = new int[gridCols];
        int[] found = new int[Math.multiplyExact(gridRows, gridCols)];
        int blocksSoFar = 0;
        for (int bi = 0; bi < gridRows; bi++) {
            Arrays.fill(counts, 0);
            int r1 = Math.min(rows, (bi + 1) * br);
            for (int r = bi * br; r < r1; r++) {
                for (int p = rp[r]; p < rp[r + 1]; p++) {
                    counts[ci[p] / bc]++;
                }
            }
            for (int bj = 0; bj < gridCols; bj++) {
                if (counts[bj] == 0) {
                    continue;
                }
                int area = (r1 - bi * br) * (Math.min(cols, (bj + 1) * bc) - bj * bc);
                if (counts[bj] != area) {
                    throw new IllegalArgumentException("the pattern is not made of whole " + blocks + " blocks: block ("
                            + bi + ", " + bj + ") keeps " + counts[bj] + " of its " + area
                            + " entries; prepare it as CSR (BlockShape.NONE)");
                }
                found[blocksSoFar++] = bj;
            }
            blockRowPtr[bi + 1] = blocksSoFar;
        }
        blockColIdx = Arrays.copyOf(found, blocksSoFar);
        blockColPtr = new int[gridCols + 1];
        for (int bj : blockColIdx) {
            blockColPtr[bj + 1]++;
        }
        for (int bj = 0; bj < gridCols; bj++) {
            blockColPtr[bj + 1] += blockColPtr[bj];
        }
        colBlockRow = new int[blocksSoFar];
        colBlock = new int[blocksSoFar];
        int[] next = Arrays.copyOf(blockColPtr, gridCols);
        for (int bi = 0; bi < gridRows; bi++) {
            for (int p = blockRowPtr[bi]; p < blockRowPtr[bi + 1]; p++) {
                int q = next[blockColIdx[p]]++;
                colBlockRow[q] = bi;
                colBlock[q] = p;
            }
        }
    }

    public int blockCount() {
        return blockColIdx.length;
    }

    /** Stored values, padding of edge blocks included. */
    public int storedValues() {
        return Math.multiplyExact(blockCount(), br * bc);
    }

    /** Each block's row in the grid, in block-row order. */
    public int[] blockRows() {
        int[] rowOf = new int[blockCount()];
        for (int bi = 0; bi < gridRows; bi++) {
            Arrays.fill(rowOf, blockRowPtr[bi], blockRowPtr[bi + 1], bi);
        }
        return rowOf;
    }

    /** For each stored value, its row-major index in the dense matrix, or -1 for edge padding. */
    public int[] densePositions() {
        int bs = br * bc;
        int[] pos = new int[storedValues()];
        int[] rowOf = blockRows();
        for (int p = 0; p < blockCount(); p++) {
            for (int i = 0; i < br; i++) {
                for (int k = 0; k < bc; k++) {
                    int r = rowOf[p] * br + i, c = blockColIdx[p] * bc + k;
                    pos[p * bs + i * bc + k] = r < rows && c < cols ? r * cols + c : -1;
                }
            }
        }
        return pos;
    }
}
