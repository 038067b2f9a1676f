package org.prune4j.backend.cuda;

import org.prune4j.backend.SparseWeight;
import org.prune4j.sparse.BlockIndex;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.CsrMatrix;

/**
 * A pattern of whole blocks on the GPU for training, indexed as {@link BlockIndex} describes
 * (the same block order as the CPU's, so values and gradients compare entry by entry): the
 * block rows for the forward product, each block's grid row for the weight gradient, the block
 * columns for the input gradient, and each stored value's dense position (-1 for the padding
 * of edge blocks) for gathering and scattering. Built once per mask, with the scratch the
 * products transpose batch-major activations into.
 */
final class CudaBlockWeight implements SparseWeight {
    final BlockIndex index;
    final int nnz;
    private final String backend;
    final DeviceBuffer blockRowPtr;
    final DeviceBuffer blockColIdx;
    final DeviceBuffer blockRows;
    final DeviceBuffer blockColPtr;
    final DeviceBuffer colBlockRow;
    final DeviceBuffer colBlock;
    final DeviceBuffer pos;
    private final DeviceScratch scratch;

    /** Whether the block kernels run this shape: as on the CPU, both sides 4 or more (and at most 32, one tile). */
    static boolean runs(BlockShape blocks) {
        return blocks.rows() >= 4 && blocks.cols() >= 4 && blocks.rows() <= 32 && blocks.cols() <= 32;
    }

    CudaBlockWeight(CudaDevice device, CsrMatrix pattern, BlockShape blocks, String backend) {
        this.backend = backend;
        index = new BlockIndex(pattern, blocks);
        nnz = index.storedValues();
        scratch = new DeviceScratch(device, 3);
        DeviceBuffer[] b = CudaBackend.uploadAll(device, index.blockRowPtr, index.blockColIdx, index.blockRows(),
                index.blockColPtr, index.colBlockRow, index.colBlock, index.densePositions());
        blockRowPtr = b[0];
        blockColIdx = b[1];
        blockRows = b[2];
        blockColPtr = b[3];
        colBlockRow = b[4];
        colBlock = b[5];
        pos = b[6];
    }

    DeviceBuffer scratch(int slot, long floats) {
        return scratch.get(slot, floats);
    }

    @Override
    public int rows() {
        return index.rows;
    }

    @Override
    public int cols() {
        return index.cols;
    }

    /** Stored values, padding of edge blocks included. */
    @Override
    public int nnz() {
        return nnz;
    }

    @Override
    public BlockShape blocks() {
        return new BlockShape(index.br, index.bc);
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public void close() {
        CudaBackend.closeAll(new DeviceBuffer[] {blockRowPtr, blockColIdx, blockRows, blockColPtr, colBlockRow, colBlock,
            pos});
        scratch.close();
    }
}
