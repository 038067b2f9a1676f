package org.prune4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.prune4j.backend.cuda.KernelFamily;
import org.prune4j.bench.BenchSweep;
import org.prune4j.bench.Calibration;
import org.prune4j.bench.ResultsCsv;
import org.prune4j.bench.Structure;
import org.prune4j.bench.SweepFiles;
import org.prune4j.bench.Workload;
import org.prune4j.bench.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prune4j bench}: the sweep over structures, sparsities and real network shapes. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {
    "Sweep sparse kernels against the dense baselines over structures, sparsities and the shapes of real networks.",
    "Writes <name>.json, .csv, .md, .html and PNG plots; --calibrate also saves where sparse wins for training."})
public final class BenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--families", split = ",", defaultValue = "lenet,resnet50,transformer,dlmc",
            description = "Shape families (default ${DEFAULT-VALUE}).")
    List<String> families;

    @Option(names = "--tokens", split = ",", defaultValue = "1,16,128,512,2048,4096",
            description = "Token counts for the Transformer feed-forward shapes (default ${DEFAULT-VALUE}).")
    int[] tokens;

    @Option(names = "--max-gflop", defaultValue = "12", description = "Skip workloads whose dense product exceeds this "
            + "many GFLOP (default ${DEFAULT-VALUE}; each is timed 20+ times per point). 0: no limit.")
    double maxGflop;

    @Option(names = "--structures", split = ",", defaultValue = "csr,bsr4,bsr8,bsr16,bsr32,2:4,channels",
            description = "Structures (default ${DEFAULT-VALUE}).")
    List<String> structures;

    @Option(names = "--sparsities", split = ",", defaultValue = "0,0.5,0.7,0.8,0.9,0.95,0.98,0.99",
            converter = Fraction.class, description = "Sparsities as fractions or percentages with %% (default "
            + "${DEFAULT-VALUE}).")
    double[] sparsities;

    @Option(names = "--precisions", split = ",", defaultValue = "fp32,tf32,bf16", description = "Operand precisions"
            + " (default ${DEFAULT-VALUE}): the CPU rows are fp32; the GPU rows run each structure's kernels in each"
            + " precision they support (tf32 and bf16 on tensor cores).")
    List<String> precisions;

    @Option(names = "--runs", defaultValue = "20", description = "Timed runs per point (median reported).")
    int runs;

    @Option(names = "--warmup", defaultValue = "3")
    int warmup;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--dlmc", description = "Folder of DLMC .smtx files (default: data/dlmc of the installation).")
    Path dlmc;

    @Option(names = "--dlmc-n", defaultValue = "256", description = "Activation columns for file-based matrices.")
    int dlmcN;

    @Parameters(arity = "0..*", paramLabel = "MATRIX", description = "Extra .mtx or .smtx files (real patterns).")
    List<Path> matrices = new ArrayList<>();

    @Option(names = "--quick", description = "CI size: LeNet shapes, 3 sparsities, 3 runs.")
    boolean quick;

    @Option(names = "--gpu-only", description = "GPU rows only: no CPU timings (checks use cuBLAS fp32 as the"
            + " reference). The bounded sweep for a short GPU window.")
    boolean gpuOnly;

    @Option(names = "--kernels", split = ",", description = "GPU kernel families to time (default all: "
            + "csr,cusparse,bsr-wmma,mma-sp,wgmma-sp,cusparselt,cublas,sgemm); leave out one that faulted in gpu-smoke.")
    List<String> kernels;

    @Option(names = "--calibrate", description = "Also save, per family and structure, the density below which sparse "
            + "beat dense; train/prune/lottery read it to pick kernels.")
    boolean calibrate;

    @Option(names = "--calibration", description = "Calibration file (default ~/.prune4j/calibration.json).")
    Path calibrationFile;

    @Option(names = "--out", defaultValue = "bench-out/sweep", description = "Output folder (default ${DEFAULT-VALUE};"
            + " bench-out/training with --training).")
    Path out;

    @Option(names = "--name", defaultValue = "sweep", description = "File name stem (default ${DEFAULT-VALUE};"
            + " training with --training).")
    String name;

    @Option(names = "--training", description = "Time whole training steps (forward, loss, backward, Adam) of real "
            + "models dense, masked dense, on the sparse kernels and with the calibrated choice, at each sparsity "
            + "(default 0,50,80,90,95,98), next to PyTorch on the same models.")
    boolean training;

    @Option(names = "--models", split = ",", description = "With --training: model:batch pairs (default "
            + "lenet300:60,conv4:60,mlp4096:256).")
    List<String> models;

    @Option(names = "--modes", split = ",", description = "With --training: dense, masked_dense, sparse, calibrated "
            + "(default all).")
    List<String> modes;

    @Option(names = "--blocks", description = "With --training: draw the pruned layers' masks as whole RxC blocks "
            + "(e.g. 16x16; sides 4-16 run the CPU's block kernels) instead of unstructured (default).")
    String blocks;

    @Option(names = "--two-four", description = "With --training: draw the pruned layers' masks as exact 2:4 (two of "
            + "every four inputs, so 50%% sparsity only), which the CUDA backend trains on sparse tensor cores.")
    boolean twoFour;

    @Option(names = "--backend", description = "With --training: the backend that trains (default auto).")
    String backend;

    @Option(names = "--torch", negatable = true, description = "With --training: also time PyTorch (default on; "
            + "skipped with a note when no Python with torch is found).")
    Boolean torch;

    @Override
    public Integer call() throws Exception {
        if (training) {
            return TrainingBenchCommand.run(this, spec.commandLine().getParseResult());
        }
        for (String opt : List.of("--models", "--modes", "--backend", "--torch", "--blocks", "--two-four")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(opt)) {
                throw new IllegalArgumentException(opt + " only applies with --training");
            }
        }
        if (quick) {
            families = List.of("lenet");
            sparsities = new double[] {0, 0.5, 0.9};
            runs = Math.min(runs, 3);
            warmup = Math.min(warmup, 1);
        }
        for (String p : precisions) {
            if (!List.of("fp32", "tf32", "bf16", "fp16").contains(p)) {
                throw new IllegalArgumentException("unknown precision '" + p + "'; choose from fp32, tf32, bf16, fp16");
            }
        }
        double[] fractions = Arrays.stream(sparsities).map(s -> {
            if (s >= 1) {
                throw new IllegalArgumentException("--sparsities must be below 1 (100%): a matrix with nothing "
                        + "left has no product to time");
            }
            return s;
        }).toArray();
        List<Workload> workloads = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String f : families) {
            switch (f) {
                case "lenet" -> workloads.addAll(Workloads.lenet());
                case "resnet50" -> workloads.addAll(Workloads.resnet50());
                case "transformer" -> workloads.addAll(Workloads.transformer(tokens, true));
                case "dlmc" -> {
                    Path d = dlmc != null ? dlmc : org.prune4j.bench.DlmcData.find().orElse(null);
                    if (d == null) {
                        throw new IllegalArgumentException("DLMC matrices not found (looked at "
                                + org.prune4j.bench.DlmcData.searched() + "); pass --dlmc DIR, or --families without"
                                + " dlmc to leave them out");
                    } else {
                        workloads.addAll(Workloads.fromFiles(d, "dlmc", dlmcN));
                    }
                }
                default -> throw new IllegalArgumentException("unknown family '" + f
                        + "'; choose lenet, resnet50, transformer or dlmc");
            }
        }
        for (Path p : matrices) {
            workloads.addAll(Workloads.fromFiles(p, "file", dlmcN));
        }
        List<Workload> kept = new ArrayList<>();
        for (Workload w : workloads) {
            if (maxGflop > 0 && w.denseFlops() > maxGflop * 1e9) {
                skipped.add(String.format(java.util.Locale.ROOT, "%s: %.1f GFLOP dense exceeds --max-gflop %.0f", w,
                        w.denseFlops() / 1e9, maxGflop));
            } else {
                kept.add(w);
            }
        }
        List<Structure> st = structures.stream().map(Structure::named).toList();
        java.util.Set<KernelFamily> families = null;
        if (kernels != null) {
            families = java.util.EnumSet.noneOf(KernelFamily.class);
            for (String k : kernels) {
                families.add(KernelFamily.named(k));
            }
        }
        var config = new BenchSweep.Config(kept, st, fractions, precisions, warmup, runs, seed,
                BenchSweep.lastLevelCacheBytes(), gpuOnly, families);
        // every point goes to <name>.csv.partial the moment it is measured, so a run cut short keeps it
        ResultsCsv csv = ResultsCsv.open(out.resolve(name + ".csv"), SweepFiles.CSV_HEADER);
        BenchSweep.Report r;
        try {
            r = new BenchSweep(config, msg -> System.err.println("[bench] " + msg)).run(
                    x -> csv.append(SweepFiles.csvRow(x), x.ok()));
        } finally {
            if (csv.finish() == null) {
                System.err.println("[bench] measured nothing: " + out.resolve(name + ".csv")
                        + " and the other result files were left as they were; the errors are in " + csv.partialFile());
            }
        }
        if (csv.measured() == 0) {
            r.skipped().forEach(x -> System.err.println("[bench] not measured: " + x));
            skipped.forEach(x -> System.err.println("[bench] not measured: " + x));
            return 3;
        }
        List<String> allSkipped = new ArrayList<>(r.skipped());
        allSkipped.addAll(skipped);
        r = new BenchSweep.Report(r.date(), r.machine(), r.cpu(), r.peakGflops(), r.bandwidthGBs(), r.gpu(),
                r.gpuPeakGflops(), r.gpuBandwidthGBs(), r.results(), allSkipped);
        String command = ("prune4j " + String.join(" ", spec.commandLine().getParseResult().originalArgs())).trim();
        List<Path> files = SweepFiles.write(r, command, out, name);
        files.forEach(f -> System.out.println("wrote " + f));
        if (calibrate) {
            Path file = calibrationFile != null ? calibrationFile : Calibration.defaultFile();
            Calibration c = Calibration.from(r);
            c.write(file);
            c.entries().forEach(e -> System.out.printf(java.util.Locale.ROOT,
                    "calibration %-4s %-12s %-9s sparse below density %.3f (median of %d shapes)%n", e.backend(),
                    e.family(), e.structure(), e.sparseBelowDensity(), e.workloads()));
            System.out.println("wrote " + file);
        }
        return 0;
    }
}
