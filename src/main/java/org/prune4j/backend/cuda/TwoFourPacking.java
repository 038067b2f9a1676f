package org.prune4j.backend.cuda;

import java.util.Arrays;
import org.prune4j.sparse.CsrMatrix;

/**
 * Where each value of a 2:4 pattern goes in a tensor-core kernel's packed weight, for training:
 * the pattern is fixed while the values change every step, so the metadata and a map from each
 * packed slot to the stored value it takes (or -1 for zero) are built once per mask, and each
 * forward product only gathers and rounds the current values through the map on the device.
 * The layout is exactly {@link TwoFourSpmm}'s packing of the same weight as a
 * {@code TwoFourMatrix}, which the tests check.
 *
 * @param rowsPad rows padded for the kernel
 * @param kPad    logical columns padded for the kernel
 * @param source  for each packed 16-bit value, the index of the stored (CSR-ordered) value it
 *                holds, or -1
 * @param meta    the metadata as 16-bit words, row-major (mma.sp reads them so; wgmma.sp's
 *                fragment words are made from them on upload)
 */
record TwoFourPacking(TwoFourKernel kernel, int rowsPad, int kPad, int[] source, short[] meta) {

    /**
     * The packing of {@code pattern} (at most two entries in every group of four columns) for
     * {@code kernel}. A group with fewer entries fills its spare slots with the lowest unused
     * positions, zero-valued, as {@code NmMatrix} does, so the metadata stays ordered.
     */
    static TwoFourPacking of(CsrMatrix pattern, TwoFourKernel kernel) {
        int rows = pattern.rows(), cols = pattern.cols();
        int rowsPad = kernel.padRows(rows), kPad = kernel.padK(CudaBackend.ceil(cols, 16) * 16);
        int cw = kPad / 2, words = kPad / 16;
        int[] source = new int[Math.multiplyExact(rowsPad, cw)];
        Arrays.fill(source, -1);
        short[] meta = new short[rowsPad * words];
        Arrays.fill(meta, (short) 0x4444);
        int[] ptr = pattern.rowPtr(), idx = pattern.colIdx();
        int[] at = new int[4];
        boolean[] take = new boolean[4];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(meta, r * words, (r + 1) * words, (short) 0);
            int p = ptr[r];
            for (int g = 0; g < kPad / 4; g++) {
                Arrays.fill(at, -1);
                int count = 0;
                for (; p < ptr[r + 1] && idx[p] / 4 == g; p++) {
                    if (++count > 2) {
                        throw new IllegalArgumentException("row " + r + " keeps more than 2 of columns " + 4 * g + ".."
                                + (4 * g + 3) + ", so it is not a 2:4 pattern");
                    }
                    at[idx[p] % 4] = p;
                }
                for (int q = 0; q < 4; q++) {
                    take[q] = at[q] >= 0;
                }
                for (int q = 0; q < 4 && count < 2; q++) {
                    if (!take[q]) {
                        take[q] = true;
                        count++;
                    }
                }
                int nibble = 0;
                for (int q = 0, slot = 0; q < 4; q++) {
                    if (take[q]) {
                        source[r * cw + 2 * g + slot] = at[q];
                        nibble |= q << (2 * slot);
                        slot++;
                    }
                }
                meta[r * words + g / 4] |= (short) (nibble << (4 * (g % 4)));
            }
        }
        if (kernel == TwoFourKernel.MMA_SP) {
            return new TwoFourPacking(kernel, rowsPad, kPad, source, meta);
        }
        int[] order = TwoFourSpmm.wgmmaOrder(rowsPad, kPad);
        int[] reordered = new int[order.length];
        for (int o = 0; o < order.length; o++) {
            reordered[o] = source[order[o]];
        }
        return new TwoFourPacking(kernel, rowsPad, kPad, reordered, meta);
    }

    /** wgmma.sp's fragment metadata words, made from the row-major ones. */
    int[] wgmmaMeta() {
        return TwoFourSpmm.wgmmaMeta(meta, rowsPad, kPad);
    }

    /** The metadata on the device, in the kernel's layout. */
    DeviceBuffer uploadMeta(CudaDevice device) {
        return kernel == TwoFourKernel.WGMMA_SP ? device.upload(wgmmaMeta()) : device.upload(meta);
    }
}
