package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.ImageData;
import org.prune4j.experiment.Json;

/** {@code --latency}: every round's inference time at batch 1 and 256 lands in results.json and .csv. */
class LatencyCliTest {
    @TempDir
    Path dir;

    @Test
    void eachRoundRecordsItsInferenceLatency() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        CliRun r = CliRun.of("prune", "--schedule", "oneshot", "--sparsity", "0.9", "--reset", "finetune", "--latency",
                "--train-subset", "600", "--validation", "200", "--test-subset", "256", "--iterations", "20",
                "--eval-every", "20", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        Path run;
        try (Stream<Path> s = Files.list(dir)) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        JsonNode results = Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("results");
        for (JsonNode round : results) {
            JsonNode lat = round.get("latency");
            assertEquals(2, lat.size(), round.toString());
            assertEquals(1, lat.get(0).get("batch").asInt());
            assertEquals(256, lat.get(1).get("batch").asInt());
            for (JsonNode b : lat) {
                assertTrue(b.get("chosenMs").asDouble() > 0 && b.get("denseMs").asDouble() > 0, b.toString());
            }
        }
        // the dense round has no mask, so nothing can run sparse there
        assertEquals("none", results.get(0).get("latency").get(0).get("sparseLayers").asText());
        List<String> csv = Files.readAllLines(run.resolve("results.csv"));
        assertTrue(csv.get(0).endsWith("latency_ms_batch_1,dense_latency_ms_batch_1,latency_ms_batch_256,"
                + "dense_latency_ms_batch_256"), csv.get(0));
        assertFalse(csv.get(1).endsWith(","), "every round has its latencies: " + csv.get(1));
    }
}
