package org.prune4j.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.testing.TinyData;
import org.prune4j.train.Progress;

/**
 * A run takes round 0 from a sibling that trained the same dense network, and what it ends with
 * is exactly what training that round itself gives: the reference is the same run alone in a
 * folder of its own.
 */
class DenseRoundSharingTest {
    @TempDir
    static Path tmp;

    static Path data;
    static final Backend BACKEND = new CpuBackend(CpuBackend.bestGemm());
    static final KernelPolicy POLICY = new KernelPolicy(0.3, "test");

    @BeforeAll
    static void data() throws IOException {
        data = TinyData.write(tmp.resolve("data"), 600, 10, 3);
    }

    static ExperimentSettings prune(double sparsity, String reset, double lr) {
        PruningSettings p = new PruningSettings("magnitude", "layerwise", 0.5, "oneshot", 1, 0, sparsity, 0, 0, 0,
                reset, "trained", 1, 1, 50, List.of());
        return new ExperimentSettings("prune", "lenet300", data.toString(), 100, 0, 0, "adam", lr, 0.9, 0,
                "constant", 20, 60, 30, 4, p, null, null);
    }

    static ExperimentRunner.Outcome run(ExperimentSettings s, Path root, KernelPolicy policy, List<String> log) {
        return new ExperimentRunner(BACKEND, policy, Progress.NONE, log::add).run(s, root, false);
    }

    static boolean reused(List<String> log) {
        return log.stream().anyMatch(l -> l.contains("reused rather than trained again"));
    }

    @Test
    void aSweepTrainsItsDenseNetworkOnceAndEndsWhereTrainingItAgainWould() throws IOException {
        Path sweep = tmp.resolve("sweep");
        List<String> first = new ArrayList<>(), second = new ArrayList<>(), alone = new ArrayList<>();
        run(prune(0.5, "finetune", 2e-3), sweep, POLICY, first);
        assertFalse(reused(first), "the first run of a sweep has no one to take round 0 from");

        // rewinding to iteration 0 needs the rewind point a trained round 0 would have saved
        ExperimentSettings s = prune(0.8, "rewind:0", 2e-3);
        ExperimentRunner.Outcome shared = run(s, sweep, POLICY, second);
        assertTrue(reused(second), String.join("\n", second));
        ExperimentRunner.Outcome own = run(s, tmp.resolve("alone"), POLICY, alone);
        assertFalse(reused(alone));

        assertEquals(own.results().size(), shared.results().size());
        for (int i = 0; i < own.results().size(); i++) {
            RoundResult a = own.results().get(i), b = shared.results().get(i);
            assertEquals(a.round() + a.branch() + a.method(), b.round() + b.branch() + b.method());
            assertEquals(a.curve(), b.curve(), "round " + a.round());
            assertEquals(a.earlyStop(), b.earlyStop());
            assertEquals(a.layerDensity(), b.layerDensity());
        }
        for (String f : List.of("init.ckpt", "rewind.ckpt", "round-00/main.ckpt", "round-01/main.ckpt")) {
            assertArrayEquals(Files.readAllBytes(own.dir().resolve(f)), Files.readAllBytes(shared.dir().resolve(f)), f);
        }
        String results = Files.readString(shared.dir().resolve("results.json"));
        assertTrue(results.contains("reused from prune-lenet300-"), "the report says where round 0 came from");
        new ExperimentRunner(BACKEND, POLICY, Progress.NONE, l -> { }).run(s, sweep, true);
        assertTrue(Files.readString(shared.dir().resolve("results.json")).contains("reused from prune-lenet300-"),
                "and still says so after a resume");
        assertFalse(Files.readString(own.dir().resolve("results.json")).contains("reused from"));
    }

    @Test
    void anotherTrainingOrAnotherSetupIsNotReused() throws IOException {
        Path sweep = tmp.resolve("setups");
        run(prune(0.5, "finetune", 2e-3), sweep, POLICY, new ArrayList<>());

        List<String> otherRate = new ArrayList<>();
        run(prune(0.5, "finetune", 3e-3), sweep, POLICY, otherRate);
        assertFalse(reused(otherRate), "a different learning rate trains a different dense network");

        List<String> lateRewind = new ArrayList<>();
        ExperimentRunner.Outcome late = run(prune(0.6, "rewind:10", 2e-3), sweep, POLICY, lateRewind);
        assertFalse(reused(lateRewind), "only training round 0 saves the weights of iteration 10");
        assertTrue(Files.exists(late.dir().resolve("rewind.ckpt")));

        List<String> otherKernels = new ArrayList<>();
        run(prune(0.7, "finetune", 2e-3), sweep, new KernelPolicy(0.9, "test"), otherKernels);
        assertFalse(reused(otherKernels));
        assertTrue(otherKernels.stream().anyMatch(l -> l.contains("is not reused (another setup")),
                String.join("\n", otherKernels));
    }

    @Test
    void aLenderOnAnotherBackendIsNotReused() throws IOException {
        Path sweep = tmp.resolve("backends");
        ExperimentRunner.Outcome lender = run(prune(0.5, "finetune", 2e-3), sweep, POLICY, new ArrayList<>());
        Path results = lender.dir().resolve("results.json");
        String described = BACKEND.description();
        Files.writeString(results, Files.readString(results).replace(described, "cpu (another GEMM library)"));
        List<String> log = new ArrayList<>();
        run(prune(0.7, "finetune", 2e-3), sweep, POLICY, log);
        assertFalse(reused(log));
        assertTrue(log.stream().anyMatch(l -> l.contains("it ran on cpu (another GEMM library), this run on "
                + described)), String.join("\n", log));
    }

    @Test
    void onlyWhatRound0TrainsOnNamesTheDenseRound() {
        String base = prune(0.5, "finetune", 2e-3).denseRound().orElseThrow().canonicalJson();
        assertEquals(base, prune(0.9, "rewind", 2e-3).denseRound().orElseThrow().canonicalJson(),
                "sparsity and reset act from round 1");
        ExperimentSettings train = new ExperimentSettings("train", "lenet300", data.toString(), 100, 0, 0, "adam", 2e-3,
                0.9, 0, "constant", 20, 60, 30, 4, null, null, null);
        assertEquals(base, train.denseRound().orElseThrow().canonicalJson(), "a plain training run is a dense round");
        assertNotEquals(base, prune(0.5, "finetune", 1e-3).denseRound().orElseThrow().canonicalJson());
        assertNotEquals(base, prune(0.5, "finetune", 2e-3).withSeed(5).denseRound().orElseThrow().canonicalJson());

        PruningSettings slimming = new PruningSettings("bn-scale", "global", 1, "oneshot", 1, 0, 0.5, 0, 0, 0,
                "finetune", "trained", 1, 1, 50, List.of(), "channels", 1e-4);
        ExperimentSettings penalised = new ExperimentSettings("prune", "mlp-bn", data.toString(), 100, 0, 0, "adam",
                2e-3, 0.9, 0, "constant", 20, 60, 30, 4, slimming, null, null);
        assertTrue(penalised.denseRound().isEmpty(), "an L1 penalty on BatchNorm scales trains round 0 differently");
    }

    @Test
    void aRunMeasuringLatencyTakesRound0OnlyWithItsLatencyAtTheSameBatches() throws IOException {
        Path sweep = tmp.resolve("latency");
        run(prune(0.5, "finetune", 2e-3), sweep, POLICY, new ArrayList<>());
        List<String> unmeasured = new ArrayList<>();
        new ExperimentRunner(BACKEND, POLICY, Progress.NONE, unmeasured::add).latency(1, 20)
                .run(prune(0.6, "finetune", 2e-3), sweep, false);
        assertFalse(reused(unmeasured), "the lender measured no latency");
        assertTrue(unmeasured.stream().anyMatch(l -> l.contains("measured its inference latency at batches [], not "
                + "[1, 20]; not reused")), String.join("\n", unmeasured));

        // now a run that measured batches 1 and 20 is there to lend round 0, latency and all
        List<String> measured = new ArrayList<>();
        ExperimentRunner.Outcome o = new ExperimentRunner(BACKEND, POLICY, Progress.NONE, measured::add)
                .latency(1, 20).run(prune(0.7, "finetune", 2e-3), sweep, false);
        assertTrue(reused(measured), String.join("\n", measured));
        RoundResult dense = o.results().get(0);
        assertEquals(List.of(1, 20), dense.latency().stream().map(org.prune4j.bench.InferenceBench.Row::batch)
                .toList(), "round 0 keeps the lender's measurement");
        assertTrue(o.results().get(1).latency() != null, "round 1 measures its own");
    }
}
