package org.prune4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which 2:4 kernel runs where, and the padding each needs; no GPU involved. */
class TwoFourKernelTest {

    @Test
    void wgmmaRunsOnlyOnHopperAndSaysWhatToUseElsewhere() {
        assertTrue(TwoFourKernel.WGMMA_SP.whyUnsupportedOn(9, 0).isEmpty());
        for (int[] cc : new int[][] {{8, 0}, {8, 9}, {10, 0}, {12, 0}}) {
            String why = TwoFourKernel.WGMMA_SP.whyUnsupportedOn(cc[0], cc[1]).orElseThrow();
            assertTrue(why.contains("9.0") && why.contains(cc[0] + "." + cc[1]) && why.contains("MMA_SP"), why);
        }
        assertTrue(TwoFourKernel.MMA_SP.whyUnsupportedOn(8, 0).isEmpty());
        assertTrue(TwoFourKernel.MMA_SP.whyUnsupportedOn(9, 0).isEmpty());
        assertTrue(TwoFourKernel.MMA_SP.whyUnsupportedOn(7, 5).orElseThrow().contains("8.0"));
    }

    @Test
    void defaultTakesWgmmaOnHopperOnceATileIsFull() {
        assertEquals(TwoFourKernel.WGMMA_SP, TwoFourKernel.defaultFor(90, 128));
        assertEquals(TwoFourKernel.WGMMA_SP, TwoFourKernel.defaultFor(90, 4096));
        assertEquals(TwoFourKernel.MMA_SP, TwoFourKernel.defaultFor(90, 127));
        assertEquals(TwoFourKernel.MMA_SP, TwoFourKernel.defaultFor(80, 4096));
        assertEquals(TwoFourKernel.MMA_SP, TwoFourKernel.defaultFor(100, 4096));
    }

    @Test
    void paddingMatchesEachKernelsTile() {
        // mma.sp: 16 rows x 32 columns per warp tile, K steps of 32
        assertEquals(16, TwoFourKernel.MMA_SP.padRows(1));
        assertEquals(48, TwoFourKernel.MMA_SP.padRows(37));
        assertEquals(32, TwoFourKernel.MMA_SP.padN(1));
        assertEquals(64, TwoFourKernel.MMA_SP.padK(33));
        // wgmma.sp: two 64-row warpgroups x 128 columns, stages of 64 K
        assertEquals(128, TwoFourKernel.WGMMA_SP.padRows(1));
        assertEquals(256, TwoFourKernel.WGMMA_SP.padRows(129));
        assertEquals(128, TwoFourKernel.WGMMA_SP.padN(1));
        assertEquals(256, TwoFourKernel.WGMMA_SP.padN(129));
        assertEquals(64, TwoFourKernel.WGMMA_SP.padK(16));
        assertEquals(128, TwoFourKernel.WGMMA_SP.padK(80));
    }
}
