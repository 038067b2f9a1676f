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

/** {@code wann} end to end on the swing-up, a resume of the finished run, and the options it refuses. */
class WannCliTest {
    @TempDir
    Path dir;

    @Test
    void searchesWritesTheComparisonAndResumesAFinishedRun() throws Exception {
        String out = dir.resolve("runs").toString();
        String[] args = {"wann", "--task", "swingup", "--generations", "3", "--population", "8", "--episodes", "1",
            "--finalists", "2", "--checkpoint-every", "2", "--threads", "2", "--out", out};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| tuned shared weight"), r.out());
        Path run;
        try (Stream<Path> s = Files.list(Path.of(out))) {
            run = s.filter(p -> p.getFileName().toString().startsWith("wann-swingup-")).findFirst().orElseThrow();
        }
        for (String f : new String[] {"results.json", "results.md", "progress.csv", "champion.json", "champion.svg",
            "checkpoint.json", "settings.json"}) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        assertEquals(4, Files.readAllLines(run.resolve("progress.csv")).size());
        JsonNode res = Json.PRETTY.readTree(run.resolve("results.json").toFile());
        // the tuned weight is the sweep's best on the selection episodes, and its score is that weight's
        int best = 0;
        JsonNode sel = res.get("sweepSelection");
        for (int i = 1; i < sel.size(); i++) {
            best = sel.get(i).asDouble() > sel.get(best).asDouble() ? i : best;
        }
        assertEquals(res.get("sweepWeights").get(best).asDouble(), res.get("tunedWeight").asDouble(), 1e-12);
        assertEquals(res.get("sweepScores").get(best).asDouble(), res.get("tunedScore").asDouble(), 1e-12);
        double reward = res.get("tunedScore").asDouble();
        assertTrue(reward >= 0 && reward <= 1000, "a 1,000-step episode earns at most 1 a step, got " + reward);

        CliRun again = CliRun.of(args);
        assertNotEquals(0, again.code());
        assertTrue(again.err().contains("already holds this search; pass --resume"), again.err());
        String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
        resume[args.length] = "--resume";
        CliRun resumed = CliRun.of(resume);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("search already finished"), resumed.err());
        JsonNode res2 = Json.PRETTY.readTree(run.resolve("results.json").toFile());
        assertEquals(res.get("sweepScores"), res2.get("sweepScores"));
    }

    @Test
    void replicatesArePooledPerColumn() throws Exception {
        String out = dir.resolve("runs").toString();
        CliRun r = CliRun.of("wann", "--task", "swingup", "--seeds", "2", "--generations", "2", "--population", "8",
                "--episodes", "1", "--threads", "1", "--out", out);
        assertEquals(0, r.code(), r.err());
        java.util.List<Path> runs;
        try (Stream<Path> s = Files.list(Path.of(out))) {
            runs = s.filter(p -> p.getFileName().toString().startsWith("wann-swingup-")).sorted().toList();
        }
        Path pooled = runs.stream().filter(p -> p.getFileName().toString().endsWith("-seeds")).findFirst()
                .orElseThrow();
        double sum = 0;
        int n = 0;
        for (Path run : runs) {
            if (!run.equals(pooled)) {
                sum += Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("tunedScore").asDouble();
                n++;
            }
        }
        assertEquals(2, n);
        String md = Files.readString(pooled.resolve("comparison.md"));
        String mean = String.format(java.util.Locale.ROOT, "%.2f ±", sum / 2);
        assertTrue(md.contains("| mean ± sd over 2 seeds |") && md.contains(mean), mean + " not in\n" + md);
    }

    private static void refused(String fragment, String... args) {
        CliRun r = CliRun.of(args);
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in: " + r.err());
    }

    @Test
    void refusesBadOrIgnoredOptions() {
        String out = dir.toString();
        refused("--task must be one of", "wann", "--task", "cartpole", "--out", out);
        refused("would ignore --batch, --image-side and --data", "wann", "--batch", "10", "--out", out);
        refused("would ignore --episodes", "wann", "--task", "fashion-mnist", "--episodes", "2", "--out", out);
        refused("must be finite and non-zero", "wann", "--weights", "0,1", "--out", out);
        refused("--population must be at least 4", "wann", "--population", "2", "--out", out);
        refused("--mutations takes four odds", "wann", "--mutations", "1,2", "--out", out);
        refused("has no checkpoint of this search", "wann", "--resume", "--out", out);
        refused("--seed and --seeds both given", "wann", "--seed", "3", "--seeds", "2", "--out", out);
        refused("no such folder", "wann", "--task", "fashion-mnist", "--data", dir.resolve("nothing").toString(),
                "--out", out);
    }

    @Test
    void refusesAnImageSideThatDoesNotDivideTheImages() {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        refused("--image-side 5 must divide the 28x28", "wann", "--task", "fashion-mnist", "--image-side", "5",
                "--out", dir.toString());
    }
}
