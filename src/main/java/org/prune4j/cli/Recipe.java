package org.prune4j.cli;

import java.util.List;
import java.util.Objects;

/**
 * Published structured-pruning recipes as defaults for {@code prune}: each fills the options the
 * user left out, and refuses an option that would make it another method.
 */
enum Recipe {
    /** NVIDIA's Automatic SParsity: train dense, prune 2:4 by magnitude once, fine-tune with the mask fixed. */
    ASP("asp", "train dense, prune 2:4 by magnitude once, fine-tune with the mask fixed (NVIDIA ASP)"),
    /** Liu et al., ICCV 2017. */
    SLIMMING("slimming", "mlp-bn trained with an L1 penalty of 1e-4 on its BatchNorm scales, half its channels "
            + "removed by one global threshold on |gamma|, fine-tuned (network slimming, Liu et al. 2017)"),
    /** Liu et al., ICLR 2019, "Rethinking the value of network pruning". */
    RETHINKING("rethinking", "half the channels removed by the L1 norm of their weights (Li et al.), fine-tuned, "
            + "next to the same small network trained from scratch (Liu et al. 2019)");

    final String label;
    final String what;

    Recipe(String label, String what) {
        this.label = label;
        this.what = what;
    }

    static Recipe named(String name) {
        for (Recipe r : values()) {
            if (r.label.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown recipe '" + name + "'; choose one of "
                + java.util.Arrays.stream(values()).map(r -> r.label).toList());
    }

    /** Fills what the user left out; refuses a structure or score that would make it another method. */
    void apply(TrainingOptions t, PruningOptions p) {
        switch (this) {
            case ASP -> {
                p.structure = require(p.structure, "nm:2:4", "--structure");
                p.score = require(p.score, "magnitude", "--score");
                p.reset = Objects.requireNonNullElse(p.reset, "finetune");
            }
            case SLIMMING -> {
                t.model = Objects.requireNonNullElse(t.model, "mlp-bn");
                p.structure = require(p.structure, "channels", "--structure");
                p.score = require(p.score, "bn-scale", "--score");
                p.scaleL1 = Objects.requireNonNullElse(p.scaleL1, 1e-4);
                // one threshold on |gamma| across the network, as the paper prunes
                p.scope = Objects.requireNonNullElse(p.scope, "global");
                oneShotFineTune(p);
            }
            case RETHINKING -> {
                p.structure = require(p.structure, "channels", "--structure");
                p.score = require(p.score, "magnitude", "--score");
                p.controls = Objects.requireNonNullElse(p.controls, List.of("reinit"));
                oneShotFineTune(p);
            }
            default -> throw new IllegalStateException(label);
        }
    }

    private static void oneShotFineTune(PruningOptions p) {
        p.schedule = Objects.requireNonNullElse(p.schedule, "oneshot");
        p.sparsity = Objects.requireNonNullElse(p.sparsity, 0.5);
        p.reset = Objects.requireNonNullElse(p.reset, "finetune");
    }

    private String require(String given, String value, String option) {
        String canonical = given == null || !option.equals("--structure") ? given
                : org.prune4j.prune.Structure.parse(given).name();
        if (canonical != null && !canonical.equals(value)) {
            throw new IllegalArgumentException("--recipe " + label + " is " + option + " " + value + "; leave " + option
                    + " out, or drop --recipe to prune with " + option + " " + given);
        }
        return value;
    }
}
