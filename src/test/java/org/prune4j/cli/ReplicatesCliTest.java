package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/** {@code --seeds}: one resumable run per seed, then their mean, deviation and 95% interval. */
class ReplicatesCliTest {
    @TempDir
    Path dir;

    private CliRun run(String... args) {
        return CliRun.of(Stream.concat(Stream.of(args), Stream.of("--train-subset", "600", "--validation", "200",
                "--test-subset", "300", "--iterations", "40", "--eval-every", "20", "--out", dir.toString()))
                .toArray(String[]::new));
    }

    @Test
    void threeSeedsThreeRunsAndTheirStatistics() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        CliRun r = run("train", "--seeds", "3");
        assertEquals(0, r.code(), r.err());
        List<Path> runs;
        try (Stream<Path> s = Files.list(dir)) {
            runs = s.filter(p -> Files.exists(p.resolve("results.json"))).sorted().toList();
        }
        assertEquals(3, runs.size(), runs.toString());
        double[] acc = new double[3];
        for (int i = 0; i < 3; i++) {
            JsonNode settings = Json.PRETTY.readTree(runs.get(i).resolve("settings.json").toFile());
            JsonNode res = Json.PRETTY.readTree(runs.get(i).resolve("results.json").toFile()).get("results");
            acc[i] = res.get(0).get("earlyStop").get("testAccuracy").asDouble();
            assertTrue(List.of(1L, 2L, 3L).contains(settings.get("seed").asLong()));
        }
        // by hand: mean, sample deviation, and t(0.975, 2 degrees of freedom) = 4.303
        double mean = (acc[0] + acc[1] + acc[2]) / 3;
        double sd = Math.sqrt(((acc[0] - mean) * (acc[0] - mean) + (acc[1] - mean) * (acc[1] - mean)
                + (acc[2] - mean) * (acc[2] - mean)) / 2);
        Path summary;
        try (Stream<Path> s = Files.list(dir)) {
            summary = s.filter(p -> p.getFileName().toString().endsWith("-seeds")).findFirst().orElseThrow();
        }
        String[] row = Files.readAllLines(summary.resolve("comparison.csv")).get(1).split(",");
        assertEquals(3, Integer.parseInt(row[3]));
        assertEquals(mean, Double.parseDouble(row[4]), 1e-6);
        assertEquals(sd, Double.parseDouble(row[5]), 1e-6);
        assertEquals(4.303 * sd / Math.sqrt(3), Double.parseDouble(row[6]), 1e-6);
        assertTrue(r.out().contains("95% int"), r.out());
        // a second call resumes all three and retrains nothing: every checkpoint stays as written
        List<Long> written = new java.util.ArrayList<>();
        for (Path p : runs) {
            written.add(lastWrite(p));
        }
        CliRun again = run("train", "--seeds", "3", "--resume");
        assertEquals(0, again.code(), again.err());
        for (int i = 0; i < 3; i++) {
            assertEquals(written.get(i), lastWrite(runs.get(i)), "retrained " + runs.get(i));
        }
    }

    /** The newest modification time of a run's checkpoints. */
    private static long lastWrite(Path run) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(run)) {
            return s.filter(p -> p.toString().endsWith(".ckpt")).mapToLong(p -> p.toFile().lastModified()).max()
                    .orElseThrow();
        }
    }

    @Test
    void seedOptionsThatContradictAreRefused() {
        for (String[] bad : new String[][] {{"--seed", "2", "--seeds", "3"}, {"--seeds", "1"}, {"--seeds", "4,4"}}) {
            CliRun r = run(Stream.concat(Stream.of("train"), Stream.of(bad)).toArray(String[]::new));
            assertNotEquals(0, r.code(), String.join(" ", bad));
            assertTrue(r.err().contains("--seeds"), r.err());
        }
    }
}
