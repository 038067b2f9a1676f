package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** {@code prune --scope han}: Han et al.'s threshold rounds with their own retraining rate and budget. */
class HanPipelineCliTest {
    @TempDir
    Path dir;

    @Test
    void thresholdRoundsPruneFurtherAndRetrainOnTheirOwnBudget() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        CliRun r = CliRun.of("prune", "--scope", "han", "--han-quality", "0.8", "--rounds", "2", "--reset", "finetune",
                "--retrain-lr", "1e-4", "--retrain-iterations", "40", "--train-subset", "1200", "--validation", "300",
                "--test-subset", "512", "--iterations", "80", "--eval-every", "40", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        Path run;
        try (Stream<Path> s = Files.list(dir)) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        JsonNode settings = Json.PRETTY.readTree(run.resolve("settings.json").toFile()).get("pruning");
        assertEquals(0.8, settings.get("hanQuality").asDouble());
        assertEquals(40, settings.get("retrain").get("iterations").asLong());
        JsonNode results = Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("results");
        assertEquals(3, results.size(), results.toString());
        assertEquals(80, results.get(0).get("last").get("iteration").asLong());
        double d1 = results.get(1).get("density").asDouble(), d2 = results.get(2).get("density").asDouble();
        assertEquals(40, results.get(1).get("last").get("iteration").asLong(), "round 1 retrains for 40 iterations");
        // Gaussian-like weights lose about erf(0.8 / sqrt 2) = 58% to a 0.8-sigma threshold
        assertTrue(d1 > 0.25 && d1 < 0.6, "round 1 density " + d1);
        assertTrue(d2 < d1, "the second round re-measures and prunes further: " + d1 + " -> " + d2);
        assertTrue(results.get(1).get("method").asText().contains("han"), results.get(1).toString());
        if (org.prune4j.report.Plots.available()) {
            for (String chart : new String[] {"accuracy", "early-stop", "layers", "curves"}) {
                assertTrue(Files.exists(run.resolve(chart + ".png")) && Files.exists(run.resolve(chart + ".svg")), chart);
            }
        }
    }

    @Test
    void settingsTheThresholdWouldIgnoreAreRefused() {
        String[][] bad = {
            {"--scope", "han", "--han-quality", "0.8", "--rate", "0.2"},
            {"--han-quality", "0.8"},
            {"--scope", "han"},
            {"--scope", "han", "--han-quality", "0.8", "--score", "snip"},
            {"--retrain-iterations", "100"},
            {"--schedule", "gradual", "--retrain-lr", "1e-4"},
        };
        String[] want = {"--rate would be ignored", "pass --scope han", "pass a positive quality",
            "use --score magnitude", "only applies with --retrain-lr", "gradual schedule"};
        for (int i = 0; i < bad.length; i++) {
            String[] args = Stream.concat(Stream.of("prune"), Stream.concat(Stream.of(bad[i]),
                    Stream.of("--out", dir.toString()))).toArray(String[]::new);
            CliRun r = CliRun.of(args);
            assertEquals(1, r.code(), String.join(" ", bad[i]) + ": " + r.err());
            assertTrue(r.err().contains(want[i]), String.join(" ", bad[i]) + ": " + r.err());
        }
    }
}
