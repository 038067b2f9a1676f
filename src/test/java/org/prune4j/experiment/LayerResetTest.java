package org.prune4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.data.Dataset;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.Initialiser;
import org.prune4j.nn.Linear;
import org.prune4j.nn.Model;
import org.prune4j.nn.ModelState;
import org.prune4j.nn.ReLU;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** Layer re-initialisation against a double-precision forward of the mixed network, written out here. */
class LayerResetTest {
    private final long seed = System.nanoTime();
    private final Rng rng = new Rng(seed);
    private final Backend be = new CpuBackend(CpuBackend.bestGemm());

    private Model net(long s) {
        Model m = new Model("tiny", new int[] {1, 2, 3}, List.of(new Flatten(), new Linear("fc1", 6, 5), new ReLU(),
                new Linear("fc2", 5, 3)), Initialiser.GLOROT_NORMAL);
        m.initialise(new Rng(s));
        return m;
    }

    /** Accuracy of ReLU(x W1^T + b1) W2^T + b2 with each layer's parameters taken from the state given. */
    private static double accuracy(Dataset d, ModelState first, ModelState second) {
        float[] w1 = first.values().get("fc1.weight"), b1 = first.values().get("fc1.bias");
        float[] w2 = second.values().get("fc2.weight"), b2 = second.values().get("fc2.bias");
        int[] all = new int[d.size()];
        java.util.Arrays.setAll(all, i -> i);
        float[] x = d.images(all, 0, all.length).data();
        int correct = 0;
        for (int n = 0; n < d.size(); n++) {
            double[] h = new double[5];
            for (int i = 0; i < 5; i++) {
                double s = b1[i];
                for (int j = 0; j < 6; j++) {
                    s += (double) w1[i * 6 + j] * x[n * 6 + j];
                }
                h[i] = Math.max(0, s);
            }
            int best = 0;
            double bestV = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                double s = b2[k];
                for (int i = 0; i < 5; i++) {
                    s += w2[k * 5 + i] * h[i];
                }
                if (s > bestV) {
                    bestV = s;
                    best = k;
                }
            }
            correct += best == d.labels()[n] ? 1 : 0;
        }
        return correct / (double) d.size();
    }

    @Test
    void eachCellIsTheTrainedNetworkWithOneLayerSwapped() {
        int n = 400;
        float[] px = Tensor.uniform(rng, -1, 1, n, 6).data();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            // a rule the network can partly get right, so accuracies differ between states
            y[i] = px[i * 6] + px[i * 6 + 1] > 0.3 ? 0 : px[i * 6 + 2] > 0 ? 1 : 2;
        }
        Dataset test = new Dataset("synthetic", px, y, 1, 2, 3, 3);
        ModelState trained = net(seed).state(), early = net(seed + 1).state(), init = net(seed + 2).state();
        ModelState fresh = net(seed + 3).state();
        Map<Long, ModelState> cps = new TreeMap<>(Map.of(0L, init, 50L, early));
        Model model = net(seed + 4);
        LayerReset r = LayerReset.measure(model, trained, cps, fresh, test, be);
        String tag = " (seed " + seed + ")";
        assertEquals(List.of("fc1", "fc2"), r.layers());
        assertEquals(List.of(0L, 50L), r.checkpoints());
        assertEquals(accuracy(test, trained, trained), r.trained(), 1e-12, "trained" + tag);
        assertEquals(accuracy(test, init, trained), r.reinitialised()[0][0], 1e-12, "fc1 at it 0" + tag);
        assertEquals(accuracy(test, early, trained), r.reinitialised()[0][1], 1e-12, "fc1 at it 50" + tag);
        assertEquals(accuracy(test, trained, init), r.reinitialised()[1][0], 1e-12, "fc2 at it 0" + tag);
        assertEquals(accuracy(test, trained, early), r.reinitialised()[1][1], 1e-12, "fc2 at it 50" + tag);
        assertEquals(accuracy(test, fresh, trained), r.rerandomised()[0], 1e-12, "fc1 random" + tag);
        assertEquals(accuracy(test, trained, fresh), r.rerandomised()[1], 1e-12, "fc2 random" + tag);
        assertEquals(2 * 3, r.rows().size(), "two layers, each at two checkpoints and a random draw");
    }
}
