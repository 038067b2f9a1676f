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

/** {@code prune --distill}: the pruned rounds train as students of the dense round 0, end to end. */
class DistillationCliTest {
    @TempDir
    Path dir;

    private static final String[] SMALL = {"--train-subset", "1200", "--validation", "300", "--test-subset", "512",
        "--iterations", "80", "--eval-every", "40", "--schedule", "oneshot", "--sparsity", "0.8", "--reset",
        "finetune"};

    private JsonNode round1(Path out, String... extra) throws Exception {
        String[] args = Stream.concat(Stream.of("prune"), Stream.concat(Stream.of(SMALL),
                Stream.concat(Stream.of(extra), Stream.of("--out", out.toString())))).toArray(String[]::new);
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> s = Files.list(out)) {
            Path run = s.filter(Files::isDirectory).findFirst().orElseThrow();
            JsonNode results = Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("results");
            return results.get(results.size() - 1);
        }
    }

    @Test
    void prunedRoundsLearnFromTheDenseRound() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        JsonNode plain = round1(dir.resolve("plain"));
        JsonNode distilled = round1(dir.resolve("distilled"), "--distill", "4", "--distill-weight", "1");
        assertTrue(distilled.get("method").asText().contains("distilled (T 4.0, soft 1.0)"), distilled.toString());
        assertTrue(!plain.get("method").asText().contains("distilled"), plain.toString());
        // Same data, seed and mask: only the objective differs, so the training loss does too.
        assertNotEquals(plain.get("last").get("trainLoss").asDouble(), distilled.get("last").get("trainLoss").asDouble());
        assertTrue(distilled.get("last").get("testAccuracy").asDouble() > 0.3, distilled.toString());
    }

    @Test
    void distillationOptionsAreChecked() {
        CliRun r = CliRun.of("prune", "--distill-weight", "0.5", "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--distill-weight only applies with --distill"), r.err());
        r = CliRun.of("prune", "--distill", "0", "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("positive, finite temperature"), r.err());
        r = CliRun.of("prune", "--distill", "4", "--distill-weight", "1.5", "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("in [0, 1]"), r.err());
    }
}
