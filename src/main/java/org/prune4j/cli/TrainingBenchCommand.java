package org.prune4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.MaskStructure;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.bench.TrainingBench;
import org.prune4j.bench.TrainingStepBench;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.train.StepCalibration;
import picocli.CommandLine.ParseResult;

/** {@code prune4j bench --training}: the options of {@link BenchCommand} that apply, checked, then the run. */
final class TrainingBenchCommand {
    private static final List<String> SWEEP_ONLY = List.of("--families", "--tokens", "--max-gflop", "--structures",
            "--precisions", "--calibrate", "--calibration", "--dlmc", "--dlmc-n", "--gpu-only", "--kernels", "--seed");
    private static final double[] DEFAULT_SPARSITIES = {0, 0.5, 0.8, 0.9, 0.95, 0.98};

    private TrainingBenchCommand() {
    }

    static int run(BenchCommand o, ParseResult parsed) {
        for (String opt : SWEEP_ONLY) {
            if (parsed.hasMatchedOption(opt)) {
                throw new IllegalArgumentException(opt + " belongs to the product sweep and does nothing with --training;"
                        + " leave it out");
            }
        }
        if (!o.matrices.isEmpty()) {
            throw new IllegalArgumentException("matrix files belong to the product sweep; --training times models");
        }
        List<TrainingStepBench.Spec> specs = o.models == null ? TrainingStepBench.Spec.DEFAULT
                : o.models.stream().map(TrainingBenchCommand::spec).toList();
        double[] sparsities = parsed.hasMatchedOption("--sparsities") ? o.sparsities
                : o.twoFour ? new double[] {0.5} : DEFAULT_SPARSITIES;
        List<TrainingStepBench.Mode> modes = o.modes == null ? List.of(TrainingStepBench.Mode.values())
                : o.modes.stream().map(TrainingBenchCommand::mode).toList();
        int runs = parsed.hasMatchedOption("--runs") ? o.runs : 10;
        int warmup = o.warmup;
        double minRowSeconds = 1.5;
        if (o.quick) {
            minRowSeconds = 0.05;
            specs = List.of(new TrainingStepBench.Spec("lenet300", 60));
            sparsities = o.twoFour ? new double[] {0.5} : new double[] {0, 0.9};
            runs = Math.min(runs, 3);
            warmup = Math.min(warmup, 1);
        }
        double[] fractions = Arrays.stream(sparsities).map(s -> {
            if (s >= 1) {
                throw new IllegalArgumentException("--sparsities must be below 1 (100%): a network with no weights "
                        + "left has no step to time");
            }
            return s;
        }).toArray();
        MaskStructure structure = structure(o, parsed, fractions);
        Path out = parsed.hasMatchedOption("--out") ? o.out : Path.of("bench-out/training");
        String name = parsed.hasMatchedOption("--name") ? o.name : "training";
        List<String> args = parsed.originalArgs();
        String command = ("prune4j " + (args.isEmpty() || !args.get(0).equals("bench") ? "bench " : "")
                + String.join(" ", args)).trim();
        try (Backend be = Backends.routed(Backends.open(o.backend == null ? "auto" : o.backend))) {
            log("backend " + be.description());
            KernelPolicy calibrated = KernelPolicy.calibrated(new StepCalibration(be, StepCalibration.defaultFile(), 5,
                    TrainingBenchCommand::log));
            var settings = new TrainingBench.Settings(specs, fractions, modes, structure, warmup, runs,
                    minRowSeconds, o.torch == null || o.torch, out, name, command);
            TrainingBench.run(be, settings, calibrated, TrainingBenchCommand::log);
        }
        return 0;
    }

    /** The masks' structure: --blocks, --two-four (whose sparsity is fixed at 0.5), or none. */
    private static MaskStructure structure(BenchCommand o, ParseResult parsed, double[] fractions) {
        if (!o.twoFour) {
            return MaskStructure.blocks(blocks(o.blocks));
        }
        if (o.blocks != null) {
            throw new IllegalArgumentException("--two-four and --blocks are two different mask structures; give one");
        }
        if (parsed.hasMatchedOption("--sparsities") && Arrays.stream(fractions).anyMatch(f -> f != 0.5)) {
            throw new IllegalArgumentException("--two-four prunes exactly two of every four weights (sparsity 0.5); "
                    + "give --sparsities 0.5 or leave it out (the dense row is timed anyway)");
        }
        return MaskStructure.TWO_FOUR;
    }

    private static BlockShape blocks(String s) {
        if (s == null) {
            return BlockShape.NONE;
        }
        String[] rc = s.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (rc.length == 2) {
                return new BlockShape(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
            }
        } catch (IllegalArgumentException e) {
            // a number that does not parse or a side that is not a power of two: said below
        }
        throw new IllegalArgumentException("--blocks takes RxC with power-of-two sides up to 32, such as 16x16; got '"
                + s + "'");
    }

    private static TrainingStepBench.Spec spec(String s) {
        String[] p = s.split(":");
        if (p.length != 2) {
            throw new IllegalArgumentException("--models takes model:batch pairs such as lenet300:60, got '" + s + "'");
        }
        int batch;
        try {
            batch = Integer.parseInt(p[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("batch size of '" + s + "' is not a whole number");
        }
        if (batch <= 0) {
            throw new IllegalArgumentException("batch size of '" + s + "' must be positive");
        }
        List<String> known = new ArrayList<>(org.prune4j.nn.Models.NAMES);
        known.add("mlp4096");
        if (!known.contains(p[0].trim())) {
            throw new IllegalArgumentException("unknown model '" + p[0] + "'; choose from " + known);
        }
        return new TrainingStepBench.Spec(p[0].trim(), batch);
    }

    private static TrainingStepBench.Mode mode(String s) {
        try {
            return TrainingStepBench.Mode.valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + s + "'; choose dense, masked_dense, sparse or "
                    + "calibrated");
        }
    }

    private static void log(String line) {
        System.err.println("[bench] " + line);
    }
}
