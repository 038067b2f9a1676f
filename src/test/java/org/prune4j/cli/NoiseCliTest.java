package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.ImageData;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RoundResult;

/**
 * {@code noise} end to end: a k-winners network trained from the command line, then measured;
 * with no noise its accuracy is the one its run recorded for the checkpoint it left. And the
 * options it refuses.
 */
class NoiseCliTest {
    @TempDir
    Path dir;

    @Test
    void measuresTrainedRunsAndWritesTheComparison() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        Path runs = dir.resolve("runs");
        CliRun t = CliRun.of("train", "--model", "kwta-mlp", "--train-subset", "600", "--validation", "200",
                "--test-subset", "300", "--iterations", "30", "--eval-every", "30", "--batch", "30", "--out",
                runs.toString());
        assertEquals(0, t.code(), t.err());
        Path run;
        try (Stream<Path> s = Files.list(runs)) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path out = dir.resolve("noise");
        CliRun r = CliRun.of("noise", "--run", run.toString(), "--noise", "pixels", "--levels", "0,0.5", "--out",
                out.toString(), "--name", "tiny");
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"tiny.csv", "tiny.md"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        List<String> csv = Files.readAllLines(out.resolve("tiny.csv"));
        assertEquals(3, csv.size());
        RoundResult res = Json.PRETTY.readValue(run.resolve("round-00/main.json").toFile(), RoundResult.class);
        String[] clean = csv.get(1).split(",");
        assertEquals("0.0", clean[4]);
        assertEquals(res.last().testAccuracy(), Double.parseDouble(clean[5]), 1e-4);
        assertTrue(r.out().contains("| kwta-mlp | 30.9% | 1 |"), r.out());
    }

    @Test
    void refusesWhatItWouldIgnoreOrCannotMeasure() {
        CliRun r = CliRun.of("noise", "--run", dir.toString(), "--noise", "pixels", "--no-clip");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--no-clip applies to gaussian and uniform noise"), r.err());
        r = CliRun.of("noise", "--run", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("is not a run folder"), r.err());
        r = CliRun.of("noise", "--run", dir.toString(), "--noise", "pixels", "--levels", "0,1.5");
        assertTrue(r.err().contains("a fraction of the pixels in [0, 1]"), r.err());
        r = CliRun.of("noise", "--run", dir.toString(), "--noise", "speckle");
        assertTrue(r.err().contains("choose gaussian, uniform or pixels"), r.err());
    }
}
