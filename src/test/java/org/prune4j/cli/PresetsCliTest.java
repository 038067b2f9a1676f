package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.experiment.Json;
import org.prune4j.testing.TinyCifar;

/** The CIFAR lottery-ticket presets: their protocol lands in the settings, and the per-kind pruning rates hold. */
class PresetsCliTest {
    @TempDir
    Path dir;

    @Test
    void aCifarPresetWithoutDataSaysWhereToGetIt() {
        CliRun r = CliRun.of("lottery", "--preset", "resnet20-lth", "--out", dir.resolve("runs").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("runs on CIFAR-10") && r.err().contains("cifar.html"), r.err());
        assertTrue(!Files.exists(dir.resolve("runs")), "nothing created");
        CliRun none = CliRun.of("lottery");
        assertTrue(none.err().contains("conv6-lth") && none.err().contains("resnet20-lth"), none.err());
        CliRun channels = CliRun.of("prune", "--model", "resnet20", "--structure", "channels", "--schedule", "oneshot",
                "--sparsity", "0.5", "--out", dir.resolve("runs").toString());
        assertTrue(channels.err().contains("residual block") && channels.err().contains("nm:2:4"), channels.err());
        CliRun zero = CliRun.of("prune", "--conv-rate-scale", "0", "--out", dir.resolve("runs").toString());
        assertTrue(zero.err().contains("(0, 1]"), zero.err());
        assertTrue(!Files.exists(dir.resolve("runs")), "nothing created");
    }

    @Test
    void conv4PrunesItsConvolutionsAtHalfTheRate() throws Exception {
        TinyCifar.write(dir.resolve("c"), 5, 6, 10, 5);
        Path out = dir.resolve("runs");
        CliRun r = CliRun.of("lottery", "--preset", "conv4-lth", "--data", dir.resolve("c").toString(), "--validation",
                "10", "--batch", "10", "--iterations", "2", "--eval-every", "2", "--rounds", "1", "--controls",
                "supermask", "--sparse-below", "0.5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path run;
        try (Stream<Path> s = Files.list(out)) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        JsonNode settings = Json.PRETTY.readTree(run.resolve("settings.json").toFile());
        assertEquals(3e-4, settings.get("learningRate").asDouble(), 1e-12);
        assertEquals(0.5, settings.get("pruning").get("convRateScale").asDouble(), 1e-12);
        JsonNode res = Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("results");
        JsonNode pruned = null;
        for (JsonNode n : res) {
            if (n.get("round").asInt() == 1 && n.get("branch").asText().equals("main")) {
                pruned = n;
            }
        }
        // Frankle & Carbin: 10% of each convolution, 20% of each hidden fully connected layer, 10% of the output
        JsonNode d = pruned.get("layerDensity");
        for (String conv : new String[] {"conv1.weight", "conv2.weight", "conv3.weight", "conv4.weight"}) {
            assertEquals(0.9, d.get(conv).asDouble(), 0.002, conv);
        }
        assertEquals(0.8, d.get("fc1.weight").asDouble(), 0.002);
        assertEquals(0.8, d.get("fc2.weight").asDouble(), 0.002);
        assertEquals(0.9, d.get("fc3.weight").asDouble(), 0.01);
    }
}
