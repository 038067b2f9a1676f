package org.prune4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.prune4j.experiment.ExperimentSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Prune any model with any score x scope x schedule x reset, one-shot, iterative or gradual.",
            "Examples:",
            "  prune4j prune --score snip --schedule oneshot --sparsity 0.9",
            "  prune4j prune --score synflow --scope global --schedule oneshot --sparsity 0.98",
            "  prune4j prune --score magnitude --reset finetune --rounds 5   (Han et al.)",
            "  prune4j prune --score obd --schedule oneshot --sparsity 0.8 --reset finetune",
            "  prune4j prune --structure block:4x4 --schedule oneshot --sparsity 0.9 --reset finetune",
            "  prune4j prune --recipe asp          (2:4, fine-tuned)",
            "  prune4j prune --recipe slimming     (network slimming on mlp-bn)"})
public final class PruneCommand implements Callable<Integer> {
    @Mixin
    TrainingOptions options = new TrainingOptions();

    @Mixin
    PruningOptions pruning = new PruningOptions();

    @Option(names = "--recipe", description = "A published structured recipe; options given still win where the "
            + "recipe allows. asp: train dense, prune 2:4 by magnitude once, fine-tune. slimming: mlp-bn with L1 1e-4 "
            + "on its BatchNorm scales, half the channels removed by |gamma|, fine-tuned (Liu et al. 2017). "
            + "rethinking: half the channels removed by L1 norm, fine-tuned, beside the small network trained from "
            + "scratch (Liu et al. 2019).")
    String recipe;

    @Override
    public Integer call() {
        if (recipe != null) {
            Recipe.named(recipe).apply(options, pruning);
        }
        Preset preset = Preset.DEFAULT;
        long iterations = ExperimentCommands.or(options.iterations, preset.iterations());
        ExperimentSettings s = ExperimentCommands.settings("prune", options, preset,
                pruning.settings("magnitude", null, preset, iterations, List.of()));
        return ExperimentCommands.run(s, options);
    }
}
