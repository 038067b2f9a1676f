package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Random crop with padding and horizontal flip against the definition: each augmented image
 * must be one of the (2p + 1)^2 x 2 crops of the black-padded image, optionally mirrored, built
 * here naively; over many draws every offset and both flips occur.
 */
class AugmentationTest {
    private final long seed = System.nanoTime();
    private final float[] black = {-1.5f, -2f, -0.5f};

    /** The crop at (dy, dx) of {@code img} (C x H x W) padded with black, mirrored when asked, built pixel by pixel. */
    private float[] crop(float[] img, int c, int h, int w, int p, int dy, int dx, boolean mirror) {
        float[][][] padded = new float[c][h + 2 * p][w + 2 * p];
        for (int ch = 0; ch < c; ch++) {
            for (float[] row : padded[ch]) {
                java.util.Arrays.fill(row, black[ch]);
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    padded[ch][y + p][x + p] = img[(ch * h + y) * w + x];
                }
            }
        }
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = padded[ch][y + p + dy][x + p + dx];
                    out[(ch * h + y) * w + (mirror ? w - 1 - x : x)] = v;
                }
            }
        }
        return out;
    }

    @Test
    void everyImageIsACropOfThePaddedImageAndEveryCropOccurs() {
        int n = 600, c = 3, h = 7, w = 6, p = 4;
        Tensor batch = Tensor.uniform(new Rng(seed), 0, 1, n, c, h, w);
        float[] before = batch.data().clone();
        Augmentation a = Augmentation.none(black).named("crop-flip");
        assertEquals(4, a.padding());
        a.apply(batch, new Rng(seed).split(9));
        Set<String> drawn = new HashSet<>();
        int f = c * h * w;
        for (int i = 0; i < n; i++) {
            float[] img = java.util.Arrays.copyOfRange(before, i * f, (i + 1) * f);
            float[] got = java.util.Arrays.copyOfRange(batch.data(), i * f, (i + 1) * f);
            String match = null;
            for (int dy = -p; dy <= p && match == null; dy++) {
                for (int dx = -p; dx <= p && match == null; dx++) {
                    for (boolean m : new boolean[] {false, true}) {
                        if (java.util.Arrays.equals(got, crop(img, c, h, w, p, dy, dx, m))) {
                            match = dy + "," + dx + "," + m;
                            break;
                        }
                    }
                }
            }
            assertTrue(match != null, "image " + i + " is no crop of its padded image (seed " + seed + ")");
            drawn.add(match);
        }
        // 162 outcomes, 600 draws: each is missed with probability (161/162)^600 ~ 2.5%; ask for most
        assertTrue(drawn.size() > 140, "only " + drawn.size() + " of 162 crops drawn (seed " + seed + ")");
        assertTrue(drawn.stream().anyMatch(s -> s.endsWith("true")) && drawn.stream().anyMatch(s -> s.endsWith("false")));
    }

    @Test
    void theSameStreamGivesTheSameBatchAndNoneChangesNothing() {
        Tensor x = Tensor.uniform(new Rng(seed), 0, 1, 5, 3, 8, 8);
        Tensor y = Tensor.wrap(x.data().clone(), x.shape());
        Augmentation a = Augmentation.none(black).named("crop-flip");
        a.apply(x, new Rng(3).split(17));
        a.apply(y, new Rng(3).split(17));
        assertArrayEquals(x.data(), y.data());
        float[] kept = x.data().clone();
        Augmentation.none(black).apply(x, new Rng(1));
        assertArrayEquals(kept, x.data());
        String m = assertThrows(IllegalArgumentException.class, () -> Augmentation.none(black).named("mixup"))
                .getMessage();
        assertTrue(m.contains("crop-flip"), m);
        m = assertThrows(IllegalArgumentException.class, () -> a.apply(Tensor.zeros(1, 1, 4, 4), new Rng(1)))
                .getMessage();
        assertTrue(m.contains("3-channel"), m);
    }
}
