package org.prune4j.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Tensor;

/** Han et al.'s threshold on a hand-worked layer. */
class HanThresholdScopeTest {

    private static Parameter layer(float... w) {
        return new Parameter("w", Parameter.Kind.WEIGHT, Tensor.wrap(w, 2, w.length / 2), w.length / 2, 2);
    }

    private static float[] abs(Parameter p) {
        float[] w = p.value().data(), s = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            s[i] = Math.abs(w[i]);
        }
        return s;
    }

    @Test
    void prunesBelowQualityTimesTheStandardDeviationOfTheLiveWeights() {
        // weights 1, -1, 3, -3, 0.5, -0.5, 2, -2: mean 0, mean square (2 + 18 + 0.5 + 8) / 8 = 3.5625,
        // std 1.8875; quality 0.6 -> threshold 1.1325: |w| of 1, 1, 0.5, 0.5 go
        Parameter p = layer(1, -1, 3, -3, 0.5f, -0.5f, 2, -2);
        Mask m = new HanThresholdScope(0.6).select(List.of(new Scored(p, abs(p), true)), 1).get(p);
        assertArrayEquals(new boolean[] {false, false, true, true, false, false, true, true}, m.toArray());
        // the next round measures the survivors: 3, -3, 2, -2 have std sqrt(6.5) = 2.55, threshold 1.53: all stay
        p.setMask(m);
        Mask again = new HanThresholdScope(0.6).select(List.of(new Scored(p, abs(p), true)), 1).get(p);
        assertArrayEquals(m.toArray(), again.toArray());
        // at quality 1: threshold 2.55 -> only the 3s stay
        Mask harder = new HanThresholdScope(1).select(List.of(new Scored(p, abs(p), true)), 1).get(p);
        assertArrayEquals(new boolean[] {false, false, true, true, false, false, false, false}, harder.toArray());
    }

    @Test
    void aLayerKeepsItsLargestWeightWhateverTheQuality() {
        Parameter p = layer(1, 1, 1, 1, 1, 1, 1, 2);
        Mask m = new HanThresholdScope(100).select(List.of(new Scored(p, abs(p), false)), 1).get(p);
        assertArrayEquals(new boolean[] {false, false, false, false, false, false, false, true}, m.toArray());
    }

    @Test
    void qualityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new HanThresholdScope(0));
    }
}
