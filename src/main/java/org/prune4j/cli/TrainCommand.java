package org.prune4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model densely and write results.json, results.csv and curves.png.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainingOptions options = new TrainingOptions();

    @Override
    public Integer call() {
        return ExperimentCommands.run(ExperimentCommands.settings("train", options, Preset.DEFAULT, null), options);
    }
}
