package org.prune4j.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.cli.Main;
import org.prune4j.testing.ChildJvm;
import org.prune4j.testing.TinyData;

/**
 * The kill -9 harness: a small lottery run (two rounds, two controls) in a child JVM, killed
 * with SIGKILL at random moments and resumed each time, must end with the same results and the
 * same checkpoints, byte for byte, as a run that was never interrupted. Bounded to about a
 * minute: a handful of kills; the seed is printed so a failure can be replayed
 * ({@code -Dprune4j.killSeed=N}), and {@code -Dprune4j.kills=N} runs more.
 */
class KillResumeHarnessTest {
    @TempDir
    Path tmp;

    @Test
    void killedAtRandomPointsAndResumedEveryTimeGivesTheUninterruptedResults() throws Exception {
        Path data = TinyData.write(tmp.resolve("data"), 2000, 12, 5);
        List<String> args = new ArrayList<>(List.of("lottery", "--preset", "lenet300-lth", "--data", data.toString(), "--validation", "200",
                "--iterations", "300", "--eval-every", "50", "--batch", "20", "--rounds", "2", "--sparse-below", "0.3",
                "--controls", "reinit,random"));
        long t0 = System.nanoTime();
        assertEquals(0, Main.run(with(args, "--out", tmp.resolve("straight").toString()).toArray(String[]::new)));
        long straightMs = (System.nanoTime() - t0) / 1_000_000;

        long seed = Long.getLong("prune4j.killSeed", System.nanoTime());
        long budgetMs = Long.getLong("prune4j.killBudgetMs", 25_000);
        System.out.println("kill harness seed " + seed + " (-Dprune4j.killSeed to replay), budget " + budgetMs
                + " ms (-Dprune4j.killBudgetMs)");
        Random random = new Random(seed);
        Path straight = runFolder(tmp.resolve("straight"));
        long deadline = System.currentTimeMillis() + budgetMs;
        int landed = 0, episodes = 0, child = 0;
        // episodes: a fresh run folder killed again and again until a resume finishes it, then compared
        while (episodes == 0 || System.currentTimeMillis() < deadline) {
            Path out = tmp.resolve("killed-" + episodes);
            List<String> resumed = with(args, "--out", out.toString(), "--resume");
            while (true) {
                Path log = tmp.resolve("child-" + child++ + ".log");
                Process p = ChildJvm.cli(tmp, "512m", resumed.toArray(String[]::new)).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (System.currentTimeMillis() > deadline) {
                    assertEquals(0, p.waitFor(), Files.readString(log));
                    break;
                }
                // the JVM starts and loads the data in about a second, then works for about as long as the straight run
                long at = 200 + (long) (random.nextDouble() * (900 + straightMs));
                boolean finished = p.waitFor(at, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (finished) {
                    assertEquals(0, p.exitValue(), Files.readString(log));
                    break;
                }
                p.destroyForcibly();
                p.waitFor();
                landed++;
                List<String> lines = Files.readAllLines(log);
                System.out.println("episode " + episodes + ": killed at " + at + " ms after: "
                        + (lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).replaceAll("\\s+", " ")));
            }
            compare(straight, runFolder(out), seed);
            episodes++;
        }
        System.out.println("kill harness: " + landed + " kills in " + episodes + " runs, all equal to the straight run");
        assertTrue(landed > 0, "at least one kill landed mid-run");
    }

    private static void compare(Path a, Path b, long seed) throws Exception {
        assertEquals(comparable(a), comparable(b), "results.json of " + b + " (seed " + seed + ")");
        try (Stream<Path> s = Files.walk(a)) {
            for (Path f : s.filter(x -> x.toString().endsWith(".ckpt")).toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(a.relativize(f).toString())),
                        "checkpoint " + a.relativize(f) + " of " + b + " (seed " + seed + ")");
            }
        }
        try (Stream<Path> s = Files.walk(b)) {
            assertTrue(s.noneMatch(x -> x.toString().endsWith(".tmp")), "no temporary file is left behind in " + b);
        }
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> l = new ArrayList<>(base);
        l.addAll(List.of(more));
        return l;
    }

    private static Path runFolder(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /** results.json without what legitimately differs between two runs: the machine block and wall times. */
    private static JsonNode comparable(Path dir) throws Exception {
        JsonNode json = Json.PRETTY.readTree(dir.resolve("results.json").toFile());
        ((ObjectNode) json).remove("machine");
        for (JsonNode r : json.get("results")) {
            ((ObjectNode) r).remove("seconds");
            ((ObjectNode) r).remove("stepSeconds");
        }
        return json;
    }
}
