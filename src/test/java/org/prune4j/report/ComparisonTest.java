package org.prune4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.dynamic.SparseTrainingSettings;
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.RoundResult;
import org.prune4j.train.EvalPoint;

/** Several runs pooled into one table: methods named by what they are, seeds into mean and deviation. */
class ComparisonTest {
    @TempDir
    Path dir;

    private static ExperimentSettings settings(String kind, long seed, SparseTrainingSettings m) {
        return new ExperimentSettings(kind, "lenet300", "/tmp/data", 100, 0, 0, "adam", 1e-3, 0.9, 0, "constant", 60,
                1000, 100, seed, null, m, null);
    }

    private static RoundResult result(double density, double accuracy, double seconds) {
        EvalPoint p = new EvalPoint(500, 0.1, 0.2, accuracy, 0.2, accuracy);
        return new RoundResult(0, "main", "m", Map.of(), Math.round(density * 1000), 1000, density, p, p, seconds,
                List.of(), List.of(p));
    }

    private static SparseTrainingSettings rigl(double sparsity) {
        return new SparseTrainingSettings("rigl", sparsity, "erk", 0.3, true, 100, 0.75, "", "", 0, 0);
    }

    @Test
    void seedsArePooledIntoMeanAndStandardDeviation() throws Exception {
        List<RunResults> runs = List.of(
                new RunResults(dir, settings("rigl", 1, rigl(0.9)), List.of(result(0.1, 0.80, 10)), Map.of()),
                new RunResults(dir, settings("rigl", 2, rigl(0.9)), List.of(result(0.1, 0.84, 14)), Map.of()),
                new RunResults(dir, settings("rigl", 3, rigl(0.9)), List.of(result(0.1, 0.88, 12)), Map.of()),
                new RunResults(dir, settings("rigl", 1, rigl(0.8)), List.of(result(0.2, 0.90, 20)), Map.of()),
                new RunResults(dir, settings("train", 1, null), List.of(result(1.0, 0.91, 30)), Map.of()));
        List<Comparison.Row> rows = Comparison.rows(runs);
        assertEquals(3, rows.size());
        Comparison.Row r = rows.stream().filter(x -> x.method().equals("RigL") && x.networks() == 3).findFirst()
                .orElseThrow();
        assertEquals(10.0, r.percentRemaining(), 1e-9);
        assertEquals(0.84, r.meanAccuracy(), 1e-12);
        // sample standard deviation of 0.80, 0.84, 0.88: sqrt((0.0016 + 0 + 0.0016) / 2) = 0.04
        assertEquals(0.04, r.stdAccuracy(), 1e-12);
        assertEquals(12.0, r.meanSeconds(), 1e-12);
        assertTrue(Double.isNaN(rows.stream().filter(x -> x.networks() == 1 && x.method().equals("RigL")).findFirst()
                .orElseThrow().stdAccuracy()), "one seed has no spread");
        assertEquals("dense", rows.stream().filter(x -> x.percentRemaining() == 100).findFirst().orElseThrow()
                .method());
        List<Path> files = Comparison.write(runs, dir.resolve("out"));
        if (org.prune4j.report.Plots.available()) {
            assertTrue(files.contains(dir.resolve("out/comparison-pareto.png")), files.toString());
            assertTrue(Files.size(dir.resolve("out/comparison-pareto.png")) > 1000);
        }
        String md = Files.readString(dir.resolve("out/comparison.md"));
        assertTrue(md.contains("| RigL | lenet300 | 10.0% | 3 | 84.00% ± 4.00 |"), md);
    }

    private static RoundResult round(int round, String branch, double density, double accuracy) {
        EvalPoint p = new EvalPoint(500, 0.1, 0.2, accuracy, 0.2, accuracy);
        return new RoundResult(round, branch, "m", Map.of(), Math.round(density * 1000), 1000, density, p, p, 10,
                List.of(), List.of(p));
    }

    private static ExperimentSettings pruning(double sparsity, List<String> controls, long seed) {
        return pruning(sparsity, controls, seed, 1e-3, 60, 1000);
    }

    private static ExperimentSettings pruning(double sparsity, List<String> controls, long seed, double lr, int batch,
            int iterations) {
        return new ExperimentSettings("prune", "lenet300", "/tmp/data", 100, 0, 0, "adam", lr, 0.9, 0, "constant",
                batch, iterations, 100, seed, new org.prune4j.experiment.PruningSettings("magnitude", "layerwise", 0.5,
                        "oneshot", 1, 0, sparsity, 0, 0, 0, "finetune", "trained", 1, 1, 1, controls), null, null);
    }

    @Test
    void aRound0TrainedWithAnL1PenaltyOnBatchNormScalesIsNotTheDenseNetwork() {
        var slimming = new org.prune4j.experiment.PruningSettings("bn-scale", "global", 1, "oneshot", 1, 0, 0.5, 0, 0,
                0, "finetune", "trained", 1, 1, 1, List.of(), "channels", 1e-4);
        ExperimentSettings penalised = new ExperimentSettings("prune", "lenet300", "/tmp/data", 100, 0, 0, "adam", 1e-3,
                0.9, 0, "constant", 60, 1000, 100, 1, slimming, null, null);
        List<Comparison.Row> rows = Comparison.rows(List.of(
                new RunResults(dir, pruning(0.5, List.of(), 1), List.of(round(0, "main", 1, 0.87)), Map.of()),
                new RunResults(dir, penalised, List.of(round(0, "main", 1, 0.85)), Map.of())));
        assertEquals(0.87, rows.stream().filter(r -> r.method().equals("dense")).findFirst().orElseThrow()
                .meanAccuracy(), 1e-12, "the penalised round 0 is not pooled with the dense one: " + rows);
        assertTrue(rows.stream().anyMatch(r -> r.method().equals("dense, L1 0.0001 on BatchNorm scales")
                && r.meanAccuracy() == 0.85), rows.toString());
    }

    @Test
    void aNetworkSeveralRunsShareCountsOnce() {
        // three prunings of one dense training (seed 1), one of them with a control beside its main
        // branch, and a second seed: the dense round 0 is two networks, not four; the 50% main
        // branch is one network, whatever controls ran beside it
        List<RunResults> runs = List.of(
                new RunResults(dir, pruning(0.5, List.of(), 1), List.of(round(0, "main", 1, 0.87),
                        round(1, "main", 0.5, 0.88)), Map.of()),
                new RunResults(dir, pruning(0.5, List.of("reinit"), 1), List.of(round(0, "main", 1, 0.87),
                        round(1, "main", 0.5, 0.88), round(1, "reinit", 0.5, 0.86)), Map.of()),
                new RunResults(dir, pruning(0.9, List.of(), 1), List.of(round(0, "main", 1, 0.87),
                        round(1, "main", 0.1, 0.85)), Map.of()),
                new RunResults(dir, pruning(0.9, List.of(), 2), List.of(round(0, "main", 1, 0.89),
                        round(1, "main", 0.1, 0.83)), Map.of()));
        List<Comparison.Row> rows = Comparison.rows(runs);
        Comparison.Row dense = rows.stream().filter(r -> r.method().equals("dense")).findFirst().orElseThrow();
        assertEquals(2, dense.networks(), rows.toString());
        assertEquals(0.88, dense.meanAccuracy(), 1e-12);
        assertEquals(1, rows.stream().filter(r -> r.method().equals("dense")).count(), rows.toString());
        Comparison.Row half = rows.stream().filter(r -> r.percentRemaining() == 50 && !r.method().contains("reinit"))
                .findFirst().orElseThrow();
        assertEquals(1, half.networks(), rows.toString());
        assertTrue(!half.method().contains("["), "no experiment hash in the name: " + half.method());
        assertEquals(2, rows.stream().filter(r -> r.percentRemaining() == 10).findFirst().orElseThrow().networks());
    }

    @Test
    void onlyRepeatsArePooledAndVariantsKeepTheirNames() {
        SparseTrainingSettings plain = new SparseTrainingSettings("edge-popup", 0.9, "", 0, false, 0, 0,
                "signed-kaiming", "", 0, 0);
        SparseTrainingSettings scaled = new SparseTrainingSettings("edge-popup", 0.9, "", 0, false, 0, 0,
                "scaled-signed-kaiming", "", 0, 0);
        ExperimentSettings fewer = new ExperimentSettings("rigl", "lenet300", "/tmp/data", 100, 0, 0, "adam", 1e-3, 0.9,
                0, "constant", 60, 500, 100, 1, null, rigl(0.9), null);
        List<Comparison.Row> rows = Comparison.rows(List.of(
                new RunResults(dir, settings("edge-popup", 1, plain), List.of(result(0.1, 0.80, 10)), Map.of()),
                new RunResults(dir, settings("edge-popup", 1, scaled), List.of(result(0.1, 0.82, 10)), Map.of()),
                new RunResults(dir, settings("rigl", 1, rigl(0.9)), List.of(result(0.1, 0.84, 10)), Map.of()),
                new RunResults(dir, fewer, List.of(result(0.1, 0.70, 5)), Map.of())));
        assertEquals(4, rows.size(), rows.toString());
        assertTrue(rows.stream().allMatch(r -> r.networks() == 1), "nothing here is a repeat: " + rows);
        assertTrue(rows.stream().anyMatch(r -> r.method().equals("edge-popup")));
        assertTrue(rows.stream().anyMatch(r -> r.method().equals("edge-popup (scaled constant)")));
        assertEquals(2, rows.stream().filter(r -> r.method().startsWith("RigL [")).count(),
                "two RigL experiments with one name are told apart: " + rows);
    }

    private static RoundResult timed(int round, double density, double accuracy, double stepSeconds) {
        EvalPoint p = new EvalPoint(200, 0.1, 0.2, accuracy, 0.2, accuracy);
        return new RoundResult(round, "main", "m", Map.of(), Math.round(density * 1000), 1000, density, p, p, 60,
                List.of(), List.of(p), null, null, stepSeconds);
    }

    @Test
    void stepTimesComeFromTheMatchingNetworksOfTheTimingRuns() throws Exception {
        // a long sweep (no step times recorded; two learning rates at 90%, so those rows carry a
        // hash) and short timing runs of the same prunings: fewer iterations, one learning rate
        Map<String, Object> cpu = Map.of("backend", "cpu");
        List<RunResults> sweep = List.of(
                new RunResults(dir, pruning(0.5, List.of(), 1), List.of(round(0, "main", 1, 0.87),
                        round(1, "main", 0.5, 0.88)), cpu),
                new RunResults(dir, pruning(0.9, List.of(), 1), List.of(round(0, "main", 1, 0.87),
                        round(1, "main", 0.1, 0.85)), cpu),
                new RunResults(dir, pruning(0.9, List.of(), 1, 2e-3, 60, 1000), List.of(round(1, "main", 0.1, 0.83)),
                        cpu));
        List<RunResults> timing = List.of(
                new RunResults(dir, pruning(0.5, List.of(), 1, 1e-3, 60, 200), List.of(timed(0, 1, 0.5, 0.4),
                        timed(1, 0.5, 0.5, 0.3)), cpu),
                new RunResults(dir, pruning(0.9, List.of(), 1, 1e-3, 60, 200), List.of(timed(0, 1, 0.5, 0.4),
                        timed(1, 0.1, 0.5, 0.1)), cpu));
        List<Comparison.Row> sweepRows = Comparison.rows(sweep);
        assertEquals(2, sweepRows.stream().filter(r -> r.method().contains(" [")).count(), sweepRows.toString());
        assertTrue(sweepRows.stream().allMatch(r -> Double.isNaN(r.meanStepMs())), "results without step times have none");
        List<Comparison.Row> rows = Comparison.withStepTimes(sweepRows, Comparison.rows(timing));
        // 200 iterations: 0.4 s is 2 ms a step, 0.3 s 1.5 ms, 0.1 s 0.5 ms; accuracy stays the sweep's
        assertEquals(List.of(2.0, 1.5, 0.5, 0.5), rows.stream().map(Comparison.Row::meanStepMs).toList(),
                rows.toString());
        assertEquals(java.util.Set.of(0.87, 0.88, 0.85, 0.83), rows.stream().map(Comparison.Row::meanAccuracy)
                .collect(java.util.stream.Collectors.toSet()));
        ComparisonFiles.write(rows, dir);
        String md = Files.readString(dir.resolve("comparison.md"));
        assertTrue(md.contains("| ms per training step |") && md.contains("| 10.0% | 1 | 85.00% |  | 85.00% | 10 s | "
                + "0.500 |"), md);

        IllegalArgumentException missing = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Comparison.withStepTimes(sweepRows, Comparison.rows(
                        List.of(timing.get(0)))));
        assertTrue(missing.getMessage().contains("at 10.00% of weights (batch 60 on cpu)")
                && !missing.getMessage().contains("at 50.00%"), missing.getMessage());
        List<RunResults> otherBatch = List.of(new RunResults(dir, pruning(0.5, List.of(), 1, 1e-3, 30, 200),
                List.of(timed(0, 1, 0.5, 0.4), timed(1, 0.5, 0.5, 0.3)), cpu), timing.get(1));
        IllegalArgumentException batch = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Comparison.withStepTimes(sweepRows, Comparison.rows(otherBatch)));
        assertTrue(batch.getMessage().contains("at 50.00% of weights (batch 60 on cpu)"), batch.getMessage());
    }

    private static RoundResult measured(double density, double accuracy, double... batchAndMs) {
        EvalPoint p = new EvalPoint(1000, 0.1, 0.2, accuracy, 0.2, accuracy);
        List<org.prune4j.bench.InferenceBench.Row> latency = new java.util.ArrayList<>();
        for (int i = 0; i < batchAndMs.length; i += 2) {
            latency.add(new org.prune4j.bench.InferenceBench.Row((int) batchAndMs[i], 99, batchAndMs[i + 1], "none"));
        }
        return new RoundResult(1, "main", "m", Map.of(), Math.round(density * 1000), 1000, density, p, p, 60,
                List.of(), List.of(p), null, latency, 6.0);
    }

    @Test
    void inferenceLatencyIsPooledOverTheBatchSizesEveryNetworkMeasured() throws Exception {
        // seeds 1 and 2 at 50% measured batch 1 and 256, seed 3 only batch 1; 90% measured both once.
        // The row keeps the latency of the pruned network as run (chosen), not the dense figure (99)
        List<RunResults> runs = List.of(
                new RunResults(dir, pruning(0.5, List.of(), 1), List.of(measured(0.5, 0.8, 1, 2.0, 256, 100)), Map.of()),
                new RunResults(dir, pruning(0.5, List.of(), 2), List.of(measured(0.5, 0.8, 1, 3.0, 256, 120)), Map.of()),
                new RunResults(dir, pruning(0.5, List.of(), 3), List.of(measured(0.5, 0.8, 1, 4.0)), Map.of()),
                new RunResults(dir, pruning(0.9, List.of(), 1), List.of(measured(0.1, 0.7, 1, 1.5, 256, 40)), Map.of()));
        List<Comparison.Row> rows = Comparison.rows(runs);
        Comparison.Row half = rows.stream().filter(r -> r.percentRemaining() == 50).findFirst().orElseThrow();
        assertEquals(3, half.networks());
        assertEquals(new java.util.TreeMap<>(Map.of(1, 3.0)), half.inferenceMs(), "(2 + 3 + 4) / 3 at batch 1; "
                + "batch 256 was not measured by every seed");
        Comparison.Row tenth = rows.stream().filter(r -> r.percentRemaining() == 10).findFirst().orElseThrow();
        assertEquals(new java.util.TreeMap<>(Map.of(1, 1.5, 256, 40.0)), tenth.inferenceMs());
        // 6 s in steps over the 1000 iterations up to the last evaluation: 6 ms a step
        assertEquals(6.0, tenth.meanStepMs(), 1e-12);

        List<Path> files = ComparisonFiles.write(rows, dir);
        String md = Files.readString(dir.resolve("comparison.md"));
        assertTrue(md.contains("| ms per training step | inference, batch 1 (ms) | inference, batch 256 (ms) |"), md);
        assertTrue(md.contains("| 10.0% | 1 | 70.00% |  | 70.00% | 60 s | 6.00 | 1.50 | 40.0 |"), md);
        assertTrue(md.contains("| 50.0% | 3 | 80.00% ± 0.00 | ± 0.00 | 80.00% | 60 s | 6.00 | 3.00 |  |"), md);
        List<String> csv = Files.readAllLines(dir.resolve("comparison.csv"));
        assertTrue(csv.get(0).endsWith(",mean_ms_per_step,inference_ms_batch_1,inference_ms_batch_256"), csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.endsWith(",6.0000,1.5000,40.0000")), csv.toString());
        if (Plots.available()) {
            // batch 1 is the only one every row has, so that is the batch the chart shows
            assertTrue(files.contains(dir.resolve("comparison-inference.png")), files.toString());
        }
    }
}
