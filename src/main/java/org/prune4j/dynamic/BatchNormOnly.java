package org.prune4j.dynamic;

import java.util.List;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;

/**
 * BatchNorm-only training (Frankle, Schwab & Morcos, "Training BatchNorm and Only BatchNorm",
 * ICLR 2021): every weight and bias stays at its random initialisation and only the BatchNorm
 * scales and shifts train. A scale that ends near zero silences its feature, so the trained
 * network is in effect pruned by features; {@link #nearZero} measures how much.
 */
public final class BatchNormOnly implements SparseMethod {
    /** The |scale| below which a feature counts as silenced in reports. */
    public static final double NEAR_ZERO = 0.05;

    @Override
    public String name() {
        return "bn-only";
    }

    @Override
    public String paper() {
        return "Frankle, Schwab & Morcos, Training BatchNorm and Only BatchNorm, ICLR 2021";
    }

    @Override
    public void check(Model model, Context ctx) {
        if (model.normScales().isEmpty()) {
            throw new IllegalArgumentException(model.name() + " has no BatchNorm layers, so BatchNorm-only training "
                    + "would train nothing; use --model mlp-bn");
        }
    }

    @Override
    public Prepared prepare(Model model, Context ctx) {
        check(model, ctx);
        for (Parameter p : model.parameters()) {
            p.setFrozen(!(p.kind() == Parameter.Kind.NORM_SCALE || p.kind() == Parameter.Kind.NORM_SHIFT));
        }
        return new Prepared(List.of(), true, () -> String.format("BatchNorm only (%.1f%% of scales below %.2f)",
                100 * nearZero(model, NEAR_ZERO), NEAR_ZERO));
    }

    /** The fraction of BatchNorm scales with |gamma| below {@code threshold}. */
    public static double nearZero(Model model, double threshold) {
        long n = 0, near = 0;
        for (Parameter p : model.normScales()) {
            for (float g : p.value().data()) {
                n++;
                near += Math.abs(g) < threshold ? 1 : 0;
            }
        }
        return n == 0 ? 0 : near / (double) n;
    }
}
