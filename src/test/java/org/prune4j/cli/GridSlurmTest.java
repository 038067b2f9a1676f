package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.experiment.Json;
import org.prune4j.testing.TinyData;

/**
 * {@code grid --slurm} against a real one-node Slurm (controller, compute node and munge on this
 * machine, started by {@code ci/slurm-single-node}): the job array runs every run of the grid.
 * Skips, saying why, where Slurm cannot be started (not root, packages missing).
 */
class GridSlurmTest {
    @TempDir
    static Path dir;

    private static String why;
    private static Path conf;

    @BeforeAll
    static void startSlurm() throws Exception {
        Path script = Path.of("ci/slurm-single-node").toAbsolutePath();
        if (!Files.isExecutable(script)) {
            why = script + " is missing";
            return;
        }
        Process p = new ProcessBuilder(script.toString(), "start", dir.resolve("slurm").toString()).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        String err = new String(p.getErrorStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            why = "one-node Slurm did not start: " + err;
            return;
        }
        conf = Path.of(out);
    }

    @AfterAll
    static void stopSlurm() throws Exception {
        if (conf != null) {
            new ProcessBuilder("ci/slurm-single-node", "stop", dir.resolve("slurm").toString()).start().waitFor();
        }
    }

    @Test
    void theJobArrayRunsEveryRunOfTheGrid() throws Exception {
        assumeTrue(why == null, () -> "Slurm test skipped: " + why);
        Path data = TinyData.write(dir.resolve("data"), 200, 8, 6);
        Path runs = dir.resolve("runs");
        Path grid = dir.resolve("grid.json");
        Files.writeString(grid, "{\"command\": \"prune\", \"options\": {\"data\": \"" + data + "\", \"validation\": 40, "
                + "\"iterations\": 20, \"eval-every\": 10, \"schedule\": \"oneshot\", \"reset\": \"finetune\", "
                + "\"sparse-below\": 0.5, \"out\": \"" + runs + "\"}, \"vary\": {\"sparsity\": [0.6, 0.9]}}");
        Path sbatch = dir.resolve("sbatch");
        Files.writeString(sbatch, "#!/usr/bin/env bash\nexport SLURM_CONF=" + conf + "\nexec sbatch \"$@\"\n");
        sbatch.toFile().setExecutable(true);
        CliRun r = CliRun.of("grid", grid.toString(), "--slurm", "--sbatch", sbatch.toString(),
                "--slurm-option=--cpus-per-task=1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Submitted batch job"), r.out());
        long deadline = System.nanoTime() + 480_000_000_000L;
        Set<Double> done = new HashSet<>();
        while (done.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            done.clear();
            if (Files.isDirectory(runs)) {
                try (Stream<Path> s = Files.list(runs)) {
                    for (Path run : s.filter(p -> Files.exists(p.resolve("results.json"))).toList()) {
                        JsonNode res = Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("results");
                        if (res.size() == 2) {
                            done.add(Json.PRETTY.readTree(run.resolve("settings.json").toFile()).get("pruning")
                                    .get("sparsity").asDouble());
                        }
                    }
                }
            }
        }
        String logs = "";
        try (Stream<Path> s = Files.list(runs.resolve("grid-logs"))) {
            for (Path l : s.toList()) {
                logs += l.getFileName() + ":\n" + Files.readString(l) + "\n";
            }
        }
        assertEquals(Set.of(0.6, 0.9), done, "both array tasks finished their runs; task logs:\n" + logs);
        assertTrue(logs.contains("slurm-"), "Slurm wrote the tasks' logs where the script said: " + logs);
    }
}
