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
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RoundResult;

/**
 * Several runs on one chart and in one table: every trained network of every run becomes a
 * point (weights remaining, test accuracy at early stopping, training time), grouped by method
 * (what the run was, per branch) and model; runs that differ only in their seed are pooled
 * into a mean with its standard deviation (the "networks" column counts what was pooled). Writes comparison.csv, comparison.md,
 * comparison.png (accuracy vs weights remaining, log axis), comparison-time.png and
 * comparison-pareto.png (accuracy vs training time).
 */
public final class Comparison {
    private Comparison() {
    }

    /** The pooled points of one method at one density. */
    public record Row(String method, String model, double percentRemaining, int networks, double meanAccuracy,
            double stdAccuracy, double meanFinal, double meanSeconds) {

        /** Half-width of the 95% confidence interval of the mean (Student's t); NaN for one network. */
        public double ci95() {
            return networks < 2 ? Double.NaN : studentT975(networks - 1) * stdAccuracy / Math.sqrt(networks);
        }
    }

    /** The 97.5% quantile of Student's t with {@code df} degrees of freedom (table to 30, then normal). */
    static double studentT975(int df) {
        double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
            2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
            2.045, 2.042};
        return df <= t.length ? t[df - 1] : 1.96;
    }

    /** What a run's result is called in a comparison: the method and its variant, not the run's settings hash. */
    static String method(ExperimentSettings s, RoundResult r) {
        var m = s.sparseTraining();
        return switch (s.kind()) {
            case "train" -> "dense";
            case "set" -> "SET" + variant(m.allocation(), "er", m.cosine(), false);
            case "rigl" -> "RigL" + variant(m.allocation(), "erk", m.cosine(), true);
            case "edge-popup" -> "edge-popup" + (m.weights().equals("signed-kaiming") ? "" : " (scaled constant)");
            case "supermask" -> "learned supermask (" + (m.evaluation().equals("expected") ? "expected network"
                    : "sampled mask") + (m.weights().equals("init") ? ", initial weights" : "") + ")";
            case "bn-only" -> "BatchNorm only";
            case "supsup" -> r.branch().equals("inferred") ? "SupSup, task inferred" : "SupSup, task given";
            default -> r.round() == 0 ? roundZero(s) : r.branch().equals("main") ? mainLabel(s) : r.method();
        };
    }

    private static String variant(String allocation, String usual, boolean cosine, boolean usuallyCosine) {
        List<String> v = new ArrayList<>();
        if (!allocation.equals(usual)) {
            v.add(allocation.toUpperCase(Locale.ROOT));
        }
        if (cosine != usuallyCosine) {
            v.add(cosine ? "cosine" : "constant");
        }
        return v.isEmpty() ? "" : " (" + String.join(", ", v) + ")";
    }

    /**
     * Round 0 is the dense network, except where a regulariser trained it into its own mask or
     * an L1 penalty on BatchNorm scales (network slimming) trained it differently.
     */
    private static String roundZero(ExperimentSettings s) {
        var p = s.pruning();
        if (p != null && p.regularise() != null) {
            return p.regularise().label() + ", no fine-tuning";
        }
        if (p != null && p.scaleL1() > 0) {
            return "dense, L1 " + java.math.BigDecimal.valueOf(p.scaleL1()).stripTrailingZeros().toPlainString()
                    + " on BatchNorm scales";
        }
        return "dense";
    }

    private static String mainLabel(ExperimentSettings s) {
        var p = s.pruning();
        if (p.regularise() != null) {
            return p.regularise().label() + ", then " + p.reset();
        }
        String structure = (p.structure() == null ? "" : ", " + p.structure()) + p.variants();
        if (p.structure() == null && p.score().equals("magnitude") && p.schedule().equals("iterative")
                && p.reset().startsWith("rewind")) {
            return "lottery ticket (IMP, " + p.reset() + ")";
        }
        if (p.schedule().equals("gradual")) {
            return p.score() + " pruning, gradual" + structure;
        }
        return p.score() + "/" + p.scope() + "/" + p.schedule() + "/" + p.reset() + structure;
    }

    /**
     * What makes one network of a run what it is, seed aside: round 0 of a pruning run is the
     * dense training it shares with every pruning of those settings, and the main branch does
     * not depend on which control branches run beside it.
     */
    private static String withoutSeed(ExperimentSettings s, int round, String branch) {
        java.util.Map<String, Object> m = Json.CANONICAL.convertValue(s,
                new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() { });
        m.remove("seed");
        if (round == 0 && s.pruning() != null && s.denseRound().isPresent()) {
            m.remove("pruning");
            m.remove("kind");
        } else if (branch.equals("main") && m.get("pruning") instanceof java.util.Map<?, ?> p) {
            java.util.Map<Object, Object> copy = new LinkedHashMap<>(p);
            copy.remove("controls");
            m.put("pruning", copy);
        }
        return m.toString();
    }

    /**
     * Pools the trained networks of {@code runs}: the same experiment but for its seed, the same
     * round and branch, make one row (a SupSup run's tasks are pooled too). Round 0 of a pruning
     * run (its dense network) is left out when a plain training run of that model is there, and
     * a network several runs share (one dense round 0, one main branch beside other controls)
     * counts once.
     */
    public static List<Row> rows(List<RunResults> runs) {
        record Key(String method, String model, String experiment, int round, String branch) {
        }
        java.util.Set<String> trainedDense = new java.util.HashSet<>();
        for (RunResults run : runs) {
            if (run.settings().kind().equals("train")) {
                trainedDense.add(run.settings().model());
            }
        }
        Map<Key, List<RoundResult>> groups = new LinkedHashMap<>();
        java.util.Set<String> networks = new java.util.HashSet<>();
        for (RunResults run : runs) {
            ExperimentSettings s = run.settings();
            boolean supsup = s.kind().equals("supsup");
            for (RoundResult r : run.results()) {
                if (r.branch().equals("supermask")) {
                    continue; // untrained evaluations are not comparable to trained networks
                }
                if (r.round() == 0 && s.pruning() != null && s.denseRound().isPresent()
                        && trainedDense.contains(s.model())) {
                    continue; // the same dense network the training run has
                }
                String experiment = withoutSeed(s, r.round(), r.branch());
                if (!networks.add(experiment + "|" + s.seed() + "|" + r.round() + "|" + r.branch())) {
                    continue; // the same network, from another run that shares it: counted once
                }
                Key k = new Key(method(s, r), s.model(), experiment, supsup ? 0 : r.round(), r.branch());
                groups.computeIfAbsent(k, q -> new ArrayList<>()).add(r);
            }
        }
        // two experiments that end up with one name and density (say, two learning rates) are told apart
        Map<String, java.util.Set<String>> experiments = new LinkedHashMap<>();
        groups.keySet().forEach(k -> experiments.computeIfAbsent(k.method() + "|" + k.model() + "|" + Math.round(1000
                * groups.get(k).get(0).density()), q -> new java.util.LinkedHashSet<>()).add(k.experiment()));
        List<Row> out = new ArrayList<>();
        groups.forEach((k, rs) -> {
            double[] acc = rs.stream().mapToDouble(r -> r.earlyStop().testAccuracy()).toArray();
            double mean = java.util.Arrays.stream(acc).average().orElse(Double.NaN);
            double var = acc.length < 2 ? Double.NaN : java.util.Arrays.stream(acc).map(a -> (a - mean) * (a - mean))
                    .sum() / (acc.length - 1);
            boolean clash = experiments.get(k.method() + "|" + k.model() + "|" + Math.round(1000 * rs.get(0)
                    .density())).size() > 1;
            String name = clash ? k.method() + " [" + Integer.toHexString(k.experiment().hashCode()) + "]" : k.method();
            out.add(new Row(name, k.model(), 100 * rs.stream().mapToDouble(RoundResult::density).average()
                    .orElseThrow(), rs.size(), mean, Math.sqrt(var), rs.stream().mapToDouble(r -> r.last()
                    .testAccuracy()).average().orElseThrow(), rs.stream().mapToDouble(RoundResult::seconds).average()
                    .orElseThrow()));
        });
        out.sort(java.util.Comparator.comparing(Row::model).thenComparing(Row::method).thenComparing(Row::percentRemaining,
                java.util.Comparator.reverseOrder()));
        return out;
    }

    /** Writes the comparison of {@code runs} into {@code out}; returns the files written. */
    public static List<Path> write(List<RunResults> runs, Path out) {
        List<Row> rows = rows(runs);
        boolean models = rows.stream().map(Row::model).distinct().count() > 1;
        StringBuilder csv = new StringBuilder("method,model,percent_remaining,networks,mean_early_stop_test_accuracy,"
                + "std,ci95,mean_final_test_accuracy,mean_seconds\n");
        StringBuilder md = new StringBuilder("| method | model | weights left | networks | test accuracy at early stop | "
                + "95% interval | final test accuracy | training time |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            boolean one = Double.isNaN(r.stdAccuracy());
            csv.append(String.format(Locale.ROOT, "\"%s\",%s,%.4f,%d,%.6f,%s,%s,%.6f,%.1f%n", r.method(), r.model(),
                    r.percentRemaining(), r.networks(), r.meanAccuracy(), one ? ""
                    : String.format(Locale.ROOT, "%.6f", r.stdAccuracy()), one ? ""
                    : String.format(Locale.ROOT, "%.6f", r.ci95()), r.meanFinal(), r.meanSeconds()));
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %d | %.2f%%%s | %s | %.2f%% | %.0f s |%n",
                    r.method(), r.model(), r.percentRemaining(), r.networks(), 100 * r.meanAccuracy(), one ? ""
                    : String.format(Locale.ROOT, " ± %.2f", 100 * r.stdAccuracy()), one ? "" : String.format(
                    Locale.ROOT, "± %.2f", 100 * r.ci95()), 100 * r.meanFinal(), r.meanSeconds()));
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
                time.computeIfAbsent(name, k -> new TreeMap<>()).put(r.percentRemaining(), r.meanSeconds());
                ci.computeIfAbsent(name, k -> new TreeMap<>()).put(r.percentRemaining(), Double.isNaN(r.ci95()) ? 0
                        : 100 * r.ci95());
            }
            Path a = out.resolve("comparison.png"), t = out.resolve("comparison-time.png");
            Plots.lineAgainstWeightsRemaining(a, "test accuracy at early stopping (bands: 95% interval over seeds)",
                    "test accuracy (%)", withIntervals(series(acc), ci));
            Plots.lineAgainstWeightsRemaining(t, "training time", "seconds", series(time));
            // accuracy against what it cost, each method's points joined from dense to sparse:
            // the methods on the upper left frontier buy the most accuracy per second
            Map<String, List<Row>> byMethod = new LinkedHashMap<>();
            rows.forEach(r -> byMethod.computeIfAbsent(models ? r.model() + ": " + r.method() : r.method(),
                    k -> new ArrayList<>()).add(r));
            List<Plots.Series> pareto = new ArrayList<>();
            byMethod.forEach((n, rs) -> pareto.add(new Plots.Series(n, rs.stream().mapToDouble(Row::meanSeconds)
                    .toArray(), rs.stream().mapToDouble(r -> 100 * r.meanAccuracy()).toArray())));
            Path f = out.resolve("comparison-pareto.png");
            Plots.line(f, "test accuracy at early stopping vs training time", "training time (s)",
                    "test accuracy (%)", pareto, true);
            written.add(a);
            written.add(t);
            written.add(f);
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
