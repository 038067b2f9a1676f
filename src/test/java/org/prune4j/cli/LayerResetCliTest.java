package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.ImageData;

/** {@code layer-reset} end to end: its files, a redraw on resume, and the options it refuses. */
class LayerResetCliTest {
    @TempDir
    Path dir;

    @Test
    void measuresOnceAndRedrawsOnResume() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        String[] args = {"layer-reset", "--train-subset", "1200", "--validation", "300", "--test-subset", "512",
            "--iterations", "60", "--eval-every", "60", "--checkpoints", "0,30", "--out", dir.toString()};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.err());
        Path run;
        try (Stream<Path> s = Files.list(dir)) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        for (String f : new String[] {"layer-reset.json", "layer-reset.csv", "layer-reset.md"}) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        // 3 layers x (2 checkpoints + random) rows and a header
        assertEquals(10, Files.readAllLines(run.resolve("layer-reset.csv")).size());
        String[] again = Stream.concat(Stream.of(args), Stream.of("--resume-or-start")).toArray(String[]::new);
        CliRun r2 = CliRun.of(again);
        assertEquals(0, r2.code(), r2.err());
        assertTrue(r2.err().contains("measured before"), r2.err());
    }

    @Test
    void optionsItWouldIgnoreAndCheckpointsPastTheEndAreRefused() {
        CliRun r = CliRun.of("layer-reset", "--seeds", "3", "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--seeds does not apply to layer-reset"), r.err());
        r = CliRun.of("layer-reset", "--latency", "--out", dir.toString());
        assertTrue(r.err().contains("--latency does not apply to layer-reset"), r.err());
        r = CliRun.of("layer-reset", "--iterations", "100", "--checkpoints", "0,100", "--out", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--checkpoints must lie in [0, --iterations)"), r.err());
    }
}
