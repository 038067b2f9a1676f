package org.prune4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.backend.Boosting;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/**
 * The networks of Ahmad and Scheinkman 2019, "How can we be so dense? The benefits of using
 * highly sparse representations", with the settings of the authors' MNIST experiments, and
 * their dense counterparts:
 * <ul>
 * <li>{@code kwta-cnn}, their Sparse CNN-2: 5x5 convolutions of 32 and 64 filters, each
 * max-pooled and then k-winners over the whole C x H x W volume (8.7% and 29.3% of it win),
 * then 700 k-winners units (100 win) fed through 30% of the weights, then the output layer;
 * <li>{@code dense-cnn}, their Dense CNN-2: 30 and 30 filters and 1000 units, ReLU, all weights;
 * <li>{@code kwta-mlp}: one hidden layer of 1000 k-winners units, 100 winning, fed through 30% of
 * the weights, for fully connected comparisons (the paper's hidden layers keep 10-33%);
 * <li>{@code dense-mlp}: the same shape with ReLU and all weights.
 * </ul>
 * As in the paper the sparse weights are a random mask fixed at creation: every unit of a sparse
 * layer keeps the same number of inputs (30%), chosen at random; the convolutions and the output
 * layer stay dense. The mask is the layer's ordinary {@link Mask}, so the optimisers keep the
 * pruned weights at zero and the layer can train on the sparse kernels. Boosting follows their
 * code: strength 1.5 decaying by 0.85 every 60,000 training examples (an MNIST epoch), duty
 * cycles over 1000 examples, and 1.5 times k winners at evaluation, boosted.
 */
final class SparseNetworks {
    /** The share of a sparse layer's weights each unit keeps. */
    static final double WEIGHT_DENSITY = 0.3;
    static final Boosting BOOST = new Boosting(1.5, 0.85, 60_000, 1000);
    static final double EVALUATION_FACTOR = 1.5;

    private SparseNetworks() {
    }

    static Model create(String name, int channels, int height, int width, int classes, Rng rng) {
        int[] in = {channels, height, width};
        List<Layer> l = new ArrayList<>();
        List<String> sparse = new ArrayList<>();
        switch (name) {
            case "dense-mlp" -> {
                l.add(new Flatten());
                l.add(new Linear("fc1", channels * height * width, 1000));
                l.add(new ReLU());
                l.add(new Linear("fc2", 1000, classes));
            }
            case "kwta-mlp" -> {
                l.add(new Flatten());
                l.add(new Linear("fc1", channels * height * width, 1000));
                sparse.add("fc1.weight");
                l.add(kWinners("kwta1", 1000, 1, 100));
                l.add(new Linear("fc2", 1000, classes));
            }
            case "dense-cnn", "kwta-cnn" -> {
                boolean kwta = name.equals("kwta-cnn");
                int c1 = kwta ? 32 : 30, c2 = kwta ? 64 : 30, hidden = kwta ? 700 : 1000;
                int h1 = (height - 4) / 2, w1 = (width - 4) / 2, h2 = (h1 - 4) / 2, w2 = (w1 - 4) / 2;
                if (h2 <= 0 || w2 <= 0) {
                    throw new IllegalArgumentException(name + " needs images of at least 16x16 (two 5x5 convolutions,"
                            + " each pooled 2x2), got " + height + "x" + width);
                }
                l.add(new Conv2d("conv1", channels, c1, 5, 0));
                l.add(new MaxPool2d(2));
                // the authors' Sparse CNN-2 lets 400 of 32 x 12 x 12 and 300 of 64 x 4 x 4 win on 28x28 images
                l.add(kwta ? kWinners("kwta1", c1, h1 * w1, Math.round(400.0 / (32 * 12 * 12) * c1 * h1 * w1))
                        : new ReLU());
                l.add(new Conv2d("conv2", c1, c2, 5, 0));
                l.add(new MaxPool2d(2));
                l.add(kwta ? kWinners("kwta2", c2, h2 * w2, Math.round(300.0 / (64 * 4 * 4) * c2 * h2 * w2))
                        : new ReLU());
                l.add(new Flatten());
                l.add(new Linear("fc1", c2 * h2 * w2, hidden));
                if (kwta) {
                    sparse.add("fc1.weight");
                    l.add(kWinners("kwta3", hidden, 1, 100));
                } else {
                    l.add(new ReLU());
                }
                l.add(new Linear("fc2", hidden, classes));
            }
            default -> throw new IllegalArgumentException("unknown model '" + name + "'");
        }
        Model m = new Model(name, in, l, Initialiser.GLOROT_NORMAL);
        Map<String, Mask> masks = new LinkedHashMap<>();
        int stream = 0;
        for (String w : sparse) {
            int[] shape = m.parameter(w).shape();
            masks.put(w, fixedFanIn(shape[0], shape[1], WEIGHT_DENSITY, rng.split(0x5ba75e + stream++)));
        }
        m.setMasks(masks);
        m.initialise(rng);
        return m;
    }

    private static KWinners kWinners(String name, int units, int spatial, long k) {
        int kk = (int) Math.max(1, k);
        int volume = units * spatial;
        return new KWinners(name, units, kk, (int) Math.min(volume, Math.round(kk * EVALUATION_FACTOR)), BOOST, true);
    }

    /** Each row keeps round(density * cols) columns drawn at random, as the paper's sparse layers do. */
    static Mask fixedFanIn(int rows, int cols, double density, Rng rng) {
        int keep = (int) Math.round(density * cols);
        boolean[] kept = new boolean[rows * cols];
        int[] order = new int[cols];
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.setAll(order, i -> i);
            rng.shuffle(order);
            for (int j = 0; j < keep; j++) {
                kept[r * cols + order[j]] = true;
            }
        }
        return Mask.of(rows, cols, kept);
    }
}
