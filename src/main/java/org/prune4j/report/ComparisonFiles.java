package org.prune4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.prune4j.report.Comparison.Row;

/**
 * The files of a comparison: comparison.csv and .md, and where the runtime can draw,
 * comparison.png (accuracy vs weights remaining), comparison-time.png and comparison-pareto.png,
 * and comparison-inference.png where every row measured its inference latency at a common batch
 * size. The Pareto chart puts accuracy against milliseconds per training step when every row
 * has one, since that is a speed, and against the whole training time (evaluations included)
 * otherwise.
 */
public final class ComparisonFiles {
    private ComparisonFiles() {
    }

    /** Writes {@code rows} into {@code out}; returns the files written. */
    public static List<Path> write(List<Row> rows, Path out) {
        boolean models = rows.stream().map(Row::model).distinct().count() > 1;
        boolean anyStep = rows.stream().anyMatch(r -> !Double.isNaN(r.meanStepMs()));
        boolean allSteps = !rows.isEmpty() && rows.stream().noneMatch(r -> Double.isNaN(r.meanStepMs()));
        java.util.SortedSet<Integer> batches = new java.util.TreeSet<>();
        rows.forEach(r -> batches.addAll(r.inferenceMs().keySet()));
        StringBuilder csv = new StringBuilder("method,model,percent_remaining,networks,mean_early_stop_test_accuracy,"
                + "std,ci95,mean_final_test_accuracy,mean_seconds,mean_ms_per_step");
        batches.forEach(b -> csv.append(",inference_ms_batch_").append(b));
        csv.append('\n');
        StringBuilder md = new StringBuilder("| method | model | weights left | networks | test accuracy at early stop | "
                + "95% interval | final test accuracy | training time |" + (anyStep ? " ms per training step |" : ""));
        batches.forEach(b -> md.append(" inference, batch ").append(b).append(" (ms) |"));
        md.append("\n|---|---|---:|---:|---:|---:|---:|---:|").append(anyStep ? "---:|" : "")
                .append("---:|".repeat(batches.size())).append('\n');
        for (Row r : rows) {
            boolean one = Double.isNaN(r.stdAccuracy());
            boolean step = !Double.isNaN(r.meanStepMs());
            csv.append(String.format(Locale.ROOT, "\"%s\",%s,%.4f,%d,%.6f,%s,%s,%.6f,%.1f,%s", r.method(), r.model(),
                    r.percentRemaining(), r.networks(), r.meanAccuracy(), one ? ""
                    : String.format(Locale.ROOT, "%.6f", r.stdAccuracy()), one ? ""
                    : String.format(Locale.ROOT, "%.6f", r.ci95()), r.meanFinal(), r.meanSeconds(), step
                    ? String.format(Locale.ROOT, "%.4f", r.meanStepMs()) : ""));
            for (int b : batches) {
                Double ms = r.inferenceMs().get(b);
                csv.append(',').append(ms == null ? "" : String.format(Locale.ROOT, "%.4f", ms));
            }
            csv.append('\n');
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %d | %.2f%%%s | %s | %.2f%% | %.0f s |%s",
                    r.method(), r.model(), r.percentRemaining(), r.networks(), 100 * r.meanAccuracy(), one ? ""
                    : String.format(Locale.ROOT, " ± %.2f", 100 * r.stdAccuracy()), one ? "" : String.format(
                    Locale.ROOT, "± %.2f", 100 * r.ci95()), 100 * r.meanFinal(), r.meanSeconds(), !anyStep ? ""
                    : " " + Figures.threeDigits(r.meanStepMs()) + " |"));
            for (int b : batches) {
                md.append(' ').append(Figures.threeDigits(r.inferenceMs().getOrDefault(b, Double.NaN))).append(" |");
            }
            md.append('\n');
        }
        List<Path> written = new ArrayList<>();
        try {
            for (var f : Map.of("comparison.csv", csv, "comparison.md", md).entrySet()) {
                Path p = out.resolve(f.getKey());
                ExperimentReport.atomically(p, f.getValue().toString().getBytes(StandardCharsets.UTF_8));
                written.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the comparison in " + out + ": "
                    + org.prune4j.guard.IoErrors.reason(e), e);
        }
        if (Plots.available()) {
            Map<String, Map<Double, Double>> acc = new LinkedHashMap<>(), time = new LinkedHashMap<>(),
                    ci = new LinkedHashMap<>();
            for (Row r : rows) {
                String name = models ? r.model() + ": " + r.method() : r.method();
                acc.computeIfAbsent(name, k -> new TreeMap<>()).put(r.percentRemaining(), 100 * r.meanAccuracy());
                time.computeIfAbsent(name, k -> new TreeMap<>()).put(r.percentRemaining(), allSteps ? r.meanStepMs()
                        : r.meanSeconds());
                ci.computeIfAbsent(name, k -> new TreeMap<>()).put(r.percentRemaining(), Double.isNaN(r.ci95()) ? 0
                        : 100 * r.ci95());
            }
            Path a = out.resolve("comparison.png"), t = out.resolve("comparison-time.png");
            Plots.lineAgainstWeightsRemaining(a, "test accuracy at early stopping (bands: 95% interval over seeds)",
                    "test accuracy (%)", withIntervals(series(acc), ci));
            Plots.lineAgainstWeightsRemaining(t, allSteps ? "training step time" : "training time",
                    allSteps ? "ms per step" : "seconds", series(time));
            // accuracy against what it cost, each method's points joined from dense to sparse:
            // the methods on the upper left frontier buy the most accuracy per second
            Map<String, List<Row>> byMethod = new LinkedHashMap<>();
            rows.forEach(r -> byMethod.computeIfAbsent(models ? r.model() + ": " + r.method() : r.method(),
                    k -> new ArrayList<>()).add(r));
            List<Plots.Series> pareto = new ArrayList<>();
            byMethod.forEach((n, rs) -> pareto.add(new Plots.Series(n, rs.stream().mapToDouble(r -> allSteps
                    ? r.meanStepMs() : r.meanSeconds()).toArray(), rs.stream().mapToDouble(r -> 100 * r.meanAccuracy())
                    .toArray())));
            Path f = out.resolve("comparison-pareto.png");
            Plots.line(f, allSteps ? "test accuracy at early stopping vs training step time"
                    : "test accuracy at early stopping vs training time", allSteps ? "training step (ms)"
                    : "training time (s)", "test accuracy (%)", pareto, true);
            written.add(a);
            written.add(t);
            written.add(f);
            // inference at the largest batch every row measured: serving throughput, not one request
            batches.stream().filter(b -> rows.stream().allMatch(r -> r.inferenceMs().containsKey(b)))
                    .reduce((x, y) -> y).ifPresent(b -> {
                        List<Plots.Series> inference = new ArrayList<>();
                        byMethod.forEach((n, rs) -> inference.add(new Plots.Series(n, rs.stream().mapToDouble(r -> r
                                .inferenceMs().get(b)).toArray(), rs.stream().mapToDouble(r -> 100 * r.meanAccuracy())
                                .toArray())));
                        Path i = out.resolve("comparison-inference.png");
                        Plots.line(i, "test accuracy at early stopping vs inference time, batch " + b,
                                "inference, batch " + b + " (ms)", "test accuracy (%)", inference, true);
                        written.add(i);
                    });
        }
        return written;
    }

    /** The same series with error bars where some point pools several seeds. */
    private static List<Plots.Series> withIntervals(List<Plots.Series> series, Map<String, Map<Double, Double>> ci) {
        List<Plots.Series> out = new ArrayList<>();
        for (Plots.Series s : series) {
            Map<Double, Double> c = ci.get(s.name());
            double[] e = new double[s.x().length];
            boolean any = false;
            for (int i = 0; i < e.length; i++) {
                e[i] = c.size() == 1 ? c.values().iterator().next() : c.getOrDefault(s.x()[i], 0.0);
                any |= e[i] > 0;
            }
            out.add(any ? new Plots.Series(s.name(), s.x(), s.y(), e) : s);
        }
        return out;
    }

    /** One series per method; a method with one point at 100% (dense) becomes a level line across the chart. */
    private static List<Plots.Series> series(Map<String, Map<Double, Double>> byName) {
        double lowest = byName.values().stream().flatMap(m -> m.keySet().stream()).mapToDouble(Double::doubleValue)
                .min().orElse(1);
        List<Plots.Series> out = new ArrayList<>();
        byName.forEach((n, pts) -> {
            if (pts.size() == 1 && pts.containsKey(100.0) && lowest < 100) {
                double y = pts.get(100.0);
                out.add(new Plots.Series(n, new double[] {lowest, 100}, new double[] {y, y}));
            } else {
                out.add(Plots.series(n, pts));
            }
        });
        return out;
    }
}
