package org.prune4j.cli;

import java.nio.file.Path;
import java.util.List;
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
        return settings(kind, o, preset, pruning, null);
    }

    static ExperimentSettings settings(String kind, TrainingOptions o, Preset preset, PruningSettings pruning,
            org.prune4j.dynamic.SparseTrainingSettings sparse) {
        String optimizer = or(o.optimizer, preset.optimizer());
        if (o.momentum != null && !List.of("momentum", "nesterov").contains(optimizer)) {
            throw new IllegalArgumentException("--momentum applies to --optimizer momentum or nesterov, not "
                    + optimizer + "; leave it out or pick one of those");
        }
        preset.checkData(o);
        return new ExperimentSettings(kind, or(o.model, preset.model()), o.data, o.validation, o.trainSubset,
                o.testSubset, optimizer, or(o.lr, preset.lr()), or(o.momentum, 0.9), or(o.weightDecay,
                preset.weightDecay()), or(o.lrSchedule, preset.lrSchedule()), or(o.batch, preset.batch()),
                or(o.iterations, preset.iterations()), or(o.evalEvery, preset.evalEvery()), or(o.seed, 1L), pruning,
                sparse, or(o.augment, preset.augment()));
    }

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    static int run(ExperimentSettings settings, TrainingOptions o) {
        List<Long> seeds = seeds(o);
        if (seeds.isEmpty()) {
            runOne(settings, o);
            return 0;
        }
        List<org.prune4j.report.RunResults> runs = new java.util.ArrayList<>();
        for (long seed : seeds) {
            log("replicate: seed " + seed + " (" + (runs.size() + 1) + " of " + seeds.size() + ")");
            runs.add(org.prune4j.report.RunResults.read(runOne(settings.withSeed(seed), o)));
        }
        Path summary = Path.of(o.out).resolve(settings.withSeed(seeds.get(0)).runName() + "-seeds");
        org.prune4j.report.Comparison.write(runs, summary);
        System.out.printf("%n%-40s %9s %8s %16s %8s%n", "method (seeds pooled)", "weights", "networks",
                "test acc ± std", "95% int");
        for (org.prune4j.report.Comparison.Row r : org.prune4j.report.Comparison.rows(runs)) {
            System.out.printf("%-40s %8.2f%% %8d %8.2f%% ± %5.2f %7s%n", abbreviate(r.method(), 40),
                    r.percentRemaining(), r.networks(), 100 * r.meanAccuracy(), 100 * r.stdAccuracy(),
                    Double.isNaN(r.ci95()) ? "" : String.format(java.util.Locale.ROOT, "± %.2f", 100 * r.ci95()));
        }
        System.out.printf("%nreplicates pooled in %s (comparison.md, .csv and plots)%n", summary);
        return 0;
    }

    /** --seeds N means seeds 1..N; a list of two or more means those seeds; none means one run. */
    static List<Long> seeds(TrainingOptions o) {
        return seeds(o.seeds, o.seed != null);
    }

    /** The seeds of {@code --seeds} as given ({@code null} when absent), refusing it next to {@code --seed}. */
    static List<Long> seeds(List<Long> given, boolean seedGiven) {
        if (given == null) {
            return List.of();
        }
        if (seedGiven) {
            throw new IllegalArgumentException("--seed and --seeds both given; --seeds 3 runs seeds 1, 2 and 3, and "
                    + "--seeds 4,7 runs those two: pass one of them");
        }
        List<Long> list = given.size() == 1 ? java.util.stream.LongStream.rangeClosed(1, given.get(0)).boxed()
                .toList() : List.copyOf(given);
        if (list.size() < 2 || list.stream().distinct().count() != list.size()) {
            throw new IllegalArgumentException("--seeds takes a count of at least 2 or a list of distinct seeds, got "
                    + given + "; for one run use --seed");
        }
        return list;
    }

    /** Runs (or resumes) one experiment and prints its table; returns its run folder. */
    private static Path runOne(ExperimentSettings settings, TrainingOptions o) {
        long start = System.nanoTime();
        ExperimentRunner.Fallback fallback = fallback(o, settings.model());
        try (Backend backend = Backends.open(o.backend); ProgressBars bars = new ProgressBars()) {
            log("backend " + backend.description());
            KernelPolicy policy = policy(o, backend, settings.model());
            log("kernel policy: " + (policy.crossovers() != null ? policy.source()
                    : "CSR below density " + policy.sparseBelowDensity() + " (" + policy.source() + ")"));
            ExperimentRunner.Outcome out = new ExperimentRunner(backend, policy, bars, ExperimentCommands::log)
                    .acceptChanges(o.acceptChanges).fallback(fallback).strictResume(!o.resumeOrStart)
                    .latency(o.latency ? new int[] {1, 256} : new int[0])
                    .run(settings, Path.of(o.out), o.resume || o.resumeOrStart);
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
            return out.dir();
        }
    }

    /** The backend to go on with after a device fault, from --fallback; null for none. */
    static ExperimentRunner.Fallback fallback(TrainingOptions o, String model) {
        return switch (o.fallback) {
            case "none" -> null;
            case "cpu" -> new ExperimentRunner.Fallback("cpu", () -> Backends.open("cpu"),
                    b -> policy(o, b, model));
            default -> throw new IllegalArgumentException("--fallback takes none or cpu, got '" + o.fallback + "'");
        };
    }

    /**
     * --sparse-below if given; else the forward crossover of an explicit --calibration file; else
     * the whole-step calibration of this backend, per layer shape, measured on first use.
     */
    static KernelPolicy policy(TrainingOptions o, Backend backend, String model) {
        if (o.sparseBelow != null) {
            return new KernelPolicy(o.sparseBelow, "--sparse-below");
        }
        if (o.calibration != null) {
            org.prune4j.bench.Calibration c = org.prune4j.bench.Calibration.read(o.calibration);
            String family = model.startsWith("conv") || model.equals("lenet5") ? "resnet50" : "lenet";
            return c.find(backend.name(), family, "csr")
                    .map(e -> new KernelPolicy(e.sparseBelowDensity(), "calibration " + o.calibration + " of "
                            + c.date() + ", " + family + " shapes; it times forward products only"))
                    .orElseGet(() -> {
                        log("calibration " + o.calibration + " has no " + backend.name() + "/" + family
                                + "/csr entry; using the whole-step calibration");
                        return stepPolicy(o, backend);
                    });
        }
        return stepPolicy(o, backend);
    }

    private static KernelPolicy stepPolicy(TrainingOptions o, Backend backend) {
        java.nio.file.Path file = o.stepCalibration != null ? o.stepCalibration
                : org.prune4j.train.StepCalibration.defaultFile();
        return KernelPolicy.calibrated(new org.prune4j.train.StepCalibration(backend, file, 5,
                ExperimentCommands::log));
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
