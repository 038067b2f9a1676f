package org.prune4j.backend.cpu;

import java.util.Arrays;
import org.prune4j.backend.SparseWeight;
import org.prune4j.sparse.BlockIndex;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.CsrMatrix;

/**
 * A pattern of whole blocks for training on the CPU, indexed as {@link BlockIndex} describes:
 * the block rows (BSR) for the forward product and the weight gradient, and the block columns,
 * each block named by its index in the block-row order, for the input gradient. Values are stored block by block, row-major inside
 * a block, so block {@code p} holds entries {@code p * br * bc ..}; where an edge block
 * overhangs the matrix its missing entries are padding that the kernels keep at zero (their
 * gradient is written as zero, so no optimiser moves them). Built once per mask, with scratch
 * for packed activations reused every step; one step at a time per weight.
 */
final class CpuBlockWeight implements SparseWeight {
    final int rows;
    final int cols;
    final int br;
    final int bc;
    final int gridRows;
    final int gridCols;
    final int[] blockRowPtr;
    final int[] blockColIdx;
    final int[] blockColPtr;
    /** For each entry of the block-column index: the block's row in the grid. */
    final int[] colBlockRow;
    /** For each entry of the block-column index: the block's position in block-row order. */
    final int[] colBlock;
    float[] packX = new float[0];
    float[] packDy = new float[0];
    float[] packOut = new float[0];

    /** Whether the block kernels run this shape: their register tiles are four rows by four columns. */
    static boolean runs(BlockShape blocks) {
        return blocks.rows() >= 4 && blocks.cols() >= 4;
    }

    CpuBlockWeight(CsrMatrix pattern, BlockShape blocks) {
        BlockIndex ix = new BlockIndex(pattern, blocks);
        rows = ix.rows;
        cols = ix.cols;
        br = ix.br;
        bc = ix.bc;
        gridRows = ix.gridRows;
        gridCols = ix.gridCols;
        blockRowPtr = ix.blockRowPtr;
        blockColIdx = ix.blockColIdx;
        blockColPtr = ix.blockColPtr;
        colBlockRow = ix.colBlockRow;
        colBlock = ix.colBlock;
    }

    int blockCount() {
        return blockColIdx.length;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** Stored values, padding of edge blocks included. */
    @Override
    public int nnz() {
        return Math.multiplyExact(blockCount(), br * bc);
    }

    @Override
    public BlockShape blocks() {
        return new BlockShape(br, bc);
    }

    @Override
    public String backend() {
        return "cpu";
    }

    static float[] grow(float[] a, long size) {
        return a.length < size ? new float[Math.toIntExact(size)] : a;
    }

    /** {@code values} from the dense {@code rows x cols} matrix; padding entries zero. */
    void gather(float[] dense, float[] values) {
        int bs = br * bc;
        for (int bi = 0; bi < gridRows; bi++) {
            for (int p = blockRowPtr[bi]; p < blockRowPtr[bi + 1]; p++) {
                int c0 = blockColIdx[p] * bc;
                Arrays.fill(values, p * bs, (p + 1) * bs, 0f);
                int nr = Math.min(br, rows - bi * br), nc = Math.min(bc, cols - c0);
                for (int i = 0; i < nr; i++) {
                    System.arraycopy(dense, (bi * br + i) * cols + c0, values, p * bs + i * bc, nc);
                }
            }
        }
    }

    /** The dense matrix holding {@code values} at the pattern and zero elsewhere. */
    void scatter(float[] values, float[] dense) {
        Arrays.fill(dense, 0f);
        int bs = br * bc;
        for (int bi = 0; bi < gridRows; bi++) {
            for (int p = blockRowPtr[bi]; p < blockRowPtr[bi + 1]; p++) {
                int c0 = blockColIdx[p] * bc;
                int nr = Math.min(br, rows - bi * br), nc = Math.min(bc, cols - c0);
                for (int i = 0; i < nr; i++) {
                    System.arraycopy(values, p * bs + i * bc, dense, (bi * br + i) * cols + c0, nc);
                }
            }
        }
    }
}
