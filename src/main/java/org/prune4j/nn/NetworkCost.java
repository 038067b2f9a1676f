package org.prune4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one example costs a network: its parameter count, and the multiply-adds of its weight
 * products as a dense network ({@code denseMacs}) and counting only kept weights
 * ({@code sparseMacs}, what a sparse kernel or a compacted network does), per layer and in
 * total. A convolution's products are counted at every output position. Elementwise layers
 * (activations, pooling, normalisation) are left out: next to the products they are noise.
 */
public record NetworkCost(long parameters, long liveParameters, long denseMacs, long sparseMacs,
        Map<String, Layer> layers) {

    /** One weighted layer: its weights, how many are kept, and its multiply-adds per example. */
    public record Layer(long weights, long kept, long denseMacs, long sparseMacs) {
    }

    public NetworkCost {
        layers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }

    public static NetworkCost of(Model model) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        long dense = 0, sparse = 0;
        for (Model.Leaf leaf : model.leaves()) {
            if (leaf.layer() instanceof WeightedLayer w) {
                long positions = w.positions(leaf.inputShape());
                Parameter p = w.weight();
                Layer c = new Layer(p.size(), p.alive(), p.size() * positions, p.alive() * positions);
                layers.put(p.name(), c);
                dense += c.denseMacs();
                sparse += c.sparseMacs();
            }
        }
        long params = 0, live = 0;
        for (Parameter p : model.parameters()) {
            if (p.kind() != Parameter.Kind.BUFFER && p.kind() != Parameter.Kind.SCORE) {
                params += p.size();
                live += p.prunable() ? p.alive() : p.size();
            }
        }
        return new NetworkCost(params, live, dense, sparse, layers);
    }
}
