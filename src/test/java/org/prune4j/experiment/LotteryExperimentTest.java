package org.prune4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.prune4j.data.ImageData;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.train.Progress;

/**
 * The lottery-ticket pipeline at CI size on real Fashion-MNIST: 3000 training images, 300
 * Adam steps per round, two rounds at 50%, both controls, then a run killed in its last round
 * and resumed.
 */
class LotteryExperimentTest {
    @TempDir
    static Path root;

    static ExperimentSettings settings;
    static ExperimentRunner.Outcome straight;
    static final List<String> log = new ArrayList<>();
    static final Backend backend = new CpuBackend(CpuBackend.bestGemm());

    @BeforeAll
    static void runOnce() {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed at "
                + ImageData.FASHION_MNIST + " (apt-get install dataset-fashion-mnist; ci/setup does it)");
        PruningSettings p = new PruningSettings("magnitude", "layerwise", 0.5, "iterative", 2, 0.5, 0.9, 0, 0, 1,
                "rewind", "trained", 1, 1, 100, List.of("reinit", "random", "supermask"));
        settings = new ExperimentSettings("lottery", "lenet300", ImageData.FASHION_MNIST.toString(), 1000, 3000, 2000,
                "adam", 1.2e-3, 0.9, 0, "constant", 60, 300, 100, 11, p, null, null);
        straight = new ExperimentRunner(backend, new KernelPolicy(0.3, "test"), Progress.NONE, log::add)
                .run(settings, root.resolve("a"), false);
    }

    @Test
    void everyRoundAndBranchTrainsToAStatedAccuracy() {
        List<RoundResult> r = straight.results();
        assertEquals(1 + 2 * 4, r.size(), "round 0, then main + three controls in rounds 1 and 2");
        for (RoundResult x : r) {
            if (x.branch().equals("supermask")) {
                // untrained signed-constant network under the mask: above chance (10%) is all we claim
                assertEquals(0, x.earlyStop().iteration());
                continue;
            }
            // 300 Adam steps of LeNet-300-100 on Fashion-MNIST reach about 80%; chance is 10%.
            assertTrue(x.earlyStop().testAccuracy() > 0.70, x.round() + " " + x.branch() + ": "
                    + x.earlyStop().testAccuracy());
        }
        RoundResult r2 = r.stream().filter(x -> x.round() == 2 && x.branch().equals("main")).findFirst().orElseThrow();
        // hidden layers keep 0.5^2 = 25%, the output layer 0.75^2 = 56.25%
        assertEquals(0.25, r2.layerDensity().get("fc1.weight"), 1e-3);
        assertEquals(0.25, r2.layerDensity().get("fc2.weight"), 1e-3);
        assertEquals(0.5625, r2.layerDensity().get("fc3.weight"), 1e-3);
        RoundResult random = r.stream().filter(x -> x.round() == 2 && x.branch().equals("random")).findFirst()
                .orElseThrow();
        assertEquals(r2.weightsRemaining(), random.weightsRemaining(), "random pruning keeps the same counts");
    }

    @Test
    void kernelChoiceFollowsThePolicyAndIsLogged() {
        RoundResult r2 = straight.results().stream().filter(x -> x.round() == 2 && x.branch().equals("main"))
                .findFirst().orElseThrow();
        assertTrue(r2.kernels().get(0).contains("fc1.weight: density 0.2500 -> CSR SpMM"), r2.kernels().get(0));
        assertTrue(r2.kernels().get(2).contains("masked dense GEMM"), r2.kernels().get(2));
        assertTrue(log.stream().anyMatch(l -> l.contains("round 2 main: fc1.weight") && l.contains("CSR")));
    }

    @Test
    void filesAgreeWithTheResults() throws IOException {
        Path dir = straight.dir();
        for (String f : new String[] {"settings.json", "results.json", "results.csv", "accuracy.png", "curves.png",
            "init.ckpt", "round-00/main.ckpt", "round-02/random.json"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        JsonNode json = Json.PRETTY.readTree(dir.resolve("results.json").toFile());
        assertEquals(straight.results().size(), json.get("results").size());
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(straight.results().size() + 1, csv.size());
        assertTrue(dir.getFileName().toString().startsWith("lottery-lenet300-" + settings.hash()));
    }

    @Test
    void aFinishedRunExtendsWithMoreRounds() throws Exception {
        Path copy = root.resolve("extend");
        copyTree(straight.dir(), copy.resolve(straight.dir().getFileName()));
        ExperimentSettings more = settings.withRounds(3);
        assertEquals(settings.hash(), more.hash(), "the round count is not part of the run's identity");
        ExperimentRunner.Outcome o = new ExperimentRunner(backend, new KernelPolicy(0.3, "test"), Progress.NONE,
                s -> { }).run(more, copy, true);
        assertEquals(1 + 3 * 4, o.results().size());
        for (int i = 0; i < straight.results().size(); i++) {
            assertEquals(straight.results().get(i).curve(), o.results().get(i).curve(), "finished rounds are reused");
        }
        RoundResult r3 = o.results().stream().filter(x -> x.round() == 3 && x.branch().equals("main")).findFirst()
                .orElseThrow();
        assertEquals(0.125, r3.layerDensity().get("fc1.weight"), 1e-3);
        assertEquals(3, Json.PRETTY.readTree(o.dir().resolve("settings.json").toFile()).get("pruning").get("rounds")
                .asInt());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void aKilledRunResumesToTheSameResults() {
        Progress killer = new Progress() {
            String task;

            public void start(String t, long total) {
                task = t;
            }

            public void step(long done, String message) {
                if (task.startsWith("round 2 main") && done >= 200) {
                    throw new IllegalStateException("simulated kill");
                }
            }

            public void close() {
            }
        };
        Path b = root.resolve("b");
        ExperimentRunner runner = new ExperimentRunner(backend, new KernelPolicy(0.3, "test"), killer, s -> { });
        assertThrows(IllegalStateException.class, () -> runner.run(settings, b, false));
        String again = assertThrows(IllegalStateException.class, () -> new ExperimentRunner(backend,
                new KernelPolicy(0.3, "test"), Progress.NONE, s -> { }).run(settings, b, false)).getMessage();
        assertTrue(again.contains("--resume"), again);
        ExperimentRunner.Outcome resumed = new ExperimentRunner(backend, new KernelPolicy(0.3, "test"), Progress.NONE,
                s -> { }).run(settings, b, true);
        assertEquals(straight.results().size(), resumed.results().size());
        for (int i = 0; i < resumed.results().size(); i++) {
            RoundResult x = straight.results().get(i), y = resumed.results().get(i);
            assertEquals(x.round() + x.branch(), y.round() + y.branch());
            assertEquals(x.curve(), y.curve(), "same seed, same curve: " + x.round() + " " + x.branch());
        }
    }
}
