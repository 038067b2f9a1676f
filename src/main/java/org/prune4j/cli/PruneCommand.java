package org.prune4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.prune4j.experiment.ExperimentSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Prune any model with any score x scope x schedule x reset, one-shot, iterative or gradual.",
            "Examples:",
            "  prune4j prune --score snip --schedule oneshot --sparsity 0.9",
            "  prune4j prune --score synflow --scope global --schedule oneshot --sparsity 0.98",
            "  prune4j prune --score magnitude --reset finetune --rounds 5   (Han et al.)",
            "  prune4j prune --score obd --schedule oneshot --sparsity 0.8 --reset finetune"})
public final class PruneCommand implements Callable<Integer> {
    @Mixin
    TrainingOptions options = new TrainingOptions();

    @Mixin
    PruningOptions pruning = new PruningOptions();

    @Override
    public Integer call() {
        Preset preset = Preset.DEFAULT;
        long iterations = ExperimentCommands.or(options.iterations, preset.iterations());
        ExperimentSettings s = ExperimentCommands.settings("prune", options, preset,
                pruning.settings("magnitude", null, preset, iterations, List.of()));
        return ExperimentCommands.run(s, options);
    }
}
