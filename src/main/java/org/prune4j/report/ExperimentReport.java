package org.prune4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RoundResult;
import org.prune4j.train.EvalPoint;

/**
 * Writes an experiment's results.json (settings, machine, every round and branch with its
 * curve), results.csv (one row per round and branch), accuracy.png (test accuracy at the
 * early-stopping point vs weights remaining, one line per branch), curves.png (test
 * accuracy over training for each main-branch round), the same curves as small multiples
 * (curves-accuracy.png, curves-loss.png: a panel per round) and report.html, one page with all
 * of it.
 */
public final class ExperimentReport {
    private ExperimentReport() {
    }

    public static void write(Path dir, ExperimentSettings settings, List<RoundResult> results,
            Map<String, Object> machine) {
        write(dir, settings, results, machine, true);
    }

    /**
     * As above; {@code curves} false leaves the small multiples as they are: they show main
     * rounds only, so a run redraws them after a main round, not after each control branch.
     */
    public static void write(Path dir, ExperimentSettings settings, List<RoundResult> results,
            Map<String, Object> machine, boolean curves) {
        List<RoundResult> rows = new ArrayList<>(results);
        rows.sort(Comparator.comparingInt(RoundResult::round).thenComparing(RoundResult::branch));
        try {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("settings", settings);
            json.put("run", settings.runName());
            json.put("machine", machine);
            json.put("results", rows);
            atomically(dir.resolve("results.json"), Json.PRETTY.writeValueAsBytes(json));
            atomically(dir.resolve("results.csv"), csv(rows).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results in " + dir + ": " + org.prune4j.guard.IoErrors.reason(e), e);
        }
        if (!Plots.available()) {
            HtmlReport.write(dir, settings, rows, machine);
            return;
        }
        if (settings.kind().equals("supsup")) {
            Plots.line(dir.resolve("accuracy.png"), settings.model() + ": supermasks in superposition, test accuracy "
                    + "per task", "task", "test accuracy (%)", taskSeries(rows), false);
        } else if (rows.stream().anyMatch(r -> r.round() > 0)) {
            // Untrained evaluations (supermasks) sit tens of points lower; on one chart they would
            // flatten the differences between the trained branches, so they get their own.
            List<RoundResult> trained = rows.stream().filter(r -> r.earlyStop().iteration() > 0 || r.round() == 0).toList();
            Plots.lineAgainstWeightsRemaining(dir.resolve("accuracy.png"), settings.model()
                    + ": test accuracy at early stopping", "test accuracy (%)", accuracySeries(trained));
            List<RoundResult> untrained = rows.stream().filter(r -> r.round() > 0 && r.earlyStop().iteration() == 0)
                    .toList();
            Plots.lineAgainstWeightsRemaining(dir.resolve("early-stop.png"), settings.model()
                    + ": early-stopping iteration", "iteration of the lowest validation loss",
                    earlyStopSeries(trained));
            List<RoundResult> main = rows.stream().filter(r -> r.branch().equals("main")).toList();
            List<String> layers = main.get(0).layerDensity().keySet().stream().toList();
            Map<String, double[]> bars = new LinkedHashMap<>();
            for (RoundResult r : main) {
                bars.put(String.format(Locale.ROOT, "round %d (%.1f%%)", r.round(), 100 * r.density()),
                        layers.stream().mapToDouble(l -> 100 * r.layerDensity().getOrDefault(l, 1.0)).toArray());
            }
            Plots.bars(dir.resolve("layers.png"), settings.model() + ": weights kept per layer, main branch", "layer",
                    "weights kept (%)", layers, bars);
            if (!untrained.isEmpty()) {
                Plots.lineAgainstWeightsRemaining(dir.resolve("untrained.png"), settings.model()
                        + ": masks evaluated without training", "test accuracy (%)", accuracySeries(untrained));
            }
        }
        Plots.line(dir.resolve("curves.png"), settings.model() + ": test accuracy during training (main branch)",
                "iteration", "test accuracy (%)", curveSeries(rows), false);
        if (curves) {
            smallMultiples(dir, rows);
        }
        HtmlReport.write(dir, settings, rows, machine);
    }

    private static void smallMultiples(Path dir, List<RoundResult> rows) {
        List<RoundResult> main = rows.stream().filter(r -> r.branch().equals("main") && r.curve().size() >= 2).toList();
        List<SmallMultiples.Panel> acc = new ArrayList<>(), loss = new ArrayList<>();
        for (RoundResult r : main) {
            String title = String.format(Locale.ROOT, "round %d: %.1f%% weights", r.round(), 100 * r.density());
            List<EvalPoint> c = r.curve();
            double[] x = c.stream().mapToDouble(EvalPoint::iteration).toArray();
            acc.add(new SmallMultiples.Panel(title, List.of(
                    new Plots.Series("validation", x, c.stream().mapToDouble(p -> 100 * p.valAccuracy()).toArray()),
                    new Plots.Series("test", x, c.stream().mapToDouble(p -> 100 * p.testAccuracy()).toArray()))));
            // the training loss is the mean since the last evaluation, so the point before training has none
            List<EvalPoint> trained = c.stream().filter(p -> !Double.isNaN(p.trainLoss())).toList();
            loss.add(new SmallMultiples.Panel(title, List.of(
                    new Plots.Series("training", trained.stream().mapToDouble(EvalPoint::iteration).toArray(),
                            trained.stream().mapToDouble(EvalPoint::trainLoss).toArray()),
                    new Plots.Series("validation", x, c.stream().mapToDouble(EvalPoint::valLoss).toArray()))));
        }
        SmallMultiples.write(dir.resolve("curves-accuracy.png"), "iteration", "accuracy (%)", acc, 4, false);
        SmallMultiples.write(dir.resolve("curves-loss.png"), "iteration", "loss", loss, 4, true);
    }

    static String csv(List<RoundResult> rows) {
        Set<String> layers = new LinkedHashSet<>();
        rows.forEach(r -> layers.addAll(r.layerDensity().keySet()));
        StringBuilder sb = new StringBuilder("round,branch,method,weights_remaining,weights_total,percent_remaining");
        layers.forEach(l -> sb.append(",density_").append(l));
        List<Integer> batches = rows.stream().filter(r -> r.latency() != null).flatMap(r -> r.latency().stream())
                .map(org.prune4j.bench.InferenceBench.Row::batch).distinct().sorted().toList();
        sb.append(",early_stop_iteration,early_stop_val_loss,early_stop_test_accuracy,final_test_accuracy,seconds,"
                + "ms_per_step");
        batches.forEach(b -> sb.append(",latency_ms_batch_").append(b).append(",dense_latency_ms_batch_").append(b));
        sb.append('\n');
        for (RoundResult r : rows) {
            sb.append(r.round()).append(',').append(r.branch()).append(',').append(quote(r.method())).append(',')
                    .append(r.weightsRemaining()).append(',').append(r.weightsTotal()).append(',')
                    .append(fmt(100 * r.density()));
            for (String l : layers) {
                Double d = r.layerDensity().get(l);
                sb.append(',').append(d == null ? "" : fmt(d));
            }
            EvalPoint e = r.earlyStop();
            sb.append(',').append(e.iteration()).append(',').append(fmt(e.valLoss())).append(',')
                    .append(fmt(e.testAccuracy())).append(',').append(fmt(r.last().testAccuracy())).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append(',')
                    .append(Double.isNaN(r.msPerStep()) ? "" : String.format(Locale.ROOT, "%.4f", r.msPerStep()));
            for (int b : batches) {
                var row = r.latency() == null ? null
                        : r.latency().stream().filter(x -> x.batch() == b).findFirst().orElse(null);
                sb.append(',').append(row == null ? "" : String.format(Locale.ROOT, "%.4f", row.chosenMs())).append(',')
                        .append(row == null ? "" : String.format(Locale.ROOT, "%.4f", row.denseMs()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static List<Plots.Series> accuracySeries(List<RoundResult> rows) {
        Map<String, Map<Double, Double>> byMethod = new LinkedHashMap<>();
        RoundResult dense = rows.stream().filter(r -> r.round() == 0).findFirst().orElse(null);
        for (RoundResult r : rows) {
            if (r.round() == 0) {
                continue;
            }
            Map<Double, Double> pts = byMethod.computeIfAbsent(r.method(), k -> new TreeMap<>(Comparator.reverseOrder()));
            if (dense != null && pts.isEmpty() && !r.branch().equals("supermask")) {
                pts.put(100 * dense.density(), 100 * dense.earlyStop().testAccuracy());
            }
            pts.put(100 * r.density(), 100 * r.earlyStop().testAccuracy());
        }
        List<Plots.Series> out = new ArrayList<>();
        byMethod.forEach((m, pts) -> out.add(Plots.series(m, pts)));
        return out;
    }

    /** Each trained branch's early-stopping iteration against its weights remaining. */
    private static List<Plots.Series> earlyStopSeries(List<RoundResult> rows) {
        Map<String, Map<Double, Double>> byMethod = new LinkedHashMap<>();
        for (RoundResult r : rows) {
            byMethod.computeIfAbsent(r.round() == 0 && r.density() == 1 ? "dense" : r.method(),
                    k -> new TreeMap<>(Comparator.reverseOrder())).put(100 * r.density(), (double) r.earlyStop()
                            .iteration());
        }
        List<Plots.Series> out = new ArrayList<>();
        byMethod.forEach((m, pts) -> out.add(Plots.series(m, pts)));
        return out;
    }

    /** SupSup: each task's final test accuracy with its task given (main) and inferred, task on the x axis. */
    private static List<Plots.Series> taskSeries(List<RoundResult> rows) {
        List<Plots.Series> out = new ArrayList<>();
        for (String branch : List.of("main", "inferred")) {
            Map<Double, Double> pts = new TreeMap<>();
            rows.stream().filter(r -> r.branch().equals(branch)).forEach(r -> pts.put((double) r.round(),
                    100 * r.last().testAccuracy()));
            if (!pts.isEmpty()) {
                out.add(Plots.series(branch.equals("main") ? "task given" : "task inferred", pts));
            }
        }
        return out;
    }

    private static List<Plots.Series> curveSeries(List<RoundResult> rows) {
        List<Plots.Series> out = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (RoundResult r : rows) {
            if (!r.branch().equals("main") || r.curve().size() < 2) {
                continue;
            }
            double[] x = r.curve().stream().mapToDouble(EvalPoint::iteration).toArray();
            double[] y = r.curve().stream().mapToDouble(p -> 100 * p.testAccuracy()).toArray();
            String name = String.format(Locale.ROOT, "%.1f%% weights", 100 * r.density());
            out.add(new Plots.Series(names.add(name) ? name : "round " + r.round() + ", " + name, x, y));
        }
        return out;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String quote(String s) {
        return s.contains(",") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    static void atomically(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
