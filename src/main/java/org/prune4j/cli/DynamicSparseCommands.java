package org.prune4j.cli;

import java.util.concurrent.Callable;
import org.prune4j.dynamic.SparseMethods;
import org.prune4j.dynamic.SparseTrainingSettings;
import org.prune4j.dynamic.SupSup;
import org.prune4j.experiment.ExperimentSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The sparse-from-scratch commands: {@code set}, {@code rigl} (dynamic sparse training),
 * {@code edge-popup}, {@code supermask} (mask learning) and {@code bn-only}. Each exposes only
 * the options its method reads, so an option it would ignore is an error.
 */
final class DynamicSparseCommands {
    private DynamicSparseCommands() {
    }

    static int run(SparseTrainingSettings method, TrainingOptions options, String defaultModel) {
        if (options.model == null) {
            options.model = defaultModel;
        }
        ExperimentSettings s = ExperimentCommands.settings(method.method(), options, Preset.DEFAULT, null, method);
        ExperimentCommands.log(method.method() + ": " + (method.method().equals("supsup") ? SupSup.PAPER
                : SparseMethods.named(method.method()).paper()));
        return ExperimentCommands.run(s, options);
    }

    /** A command that runs one method: its training options, its settings, its default model. */
    abstract static class MethodCommand implements Callable<Integer> {
        @Mixin
        TrainingOptions options = new TrainingOptions();

        abstract SparseTrainingSettings settings();

        String defaultModel() {
            return "lenet300";
        }

        @Override
        public Integer call() {
            return run(settings(), options, defaultModel());
        }
    }

    /** What SET and RigL share; defaults differ per method, so they are filled in by the command. */
    static final class DynamicOptions {
        @Option(names = "--sparsity", converter = Fraction.class, description = "Fraction of weights removed, the whole run long (default 0.9).")
        Double sparsity;

        @Option(names = "--allocation", description = "How the density is shared among layers: uniform, er "
                + "(Erdős–Rényi) or erk (with the kernel terms).")
        String allocation;

        @Option(names = "--drop-fraction", converter = Fraction.class, description = "Share of each layer's connections dropped and regrown per "
                + "update, in (0, 1) (default 0.3).")
        Double dropFraction;

        @Option(names = "--drop-schedule", description = "constant, or cosine: the share decays to 0 at --stop-at.")
        String dropSchedule;

        @Option(names = "--update-every", description = "Iterations between updates (0: once per epoch).")
        Long updateEvery;

        @Option(names = "--stop-at", description = "Fraction of training after which the connections stay put.")
        Double stopAt;

        SparseTrainingSettings settings(String method, String allocation0, String schedule0, long every0,
                double stop0) {
            String schedule = ExperimentCommands.or(dropSchedule, schedule0);
            if (!schedule.equals("constant") && !schedule.equals("cosine")) {
                throw new IllegalArgumentException("--drop-schedule is constant or cosine, got '" + schedule + "'");
            }
            return new SparseTrainingSettings(method, ExperimentCommands.or(sparsity, 0.9),
                    ExperimentCommands.or(allocation, allocation0), ExperimentCommands.or(dropFraction, 0.3),
                    schedule.equals("cosine"), ExperimentCommands.or(updateEvery, every0),
                    ExperimentCommands.or(stopAt, stop0), "", "", 0, 0);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = {
        "SET: sparse from the first step; after every update interval each layer drops its smallest-magnitude "
            + "connections and regrows as many at random, starting at zero.",
        "Mocanu et al., Scalable training of artificial neural networks with adaptive sparse connectivity inspired "
            + "by network science, Nature Communications 2018.",
        "Defaults: --sparsity 0.9 --allocation er --drop-fraction 0.3 --drop-schedule constant --update-every 0 "
            + "(one epoch) --stop-at 1.",
        "Example: prune4j set --sparsity 0.95 --iterations 20000"})
    static final class Set extends MethodCommand {
        @Mixin
        DynamicOptions dynamic = new DynamicOptions();

        @Override
        SparseTrainingSettings settings() {
            return dynamic.settings("set", "er", "constant", 0, 1.0);
        }
    }

    @Command(name = "rigl", mixinStandardHelpOptions = true, description = {
        "RigL: sparse from the first step with an ERK allocation; every --update-every iterations each layer drops "
            + "its smallest-magnitude connections and grows as many where the dense gradient is largest (computed "
            + "only on update steps), starting at zero; the share moved decays along a cosine and updates stop at "
            + "75%% of training.",
        "Evci et al., Rigging the Lottery: Making All Tickets Winners, ICML 2020.",
        "Defaults: --sparsity 0.9 --allocation erk --drop-fraction 0.3 --drop-schedule cosine --update-every 100 "
            + "--stop-at 0.75.",
        "Example: prune4j rigl --sparsity 0.9"})
    static final class Rigl extends MethodCommand {
        @Mixin
        DynamicOptions dynamic = new DynamicOptions();

        @Override
        SparseTrainingSettings settings() {
            return dynamic.settings("rigl", "erk", "cosine", 100, 0.75);
        }
    }

    @Command(name = "edge-popup", mixinStandardHelpOptions = true, description = {
        "Edge-popup: the weights stay at a signed Kaiming constant and never train; a score per weight learns "
            + "which connections to use (the top-k%% of each layer by |score|, straight-through gradient).",
        "Ramanujan et al., What's Hidden in a Randomly Weighted Neural Network?, CVPR 2020.",
        "The optimiser options (--optimizer, --lr, --lr-schedule, --weight-decay) train the scores.",
        "Example: prune4j edge-popup --sparsity 0.5 --optimizer momentum --lr 0.1 --lr-schedule cosine"})
    static final class EdgePopupCommand extends MethodCommand {
        @Option(names = "--sparsity", converter = Fraction.class, defaultValue = "0.5", description = "Fraction of each layer's weights left out "
                + "(default ${DEFAULT-VALUE}; the paper's best is about half).")
        double sparsity;

        @Option(names = "--weights", defaultValue = "signed-kaiming", description = "signed-kaiming "
                + "(sign(w) sqrt(2/fan-in)) or scaled-signed-kaiming (also divided by sqrt(1 - sparsity)); "
                + "default ${DEFAULT-VALUE}.")
        String weights;

        @Override
        SparseTrainingSettings settings() {
            return new SparseTrainingSettings("edge-popup", sparsity, "", 0, false, 0, 0, weights, "", 0, 0);
        }
    }

    @Command(name = "supermask", mixinStandardHelpOptions = true, description = {
        "Learned supermask: the weights stay at their random initialisation (or its signed constant); each "
            + "connection is kept with a learned probability sigmoid(score), sampled every step, straight-through "
            + "gradient. The density is learned, not set.",
        "Zhou et al., Deconstructing Lottery Tickets: Zeros, Signs, and the Supermask, NeurIPS 2019.",
        "The optimiser options train the scores.",
        "Example: prune4j supermask --evaluate sampled"})
    static final class SupermaskCommand extends MethodCommand {
        @Option(names = "--weights", defaultValue = "signed-constant", description = "signed-constant (sign times the "
                + "initialisation's standard deviation) or init; default ${DEFAULT-VALUE}.")
        String weights;

        @Option(names = "--evaluate", defaultValue = "sampled", description = "sampled (one Bernoulli mask: a sparse "
                + "network) or expected (weights times sigmoid(score): dense); default ${DEFAULT-VALUE}.")
        String evaluation;

        @Override
        SparseTrainingSettings settings() {
            return new SparseTrainingSettings("supermask", 0, "", 0, false, 0, 0, weights, evaluation, 0, 0);
        }
    }

    @Command(name = "bn-only", mixinStandardHelpOptions = true, description = {
        "BatchNorm-only training: every weight and bias stays at its random initialisation; only the BatchNorm "
            + "scales and shifts train. Reports the share of scales that end near zero (features switched off).",
        "Frankle, Schwab & Morcos, Training BatchNorm and Only BatchNorm, ICLR 2021.",
        "Default model: mlp-bn. Example: prune4j bn-only --iterations 20000"})
    static final class BnOnly extends MethodCommand {
        @Override
        SparseTrainingSettings settings() {
            return new SparseTrainingSettings("bn-only", 0, "", 0, false, 0, 0, "", "", 0, 0);
        }

        @Override
        String defaultModel() {
            return "mlp-bn";
        }
    }

    @Command(name = "supsup", mixinStandardHelpOptions = true, description = {
        "Supermasks in superposition: one fixed random network (signed Kaiming constant), one edge-popup mask "
            + "learned per task; the tasks are Fashion-MNIST (or --data) with a fixed pixel permutation each, task 0 "
            + "unpermuted. Reports each task's test accuracy with the task given, and with the task inferred "
            + "one-shot from the output entropy of the superimposed masks, batch by batch.",
        "Wortsman et al., Supermasks in Superposition, NeurIPS 2020.",
        "The optimiser options train each task's scores; --iterations is per task.",
        "Example: prune4j supsup --tasks 5 --sparsity 0.5"})
    static final class SupSupCommand extends MethodCommand {
        @Option(names = "--tasks", defaultValue = "5", description = "Number of tasks, at least 2 (default "
                + "${DEFAULT-VALUE}).")
        int tasks;

        @Option(names = "--sparsity", converter = Fraction.class, defaultValue = "0.5", description = "Fraction of each layer left out of each "
                + "task's mask (default ${DEFAULT-VALUE}).")
        double sparsity;

        @Option(names = "--weights", defaultValue = "signed-kaiming", description = "signed-kaiming or "
                + "scaled-signed-kaiming; default ${DEFAULT-VALUE}.")
        String weights;

        @Option(names = "--infer-batch", defaultValue = "128", description = "Test examples per task inference "
                + "(default ${DEFAULT-VALUE}).")
        int inferBatch;

        @Override
        SparseTrainingSettings settings() {
            return new SparseTrainingSettings("supsup", sparsity, "", 0, false, 0, 0, weights, "", tasks,
                    inferBatch);
        }
    }
}
