package org.prune4j.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RoundResult;

/**
 * Several runs on one chart and in one table: every trained network of every run becomes a
 * point (weights remaining, test accuracy at early stopping, training time and time per step),
 * grouped by method (what the run was, per branch) and model; runs that differ only in their
 * seed are pooled into a mean with its standard deviation (the "networks" column counts what
 * was pooled). {@link ComparisonFiles} writes the table and charts.
 */
public final class Comparison {
    private Comparison() {
    }

    /**
     * The pooled points of one method at one density. {@code setup} is what else sets a step's
     * cost: the batch size and the backend the networks trained on ("mixed" when they differ).
     * {@code inferenceMs} maps a batch size to the mean inference latency at it, in
     * milliseconds, for the batch sizes every pooled network measured ({@code --latency}).
     */
    public record Row(String method, String model, double percentRemaining, int networks, double meanAccuracy,
            double stdAccuracy, double meanFinal, double meanSeconds, double meanStepMs, String setup,
            java.util.SortedMap<Integer, Double> inferenceMs) {

        public Row {
            inferenceMs = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(inferenceMs));
        }

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
        Map<Key, java.util.Set<String>> setups = new LinkedHashMap<>();
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
                setups.computeIfAbsent(k, q -> new java.util.TreeSet<>()).add("batch " + s.batch() + " on "
                        + run.machine().getOrDefault("backend", "an unnamed backend"));
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
                    .orElseThrow(), meanStepMs(rs), setups.get(k).size() == 1 ? setups.get(k).iterator().next()
                    : "mixed", meanInferenceMs(rs)));
        });
        out.sort(java.util.Comparator.comparing(Row::model).thenComparing(Row::method).thenComparing(Row::percentRemaining,
                java.util.Comparator.reverseOrder()));
        return out;
    }

    /** Milliseconds per training step averaged over the networks, NaN unless every one recorded it. */
    private static double meanStepMs(List<RoundResult> rs) {
        double[] ms = rs.stream().mapToDouble(RoundResult::msPerStep).toArray();
        return java.util.Arrays.stream(ms).anyMatch(Double::isNaN) ? Double.NaN
                : java.util.Arrays.stream(ms).average().orElse(Double.NaN);
    }

    /** Mean inference latency per batch size, over the batch sizes every network measured. */
    private static java.util.SortedMap<Integer, Double> meanInferenceMs(List<RoundResult> rs) {
        java.util.SortedMap<Integer, Double> sum = new java.util.TreeMap<>();
        Map<Integer, Integer> count = new java.util.HashMap<>();
        for (RoundResult r : rs) {
            for (var l : r.latency() == null ? List.<org.prune4j.bench.InferenceBench.Row>of() : r.latency()) {
                sum.merge(l.batch(), l.chosenMs(), Double::sum);
                count.merge(l.batch(), 1, Integer::sum);
            }
        }
        sum.keySet().removeIf(b -> count.get(b) != rs.size());
        sum.replaceAll((b, total) -> total / rs.size());
        return sum;
    }

    /**
     * {@code rows} with their step times taken from {@code timed}: rows of other runs (short
     * ones on a quiet machine, say) of the same method and model at the same weights remaining
     * (within 0.05 points), trained at the same batch size on the same backend. A long sweep's
     * own step times are often measured on a busy machine. Method names match without the
     * "[hash]" that tells apart experiments of one name, since the runs timed briefly differ
     * from the long ones in their iterations anyway.
     *
     * @throws IllegalArgumentException naming every row that no timed row, or more than one, matches
     */
    public static List<Row> withStepTimes(List<Row> rows, List<Row> timed) {
        List<Row> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Row r : rows) {
            List<Row> t = timed.stream().filter(x -> unhashed(x.method()).equals(unhashed(r.method()))
                    && x.model().equals(r.model()) && x.setup().equals(r.setup())
                    && Math.abs(x.percentRemaining() - r.percentRemaining()) < 0.05 && !Double.isNaN(x.meanStepMs()))
                    .toList();
            String row = String.format(Locale.ROOT, "%s on %s at %.2f%% of weights (%s)", r.method(), r.model(),
                    r.percentRemaining(), r.setup());
            if (t.size() > 1) {
                throw new IllegalArgumentException("the step-time runs time " + row + " " + t.size() + " times ("
                        + t.stream().map(x -> String.format(Locale.ROOT, "%.3f ms", x.meanStepMs())).toList()
                        + "); keep one timing of each network in them");
            }
            if (t.isEmpty()) {
                missing.add(row);
            } else {
                out.add(new Row(r.method(), r.model(), r.percentRemaining(), r.networks(), r.meanAccuracy(),
                        r.stdAccuracy(), r.meanFinal(), r.meanSeconds(), t.get(0).meanStepMs(), r.setup(),
                        r.inferenceMs()));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the step-time runs have no timed network for " + String.join("; ",
                    missing) + ". Time those networks too (the same method, sparsity, batch size and backend with "
                    + "fewer iterations), or leave them out of the comparison; runs written before step times were "
                    + "recorded have none");
        }
        return out;
    }

    private static String unhashed(String method) {
        return method.replaceFirst(" \\[[0-9a-f]+\\]$", "");
    }

    /** Writes the comparison of {@code runs} into {@code out} ({@link ComparisonFiles}); returns the files written. */
    public static List<Path> write(List<RunResults> runs, Path out) {
        return ComparisonFiles.write(rows(runs), out);
    }
}
