package org.prune4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prune4j.TestMasks;
import org.prune4j.TestMasks.Kind;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The slot map a 2:4 training weight packs its values through on the GPU: gathering a weight's
 * CSR-ordered values through it (and rounding) must give exactly the layout {@link TwoFourSpmm}
 * packs from the same weight as a {@link TwoFourMatrix} (checked against the PTX fragment
 * reading in {@link HostLayoutsTest}), metadata included, for both kernels.
 */
class TwoFourPackingTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);

    @Test
    void gatheringThroughTheMapGivesTheKernelsPackedWeight() {
        for (int[] s : new int[][] {{1, 4}, {1, 1}, {3, 5}, {17, 9}, {20, 33}, {37, 53}, {130, 70}, {64, 200}}) {
            for (Kind kind : Kind.values()) {
                Mask mask = TestMasks.nm(s[0], s[1], 2, 4, kind, rng);
                Tensor w = mask.apply(Tensor.uniform(rng, -1, 1, s[0], s[1]));
                float[] csrValues = CsrMatrix.fromDense(w, mask).values();
                TwoFourMatrix tf = TwoFourMatrix.fromDense(w, mask);
                String what = s[0] + "x" + s[1] + " " + kind + " seed " + seed;

                TwoFourPacking mma = TwoFourPacking.of(CsrMatrix.pattern(mask), TwoFourKernel.MMA_SP);
                TwoFourSpmm.MmaSpWeight wantMma = TwoFourSpmm.packForMmaSp(tf, HalfFormat.BF16);
                assertEquals(wantMma.rowsPad(), mma.rowsPad(), what);
                assertEquals(wantMma.kPad(), mma.kPad(), what);
                assertArrayEquals(wantMma.values(), gather(mma, csrValues), "mma.sp values " + what);
                assertArrayEquals(wantMma.meta(), mma.meta(), "mma.sp metadata " + what);

                TwoFourPacking wg = TwoFourPacking.of(CsrMatrix.pattern(mask), TwoFourKernel.WGMMA_SP);
                TwoFourSpmm.WgmmaSpWeight wantWg = TwoFourSpmm.packForWgmma(tf, HalfFormat.BF16);
                assertEquals(wantWg.rowsPad(), wg.rowsPad(), what);
                assertEquals(wantWg.kPad(), wg.kPad(), what);
                assertArrayEquals(wantWg.values(), gather(wg, csrValues), "wgmma.sp values " + what);
                assertArrayEquals(wantWg.meta(), wg.wgmmaMeta(), "wgmma.sp metadata " + what);
            }
        }
    }

    @Test
    void everyStoredValueHasExactlyOneSlot() {
        Mask mask = TestMasks.nm(45, 61, 2, 4, Kind.RANDOM, rng);
        CsrMatrix pattern = CsrMatrix.pattern(mask);
        for (TwoFourKernel k : TwoFourKernel.values()) {
            int[] seen = new int[pattern.nnz()];
            for (int src : TwoFourPacking.of(pattern, k).source()) {
                if (src >= 0) {
                    seen[src]++;
                }
            }
            for (int i = 0; i < seen.length; i++) {
                assertEquals(1, seen[i], k + ": stored value " + i + " (seed " + seed + ")");
            }
        }
    }

    @Test
    void aGroupOfThreeIsRefusedByRowAndColumns() {
        boolean[] k = new boolean[2 * 8];
        k[8 + 4] = k[8 + 5] = k[8 + 7] = true;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwoFourPacking.of(CsrMatrix.pattern(Mask.of(2, 8, k)), TwoFourKernel.MMA_SP));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("columns 4..7"), e.getMessage());
    }

    /** What p4j_two_four_pack computes on the device, here on the host. */
    private static short[] gather(TwoFourPacking p, float[] values) {
        int[] src = p.source();
        short[] out = new short[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = src[i] >= 0 ? HalfFormat.bf16(values[src[i]]) : 0;
        }
        return out;
    }
}
