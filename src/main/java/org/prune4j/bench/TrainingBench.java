package org.prune4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuInfo;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.report.Plots;
import org.prune4j.sparse.MaskStructure;

/**
 * {@code prune4j bench --training}: the training-step table with its PyTorch peer, written as
 * it is measured ({@code <name>.csv}), then as Markdown with the machine, command and date, and
 * a PNG of each model's step time relative to its dense step against sparsity.
 */
public final class TrainingBench {
    private static final String HEADER = "model,batch,mode,sparsity,median_ms,min_ms,max_ms,runs,vs_dense,"
            + "copies_per_step,bytes_per_step,kernels";

    /** What to run. */
    public record Settings(List<TrainingStepBench.Spec> specs, double[] sparsities, List<TrainingStepBench.Mode> modes,
            MaskStructure structure, int warmup, int runs, double minRowSeconds, boolean torch, Path out, String name,
            String command) {
    }

    /** Everything measured. */
    public record Result(String date, String machine, String backend, List<TrainingStepBench.Row> rows,
            List<TorchPeer.Row> torch, String torchNote) {
    }

    private TrainingBench() {
    }

    public static Result run(Backend be, Settings s, KernelPolicy calibrated, Consumer<String> log) {
        Path csvFile = s.out().resolve(s.name() + ".csv");
        List<TrainingStepBench.Row> rows;
        try (ResultsCsv csv = ResultsCsv.open(csvFile, HEADER)) {
            rows = TrainingStepBench.run(be, s.specs(), s.sparsities(), s.modes(), s.structure(), calibrated, s.warmup(),
                    s.runs(), (long) (s.minRowSeconds() * 1e9), r -> {
                        csv.append(csvRow(r), true);
                        log.accept(String.format(Locale.ROOT, "%-9s batch %-4d %-13s %4.0f%%  %9.2f ms  %5.2fx dense"
                                + "  %s", r.model(), r.batch(), r.mode(), 100 * r.sparsity(), r.timing().medianMs(),
                                r.vsDense(), r.kernels()));
                    });
        }
        List<TorchPeer.Row> torch = List.of();
        String note = "PyTorch peer not requested";
        if (s.torch()) {
            StringBuilder why = new StringBuilder();
            var py = TorchPeer.python(why::append);
            if (py.isPresent()) {
                String specs = String.join(",", s.specs().stream().map(x -> x.model() + ":" + x.batch()).toList());
                String device = be.device().isHost() ? "cpu" : "cuda";
                torch = TorchPeer.run(py.get(), specs, device, s.runs(), log);
                note = torch.isEmpty() ? "the PyTorch peer measured nothing" : "PyTorch " + torch.get(0).torch() + " on "
                        + device + ", " + torch.get(0).threads() + " threads, via " + py.get();
                torch.forEach(t -> log.accept(String.format(Locale.ROOT, "%-9s batch %-4d pytorch dense  %9.2f ms",
                        t.model(), t.batch(), t.medianMs())));
            } else {
                note = why.toString();
                log.accept(note);
            }
        }
        CpuInfo cpu = CpuInfo.probe();
        Result r = new Result(LocalDate.now().toString(), cpu.model() + ", " + cpu.cores() + " cores",
                be.description(), rows, torch, note);
        write(r, s, log);
        return r;
    }

    private static String csvRow(TrainingStepBench.Row r) {
        return String.join(",", r.model(), Integer.toString(r.batch()), r.mode().name().toLowerCase(Locale.ROOT),
                fmt(r.sparsity()), fmt(r.timing().medianMs()), fmt(r.timing().minMs()), fmt(r.timing().maxMs()),
                Integer.toString(r.timing().runs()), fmt(r.vsDense()), fmt(r.copiesPerStep()), fmt(r.bytesPerStep()),
                ResultsCsv.field(r.kernels()));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static void write(Result r, Settings s, Consumer<String> log) {
        try {
            Files.createDirectories(s.out());
            Path md = s.out().resolve(s.name() + ".md");
            Files.writeString(md, markdown(r, s));
            log.accept("wrote " + md);
            if (Plots.available()) {
                for (Path p : plots(r, s)) {
                    log.accept("wrote " + p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training benchmark to " + s.out() + ": " + org.prune4j.guard.IoErrors.reason(e),
                    e);
        }
    }

    static String markdown(Result r, Settings s) {
        StringBuilder b = new StringBuilder();
        b.append("# Training step time: dense, masked dense, sparse kernels\n\n");
        b.append("- machine: ").append(r.machine()).append("\n- backend: ").append(r.backend())
                .append("\n- command: `").append(s.command()).append("`\n- date: ").append(r.date())
                .append("\n- PyTorch: ").append(r.torchNote()).append("\n\n");
        b.append("One step = forward, softmax cross-entropy, backward, Adam update, on a batch already in the ")
                .append("backend's memory. A model's configurations are measured in ").append(TrainingStepBench.ROUNDS)
                .append(" interleaved rounds (so drift of the machine falls on all of them alike), each after ")
                .append(s.warmup()).append(" warm-up steps; a row is the median of all its steps, at least ")
                .append(s.runs()).append(" and at least ").append(s.minRowSeconds())
                .append(" s of them. Every layer but the output layer is pruned to the sparsity with ")
                .append(s.structure().twoFour() ? "a random exact 2:4 mask (two of every four inputs)"
                        : s.structure().isStructured() ? "a random mask of whole " + s.structure() + " blocks (exact count)"
                        : "an exact random mask").append(". `vs dense` is the row's median over the dense ")
                .append("step's of the same model.\n\n");
        Map<String, List<TrainingStepBench.Row>> byModel = new LinkedHashMap<>();
        r.rows().forEach(x -> byModel.computeIfAbsent(x.model() + " (batch " + x.batch() + ")", k -> new ArrayList<>())
                .add(x));
        for (var e : byModel.entrySet()) {
            b.append("## ").append(e.getKey()).append("\n\n");
            b.append("| mode | sparsity | median ms | min ms | vs dense | copies/step | kernels |\n");
            b.append("|---|---:|---:|---:|---:|---:|---|\n");
            for (TrainingStepBench.Row x : e.getValue()) {
                b.append(String.format(Locale.ROOT, "| %s | %.0f%% | %.2f | %.2f | %.3f | %.0f | %s |\n",
                        x.mode().name().toLowerCase(Locale.ROOT).replace('_', ' '), 100 * x.sparsity(),
                        x.timing().medianMs(), x.timing().minMs(), x.vsDense(), x.copiesPerStep(), x.kernels()));
            }
            TrainingStepBench.Row dense = e.getValue().stream().filter(x -> x.mode() == TrainingStepBench.Mode.DENSE)
                    .findFirst().orElse(null);
            for (TorchPeer.Row t : r.torch()) {
                if (dense != null && t.model().equals(dense.model()) && t.batch() == dense.batch()) {
                    b.append(String.format(Locale.ROOT, "\nPyTorch dense step: %.2f ms median (%s, %d threads): "
                            + "Prune4J's dense step is %.2fx PyTorch's speed.\n", t.medianMs(), t.device(), t.threads(),
                            t.medianMs() / dense.timing().medianMs()));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    static List<Path> plots(Result r, Settings s) {
        Map<String, List<TrainingStepBench.Row>> byModel = new LinkedHashMap<>();
        r.rows().forEach(x -> byModel.computeIfAbsent(x.model(), k -> new ArrayList<>()).add(x));
        List<Path> out = new ArrayList<>();
        for (var e : byModel.entrySet()) {
            List<Plots.Series> series = new ArrayList<>();
            for (TrainingStepBench.Mode m : TrainingStepBench.Mode.values()) {
                List<TrainingStepBench.Row> rs = e.getValue().stream().filter(x -> x.mode() == m).toList();
                if (m == TrainingStepBench.Mode.DENSE || rs.isEmpty()) {
                    continue;
                }
                series.add(new Plots.Series(m.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                        rs.stream().mapToDouble(x -> 100 * x.sparsity()).toArray(),
                        rs.stream().mapToDouble(TrainingStepBench.Row::vsDense).toArray()));
            }
            double[] xs = series.stream().flatMapToDouble(x -> java.util.Arrays.stream(x.x())).sorted().distinct()
                    .toArray();
            if (xs.length > 0) {
                series.add(new Plots.Series("dense (1x)", new double[] {xs[0], xs[xs.length - 1]}, new double[] {1, 1}));
            }
            Path p = s.out().resolve(s.name() + "-" + e.getKey() + ".png");
            Plots.line(p, e.getKey() + ": training step time relative to dense (" + r.date() + ")", "sparsity (%)",
                    "step time / dense step time", series, false);
            out.add(p);
        }
        return out;
    }
}
