package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prune4j.nn.BatchNorm;
import org.prune4j.nn.Layer;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.WeightedLayer;

/**
 * Network slimming (Liu et al., ICCV 2017): a channel is worth its BatchNorm scale |gamma|, the
 * factor that gates everything it passes on; trained with an L1 penalty on the scales
 * ({@code --scale-l1}), unimportant channels drift towards zero. Every weight of a channel gets
 * the channel's score, so it ranks channels ({@code --structure channels}). The output layer
 * has no BatchNorm after it and is never channel-pruned; its weights score |w|.
 */
public record BatchNormScaleScore() implements Scorer {
    @Override
    public String name() {
        return "bn-scale";
    }

    @Override
    public boolean needsData() {
        return false;
    }

    @Override
    public Map<Parameter, float[]> scores(ScoringContext ctx) {
        requireNorms(ctx.model());
        // |w| everywhere, then each ranked layer's weights take their channel's |gamma|
        Map<Parameter, float[]> out = new MagnitudeScore().scores(ctx);
        followingNorms(ctx.model()).forEach((p, bn) -> {
            float[] s = out.get(p), gamma = ctx.model().parameter(bn.name() + ".weight").value().data();
            int cols = p.value().cols();
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.abs(gamma[i / cols]);
            }
        });
        return out;
    }

    /** Refuses, before anything trains, a model where some layer this score would rank has no BatchNorm after it. */
    public static void requireNorms(Model model) {
        Map<Parameter, BatchNorm> after = followingNorms(model);
        for (Parameter p : model.prunable()) {
            if (!model.isOutput(p) && !after.containsKey(p)) {
                throw new IllegalArgumentException("the score bn-scale needs a BatchNorm after every layer it ranks, "
                        + "and " + p.name() + " of " + model.name() + " has none; use a model with BatchNorm (mlp-bn) "
                        + "or another score");
            }
        }
    }

    /** The BatchNorm between each weighted layer and the next one, where there is one. */
    static Map<Parameter, BatchNorm> followingNorms(Model model) {
        Map<Parameter, BatchNorm> m = new LinkedHashMap<>();
        Parameter last = null;
        for (Model.Leaf leaf : model.leaves()) {
            Layer l = leaf.layer();
            if (l instanceof WeightedLayer w) {
                last = w.weight();
            } else if (l instanceof BatchNorm bn && last != null && !m.containsKey(last)) {
                m.put(last, bn);
            }
        }
        return m;
    }
}
