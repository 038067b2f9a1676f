package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.ImageData;
import org.prune4j.experiment.Json;

/** {@code prune --structure}: block, N:M and channel pruning end to end, and the refusals. */
class StructuredPruningCliTest {
    @TempDir
    Path dir;

    private static final String[] SMALL = {"--train-subset", "1200", "--validation", "300", "--test-subset", "512",
        "--iterations", "80", "--eval-every", "40"};

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String[] with(String... args) {
        return Stream.concat(Stream.of(args), Stream.concat(Stream.of(SMALL), Stream.of("--out", dir.toString())))
                .toArray(String[]::new);
    }

    private Path onlyRun() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).reduce((a, b) -> {
                throw new AssertionError("more than one run: " + a + ", " + b);
            }).orElseThrow();
        }
    }

    private static void needData() {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
    }

    @Test
    void nmPrunesOnceAtItsOwnSparsityInEveryLayer() throws Exception {
        needData();
        CliRun r = run(with("prune", "--structure", "nm:2:4", "--reset", "finetune"));
        assertEquals(0, r.code(), r.err());
        Path run = onlyRun();
        JsonNode settings = Json.PRETTY.readTree(run.resolve("settings.json").toFile());
        assertEquals("nm:2:4", settings.get("pruning").get("structure").asText());
        assertEquals("oneshot", settings.get("pruning").get("schedule").asText());
        JsonNode last = Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("results");
        JsonNode pruned = last.get(last.size() - 1);
        // 784, 300 and 100 inputs are all multiples of 4: exactly half of every layer
        pruned.get("layerDensity").forEach(d -> assertEquals(0.5, d.asDouble(), 1e-12));
    }

    @Test
    void blocksAndChannelsPruneIteratively() throws Exception {
        needData();
        CliRun r = run(with("prune", "--structure", "block:4x4", "--rounds", "1", "--rate", "0.6"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("block:4x4") || r.out().contains("block:4x4"), "the label names the structure");
        JsonNode res = Json.PRETTY.readTree(onlyRun().resolve("results.json").toFile()).get("results");
        // the output layer prunes at half the rate (--output-rate-scale 0.5 is the default preset's)
        double density = res.get(res.size() - 1).get("density").asDouble();
        assertEquals(0.4, density, 0.02);
    }

    @Test
    void channelsMaskTheNextLayersInputsToo() throws Exception {
        needData();
        CliRun r = run(with("prune", "--structure", "channels", "--rounds", "1", "--rate", "0.5", "--reset",
                "finetune"));
        assertEquals(0, r.code(), r.err());
        JsonNode res = Json.PRETTY.readTree(onlyRun().resolve("results.json").toFile()).get("results");
        JsonNode layers = res.get(res.size() - 1).get("layerDensity");
        // fc1 loses half its neurons; fc2 half its neurons and the inputs from fc1's lost half
        assertEquals(0.5, layers.get("fc1.weight").asDouble(), 0.01);
        assertEquals(0.25, layers.get("fc2.weight").asDouble(), 0.01);
        assertEquals(0.5, layers.get("fc3.weight").asDouble(), 0.02);
        // round 1 trained the smaller dense network, and said so in the log and the results
        String removed = "channels removed for real: fc1 300 -> 150 neurons, fc2 100 -> 50 neurons";
        assertTrue((r.out() + r.err()).contains(removed), r.err());
        assertTrue(res.get(res.size() - 1).get("kernels").get(0).asText().startsWith(removed));
        assertTrue(res.get(res.size() - 1).get("last").get("testAccuracy").asDouble() > 0.3, "it learned");
        // 150 x 784 + 50 x 150 + 10 x 50 multiply-adds per example, recorded with the result
        assertEquals(125_600, res.get(res.size() - 1).get("cost").get("sparseMacs").asLong());
        assertEquals(266_200, res.get(res.size() - 1).get("cost").get("denseMacs").asLong());
    }

    @Test
    void networkSlimmingRanksChannelsByTheirPenalisedBatchNormScales() throws Exception {
        needData();
        CliRun r = run(with("prune", "--model", "mlp-bn", "--score", "bn-scale", "--structure", "channels",
                "--scale-l1", "1e-3", "--schedule", "oneshot", "--sparsity", "0.5", "--reset", "finetune"));
        assertEquals(0, r.code(), r.err());
        assertTrue((r.out() + r.err()).contains("fc1 300 -> 150 neurons, fc2 100 -> 50 neurons"), r.err());
        JsonNode settings = Json.PRETTY.readTree(onlyRun().resolve("settings.json").toFile());
        assertEquals(1e-3, settings.get("pruning").get("scaleL1").asDouble(), 0);
        for (String[] bad : new String[][] {{"--score", "bn-scale"}, {"--scale-l1", "1e-4", "--model", "lenet300"},
            {"--scale-l1", "-1"}}) {
            CliRun b = run(with(Stream.concat(Stream.of("prune"), Stream.of(bad))
                    .toArray(String[]::new)));
            assertNotEquals(0, b.code(), String.join(" ", bad));
            assertTrue(b.err().contains("channels") || b.err().contains("BatchNorm") || b.err().contains("scale-l1"),
                    String.join(" ", bad) + ": " + b.err());
        }
    }

    @Test
    void recipesRunThePapersSettings() throws Exception {
        needData();
        // {recipe, model, score, structure, reset, schedule, sparsity, scaleL1, controls, scope}
        String[][] expected = {{"asp", "lenet300", "magnitude", "nm:2:4", "finetune", "oneshot", "0.5", "0", "[]",
            "layerwise"}, {"slimming", "mlp-bn", "bn-scale", "channels", "finetune", "oneshot", "0.5", "1.0E-4", "[]",
                "global"}, {"rethinking", "lenet300", "magnitude", "channels", "finetune", "oneshot", "0.5", "0",
                    "[\"reinit\"]", "layerwise"}};
        for (String[] e : expected) {
            Path out = dir.resolve(e[0]);
            CliRun r = run(Stream.concat(Stream.of("prune", "--recipe", e[0]), Stream.concat(Stream.of(SMALL),
                    Stream.of("--out", out.toString()))).toArray(String[]::new));
            assertEquals(0, r.code(), e[0] + ": " + r.err());
            Path runDir;
            try (Stream<Path> s = Files.list(out)) {
                runDir = s.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            JsonNode st = Json.PRETTY.readTree(runDir.resolve("settings.json").toFile());
            JsonNode p = st.get("pruning");
            assertEquals(e[1], st.get("model").asText(), e[0]);
            assertEquals(e[2], p.get("score").asText(), e[0]);
            assertEquals(e[3], p.get("structure").asText(), e[0]);
            assertEquals(e[4], p.get("reset").asText(), e[0]);
            assertEquals(e[5], p.get("schedule").asText(), e[0]);
            assertEquals(Double.parseDouble(e[6]), p.get("sparsity").asDouble(), 0, e[0]);
            assertEquals(Double.parseDouble(e[7]), p.has("scaleL1") ? p.get("scaleL1").asDouble() : 0, 0, e[0]);
            assertEquals(e[8], p.get("controls").toString(), e[0]);
            assertEquals(e[9], p.get("scope").asText(), e[0]);
            if (e[0].equals("rethinking")) {
                // the scratch branch runs on the same kernels as the main one: said once for the round
                assertTrue(r.err().contains("round 1 main: channels removed for real"), r.err());
                assertTrue(!r.err().contains("round 1 reinit: channels removed"), r.err());
            }
        }
        CliRun clash = run(with("prune", "--recipe", "asp", "--structure", "channels"));
        assertNotEquals(0, clash.code());
        assertTrue(clash.err().contains("--recipe asp is --structure nm:2:4"), clash.err());
        CliRun spelled = run(Stream.concat(Stream.of("prune", "--recipe", "asp", "--structure", "NM:2:4"), Stream.concat(
                Stream.of(SMALL), Stream.of("--out", dir.resolve("asp2").toString()))).toArray(String[]::new));
        assertEquals(0, spelled.code(), "the structure is compared as parsed: " + spelled.err());
        CliRun unknown = run(with("prune", "--recipe", "obs"));
        assertTrue(unknown.code() != 0 && unknown.err().contains("asp, slimming, rethinking"), unknown.err());
    }

    @Test
    void badStructuresAreRefusedBeforeAnythingRuns() {
        for (String[] bad : new String[][] {{"--structure", "block:3x3"}, {"--structure", "nm:2:4", "--schedule",
            "iterative"}, {"--structure", "nm:2:4", "--sparsity", "0.9"}, {"--structure", "nm:9:10"},
            {"--structure", "diagonal"}, {"--structure", "channels", "--score", "bn-scale", "--when", "init"},
            {"--structure", "channels", "--scale-l1", "1e-4", "--schedule", "gradual"},
            {"--structure", "block:4x4", "--score-steps", "10"}, {"--structure", "nm:2:4", "--scope", "global"},
            {"--structure", "channels", "--output-rate-scale", "0.5"}}) {
            CliRun r = run(with(Stream.concat(Stream.of("prune"), Stream.of(bad)).toArray(String[]::new)));
            assertNotEquals(0, r.code());
            assertTrue(r.err().contains("block") || r.err().contains("nm:") || r.err().contains("N:M")
                    || r.err().contains("channels") || r.err().contains("--when"),
                    String.join(" ", bad) + ": " + r.err());
            assertTrue(r.err().length() < 2000 && !r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }
}
