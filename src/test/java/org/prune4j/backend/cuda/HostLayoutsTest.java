package org.prune4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prune4j.TestMasks;
import org.prune4j.TestMasks.Kind;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The host-side layouts the GPU paths upload, checked without a GPU by decoding them back with
 * an independent reading of the format and comparing with the weight they came from.
 */
class HostLayoutsTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);

    @Test
    void paddedTwoFourDecodesToTheWeight() {
        for (int[] s : new int[][] {{1, 1}, {37, 53}, {16, 32}, {129, 70}, {5, 200}}) {
            for (Kind kind : Kind.values()) {
                Tensor w = Tensor.uniform(rng, -1, 1, s[0], s[1]);
                TwoFourMatrix tf = TwoFourMatrix.fromDense(w, TestMasks.nm(s[0], s[1], 2, 4, kind, rng));
                TwoFourSpmm.MmaSpWeight p = TwoFourSpmm.packForMmaSp(tf, HalfFormat.BF16);
                assertEquals(0, p.rowsPad() % 16);
                assertEquals(0, p.kPad() % 32);
                Tensor want = tf.toDense();
                for (int i = 0; i < p.rowsPad(); i++) {
                    for (int g = 0; g < p.kPad() / 4; g++) {
                        int nib = (p.meta()[i * p.kPad() / 16 + g / 4] >> (4 * (g % 4))) & 0xf;
                        int p0 = nib & 3, p1 = nib >> 2;
                        assert p0 < p1 : "ordered metadata";
                        for (int slot = 0; slot < 2; slot++) {
                            int col = 4 * g + (slot == 0 ? p0 : p1);
                            float got = HalfFormat.BF16.decode(p.values()[i * p.kPad() / 2 + 2 * g + slot]);
                            float expected = i < s[0] && col < s[1] ? HalfFormat.BF16.round(want.get(i, col)) : 0f;
                            assertEquals(expected, got, 0f, "row " + i + " group " + g + " seed " + seed);
                        }
                        if (i >= s[0] || 4 * g >= tf.paddedCols()) {
                            assertEquals(0x4, nib, "padding groups keep positions 0 and 1");
                        }
                    }
                }
            }
        }
    }

    /**
     * Reads the wgmma.sp fragment order back the way the PTX ISA describes the hardware reading
     * it (per warp the m16n8k32 A fragment and metadata layout, warp w on rows 16w..16w+15) and
     * rebuilds the dense weight from it.
     */
    @Test
    void wgmmaFragmentOrderDecodesToTheWeight() {
        for (int[] s : new int[][] {{1, 1}, {37, 53}, {64, 64}, {129, 70}, {200, 300}}) {
            for (Kind kind : Kind.values()) {
                Tensor w = Tensor.uniform(rng, -1, 1, s[0], s[1]);
                TwoFourMatrix tf = TwoFourMatrix.fromDense(w, TestMasks.nm(s[0], s[1], 2, 4, kind, rng));
                TwoFourSpmm.WgmmaSpWeight p = TwoFourSpmm.packForWgmma(tf, HalfFormat.FP16);
                assertEquals(0, p.rowsPad() % 128);
                assertEquals(0, p.kPad() % 64);
                int steps = p.kPad() / 32;
                float[] dense = new float[p.rowsPad() * p.kPad()];
                int[] writes = new int[dense.length];
                for (int tile = 0; tile < p.rowsPad() / 64; tile++) {
                    for (int step = 0; step < steps; step++) {
                        int base = (tile * steps + step) * 128;
                        for (int l = 0; l < 128; l++) {
                            int warp = l / 32, lane = l % 32, g = lane / 4, t = lane % 4;
                            for (int reg = 0; reg < 4; reg++) {
                                int row = tile * 64 + 16 * warp + g + (reg % 2 == 1 ? 8 : 0);
                                for (int half = 0; half < 2; half++) {
                                    int cc = 2 * t + (reg >= 2 ? 8 : 0) + half;  // compressed column in the step
                                    int group = cc / 2, slot = cc % 2;
                                    // K half group/4 comes from lane 4g + group/4 of the same warp
                                    int e = p.meta()[base + 32 * warp + 4 * g + group / 4];
                                    int word = (row % 16 >= 8 ? e >>> 16 : e) & 0xffff;
                                    int nib = (word >> (4 * (group % 4))) & 0xf;
                                    int pos = slot == 0 ? nib & 3 : nib >> 2;
                                    assertTrue((nib & 3) < (nib >> 2), "ordered metadata at row " + row);
                                    int col = step * 32 + 4 * group + pos;
                                    float v = HalfFormat.FP16.decode(p.values()[8 * (base + l) + 2 * reg + half]);
                                    dense[row * p.kPad() + col] = v;
                                    writes[row * p.kPad() + col]++;
                                }
                            }
                            if (t >= 2) {
                                assertEquals(0, p.meta()[base + l], "selector 0 leaves lanes 4g+2, 4g+3 unused");
                            }
                        }
                    }
                }
                Tensor want = tf.toDense();
                for (int i = 0; i < p.rowsPad(); i++) {
                    for (int c = 0; c < p.kPad(); c++) {
                        float expected = i < s[0] && c < s[1] ? HalfFormat.FP16.round(want.get(i, c)) : 0f;
                        assertEquals(expected, dense[i * p.kPad() + c], 0f, "row " + i + " col " + c + " seed " + seed);
                        assertTrue(writes[i * p.kPad() + c] <= 1, "one slot per logical position");
                    }
                }
            }
        }
    }

    @Test
    void blockedEllHoldsTheSameMatrixAsBsr() {
        for (int bs : new int[] {4, 16}) {
            for (Kind kind : Kind.values()) {
                int rows = 4 * bs, cols = 6 * bs;
                Tensor w = Tensor.uniform(rng, -1, 1, rows, cols);
                BsrMatrix b = BsrMatrix.fromDense(w, TestMasks.unstructured(rows, cols, kind, rng), bs, bs);
                CusparseSpmm.BlockedEll e = CusparseSpmm.BlockedEll.of(b);
                float[] dense = new float[rows * cols];
                int width = e.ellCols() / bs;
                for (int bi = 0; bi < rows / bs; bi++) {
                    for (int s = 0; s < width; s++) {
                        int bc = e.colInd()[bi * width + s];
                        for (int r = 0; r < bs; r++) {
                            for (int c = 0; c < bs; c++) {
                                float v = e.values()[(bi * bs + r) * e.ellCols() + s * bs + c];
                                if (bc < 0) {
                                    assertEquals(0f, v, 0f, "empty slots hold zeros");
                                } else {
                                    dense[(bi * bs + r) * cols + bc * bs + c] += v;
                                }
                            }
                        }
                    }
                }
                float[] want = b.toDense().data();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], dense[i], 0f, "entry " + i + " " + kind + " seed " + seed);
                }
            }
        }
    }

    @Test
    void paddingRoundTripsAndFillsWithZeros() {
        Tensor x = Tensor.uniform(rng, -1, 1, 5, 7);
        float[] p = HostPadding.pad(x, 8, 16);
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 16; c++) {
                assertEquals(r < 5 && c < 7 ? x.get(r, c) : 0f, p[r * 16 + c], 0f);
            }
        }
        float[] back = new float[5 * 7];
        HostPadding.crop(p, 16, back, 7);
        org.junit.jupiter.api.Assertions.assertArrayEquals(x.data(), back);
        short[] enc = HalfFormat.BF16.encode(p);
        HostPadding.crop(enc, 16, back, 7);
        for (int i = 0; i < back.length; i++) {
            assertEquals(HalfFormat.BF16.round(x.data()[i]), back[i], 0f);
        }
    }
}
