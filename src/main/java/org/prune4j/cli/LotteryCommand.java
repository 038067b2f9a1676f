package org.prune4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.prune4j.experiment.ExperimentSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lottery", mixinStandardHelpOptions = true,
        description = {"The lottery ticket experiment: iterative magnitude pruning with rewinding to the initial "
            + "weights, with random re-initialisation and random pruning controls and the supermask evaluation at every sparsity.",
            "Checkpoints after every round and branch; --resume continues a killed run."})
public final class LotteryCommand implements Callable<Integer> {
    @Option(names = "--preset", description = "lenet300-lth (the paper's protocol, about 80 minutes on 2 cores), "
            + "lenet300-quick (about 5 minutes), conv2-lth, conv4-lth, conv6-lth (Frankle & Carbin 2019 on CIFAR-10) or "
            + "resnet20-lth (Frankle et al. 2020, rewinding to iteration 2,000); required. Other options override the "
            + "preset's settings.")
    String preset;

    @Mixin
    TrainingOptions options = new TrainingOptions();

    @Mixin
    PruningOptions pruning = new PruningOptions();

    @Override
    public Integer call() {
        if (preset == null) {
            throw new IllegalArgumentException("lottery needs --preset, the protocol to run:\n" + Preset.list()
                    + "e.g. prune4j lottery --preset lenet300-quick");
        }
        Preset p = Preset.named(preset);
        long iterations = ExperimentCommands.or(options.iterations, p.iterations());
        ExperimentSettings s = ExperimentCommands.settings("lottery", options, p,
                pruning.settings("magnitude", "trained", p, iterations, List.of("reinit", "random", "supermask")));
        return ExperimentCommands.run(s, options);
    }
}
