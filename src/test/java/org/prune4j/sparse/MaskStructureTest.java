package org.prune4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prune4j.TestMasks;
import org.prune4j.TestMasks.Kind;
import org.prune4j.tensor.Rng;

class MaskStructureTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);

    /** A mask from rows of '1' (kept) and '.' (pruned). */
    private static Mask mask(String... rows) {
        boolean[] k = new boolean[rows.length * rows[0].length()];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length(); c++) {
                k[r * rows[r].length() + c] = rows[r].charAt(c) == '1';
            }
        }
        return Mask.of(rows.length, rows[0].length(), k);
    }

    @Test
    void exactTwoFourByHand() {
        assertTrue(MaskStructure.of(mask("11..1..1", ".11.1.1.")).twoFour());
        // short last groups keep min(2, length): 9 columns end in a group of one, 10 in two, 11 in three
        assertTrue(MaskStructure.of(mask("1.1..11.1")).twoFour());
        assertTrue(MaskStructure.of(mask("1.1..11.11")).twoFour());
        assertTrue(MaskStructure.of(mask("1.1..11.1.1")).twoFour());
        assertFalse(MaskStructure.of(mask("1.1..11.1..")).twoFour(), "a last group of three keeping one");
        assertFalse(MaskStructure.of(mask("111..1..")).twoFour(), "three in a group, even with the right total");
        assertFalse(MaskStructure.of(mask("1...1...")).twoFour(), "1:4 fits the kernels but is not 2:4");
        assertFalse(MaskStructure.of(mask("11..11..", "........")).twoFour(), "an empty row");
        assertFalse(MaskStructure.of(mask("1111")).twoFour(), "dense");
        assertFalse(MaskStructure.of(mask("11", "11")).twoFour(), "fewer than four inputs: no group to exploit");
        assertFalse(MaskStructure.of(mask("1")).twoFour());
    }

    @Test
    void nmTwoFourMasksAreTwoFourAndOthersAreNot() {
        for (int[] s : new int[][] {{1, 4}, {3, 5}, {17, 9}, {20, 33}, {64, 100}}) {
            assertTrue(MaskStructure.of(TestMasks.nm(s[0], s[1], 2, 4, Kind.DENSE, rng)).twoFour(), s[0] + "x" + s[1]);
            assertFalse(MaskStructure.of(TestMasks.nm(s[0], s[1], 1, 4, Kind.DENSE, rng)).twoFour());
            assertFalse(MaskStructure.of(TestMasks.nm(s[0], s[1], 2, 4, Kind.ALL_ZERO, rng)).twoFour());
        }
    }

    @Test
    void randomTwoFourMasksAreTwoFourAtEveryWidth() {
        for (int cols = 4; cols <= 13; cols++) {
            Mask m = MaskStructure.TWO_FOUR.randomMask(7, cols, 0.5, rng);
            assertTrue(MaskStructure.of(m).twoFour(), cols + " columns (seed " + seed + ")");
            assertEquals(7 * (2 * (cols / 4) + Math.min(2, cols % 4)), m.keptCount());
        }
    }

    @Test
    void blocksAreFoundAsBeforeAndNamesRoundTrip() {
        Mask b = TestMasks.blocks(32, 48, 8, 16, Kind.RANDOM, rng);
        MaskStructure s = MaskStructure.of(b);
        assertFalse(s.twoFour());
        assertEquals(BlockShape.of(b), s.blocks());
        for (MaskStructure m : new MaskStructure[] {MaskStructure.TWO_FOUR, MaskStructure.NONE,
            MaskStructure.blocks(new BlockShape(4, 32))}) {
            assertEquals(m, MaskStructure.parse(m.toString()));
        }
        assertThrows(IllegalArgumentException.class, () -> new MaskStructure(new BlockShape(4, 4), true));
        assertThrows(IllegalArgumentException.class, () -> MaskStructure.parse("2:8"));
    }
}
