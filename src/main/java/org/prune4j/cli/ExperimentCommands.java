package org.prune4j.cli;

import java.nio.file.Path;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.experiment.ExperimentRunner;
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.PruningSettings;
import org.prune4j.experiment.RoundResult;
import org.prune4j.nn.KernelPolicy;

/** What train, prune and lottery share: settings from options and a preset, and running them. */
final class ExperimentCommands {
    private ExperimentCommands() {
    }

    static ExperimentSettings settings(String kind, TrainingOptions o, Preset preset, PruningSettings pruning) {
        return new ExperimentSettings(kind, or(o.model, preset.model()), o.data, o.validation, o.trainSubset,
                o.testSubset, or(o.optimizer, preset.optimizer()), or(o.lr, preset.lr()), o.momentum, o.weightDecay,
                o.lrSchedule, or(o.batch, preset.batch()), or(o.iterations, preset.iterations()),
                or(o.evalEvery, preset.evalEvery()), o.seed, pruning);
    }

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    static int run(ExperimentSettings settings, TrainingOptions o) {
        long start = System.nanoTime();
        try (Backend backend = Backends.open(o.backend); ProgressBars bars = new ProgressBars()) {
            log("backend " + backend.description());
            KernelPolicy policy = policy(o, backend.name(), settings.model());
            log("kernel policy: CSR below density " + policy.sparseBelowDensity() + " (" + policy.source() + ")");
            ExperimentRunner.Outcome out = new ExperimentRunner(backend, policy, bars, ExperimentCommands::log)
                    .run(settings, Path.of(o.out), o.resume);
            System.out.println();
            System.out.printf("%-6s %-10s %-34s %9s %10s %9s %9s%n", "round", "branch", "method", "weights", "early-stop",
                    "test acc", "final");
            for (RoundResult r : out.results()) {
                System.out.printf("%-6d %-10s %-34s %8.2f%% %10d %8.2f%% %8.2f%%%n", r.round(), r.branch(),
                        abbreviate(r.method(), 34), 100 * r.density(), r.earlyStop().iteration(),
                        100 * r.earlyStop().testAccuracy(), 100 * r.last().testAccuracy());
            }
            System.out.printf("%nresults: %s (results.json, results.csv and plots); %.0f s%n",
                    out.dir(), (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    /**
     * --sparse-below if given; else the calibration file's CSR crossover for this backend and the
     * model's shape family (fully connected: lenet; convolutional: resnet50); else the default.
     */
    static KernelPolicy policy(TrainingOptions o, String backend, String model) {
        if (o.sparseBelow != null) {
            return new KernelPolicy(o.sparseBelow, "--sparse-below");
        }
        java.nio.file.Path file = o.calibration != null ? o.calibration : org.prune4j.bench.Calibration.defaultFile();
        if (o.calibration == null && !java.nio.file.Files.exists(file)) {
            return KernelPolicy.DEFAULT;
        }
        org.prune4j.bench.Calibration c = org.prune4j.bench.Calibration.read(file);
        String family = model.startsWith("conv") || model.equals("lenet5") ? "resnet50" : "lenet";
        return c.find(backend, family, "csr")
                .map(e -> new KernelPolicy(e.sparseBelowDensity(), "calibration " + file + " of " + c.date()
                        + ", " + family + " shapes; it times forward products only"))
                .orElseGet(() -> {
                    log("calibration " + file + " has no " + backend + "/" + family + "/csr entry; using the default");
                    return KernelPolicy.DEFAULT;
                });
    }

    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern(
            "HH:mm:ss");

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    static void log(String line) {
        System.err.println("[prune4j " + TIME.format(java.time.LocalTime.now()) + "] " + line);
    }
}
