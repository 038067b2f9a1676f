package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.experiment.Json;
import org.prune4j.testing.TinyData;

/**
 * {@code prune4j grid}: a sweep's runs locally with two worker processes, again as a no-op
 * resume, one task as a Slurm array task runs it (the generated script executed as sbatch
 * would, with a stand-in sbatch), and the refusals. A real Slurm cluster is not started here.
 */
class GridCliTest {
    @TempDir
    Path dir;

    private Path grid(String vary) throws Exception {
        Path data = TinyData.write(dir.resolve("data"), 200, 8, 4);
        Path f = dir.resolve("grid.yaml");
        Files.writeString(f, String.join("\n", "command: prune", "options:", "  data: " + data, "  validation: 40",
                "  iterations: 20", "  eval-every: 10", "  schedule: oneshot", "  reset: finetune",
                "  sparse-below: 0.5", "  out: " + dir.resolve("runs"), "vary:", vary, ""));
        return f;
    }

    private List<Path> runs() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            return s.filter(p -> Files.exists(p.resolve("settings.json"))).sorted().toList();
        }
    }

    @Test
    void everyCombinationRunsOnceAndAStartedAgainGridOnlyResumes() throws Exception {
        Path f = grid("  sparsity: [0.5, 0.8]\n  seed: [1, 2]");
        CliRun dry = CliRun.of("grid", f.toString(), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertEquals(4, dry.out().lines().count(), dry.out());
        assertTrue(dry.out().contains("3: prune") && dry.out().contains("--sparsity 0.8 --seed 2 --resume-or-start"),
                dry.out());
        CliRun r = CliRun.of("grid", f.toString(), "--workers", "2");
        assertEquals(0, r.code(), r.out() + r.err());
        Set<String> combos = new HashSet<>();
        for (Path run : runs()) {
            JsonNode s = Json.PRETTY.readTree(run.resolve("settings.json").toFile());
            combos.add(s.get("pruning").get("sparsity").asDouble() + "/" + s.get("seed").asLong());
            assertTrue(Files.exists(run.resolve("results.json")), run + " finished");
        }
        assertEquals(Set.of("0.5/1", "0.5/2", "0.8/1", "0.8/2"), combos);
        String table = Files.readString(dir.resolve("runs/grid-report/comparison.csv"));
        assertTrue(table.lines().count() >= 3, table);
        List<byte[]> before = new java.util.ArrayList<>();
        for (Path run : runs()) {
            before.add(Files.readAllBytes(run.resolve("round-01/main.ckpt")));
        }
        CliRun again = CliRun.of("grid", f.toString(), "--workers", "2");
        assertEquals(0, again.code(), again.err());
        assertEquals(4, runs().size(), "no new runs");
        // the finished runs were resumed, not trained again: their pruned networks are the same bytes
        for (int i = 0; i < 4; i++) {
            assertTrue(java.util.Arrays.equals(before.get(i), Files.readAllBytes(runs().get(i)
                    .resolve("round-01/main.ckpt"))), runs().get(i) + " untouched");
        }
    }

    @Test
    void aSlurmArrayTaskRunsItsOneRun() throws Exception {
        Path f = grid("  sparsity: [0.5, 0.9]");
        Path fake = dir.resolve("fake-sbatch");
        Files.writeString(fake, "#!/usr/bin/env bash\necho \"$@\" > " + dir.resolve("sbatch-args") + "\n"
                + "echo 'Submitted batch job 42'\n");
        fake.toFile().setExecutable(true);
        CliRun r = CliRun.of("grid", f.toString(), "--slurm", "--sbatch", fake.toString(),
                "--slurm-option=--time=01:00:00");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Submitted batch job 42"), r.out());
        Path script = dir.resolve("runs/grid-slurm.sh");
        assertEquals(script.toString(), Files.readString(dir.resolve("sbatch-args")).strip());
        String text = Files.readString(script);
        assertTrue(text.contains("#SBATCH --array=0-1") && text.contains("#SBATCH --time=01:00:00"), text);
        // what Slurm does for task 1: run the script with its array index set
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("SLURM_ARRAY_TASK_ID", "1");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        List<Path> runs = runs();
        assertEquals(1, runs.size(), "only task 1's run");
        JsonNode s = Json.PRETTY.readTree(runs.get(0).resolve("settings.json").toFile());
        assertEquals(0.9, s.get("pruning").get("sparsity").asDouble(), 0);
        Process bare = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String msg = new String(bare.getInputStream().readAllBytes());
        assertNotEquals(0, bare.waitFor());
        assertTrue(msg.contains("run this script with sbatch"), msg);
    }

    @Test
    void badGridsAreRefused() throws Exception {
        Path f = dir.resolve("g.yaml");
        Files.writeString(f, "command: prune\nvary: {sparsity: 0.9}\n");
        assertTrue(CliRun.of("grid", f.toString()).err().contains("vary.sparsity must be a list"));
        Files.writeString(f, "command: report\nvary: {sparsity: [0.9]}\n");
        assertTrue(CliRun.of("grid", f.toString()).err().contains("not an experiment command"));
        Files.writeString(f, "command: prune\noptions: {sparsity: 0.8}\nvary: {sparsity: [0.9]}\n");
        assertTrue(CliRun.of("grid", f.toString()).err().contains("both shared and varied"));
        Files.writeString(f, "command: prune\nvary: {sparsty: [0.9]}\n");
        assertTrue(CliRun.of("grid", f.toString()).err().contains("'sparsty' is not an option of 'prune'"));
        Files.writeString(f, "command: prune\nruns: 3\nvary: {sparsity: [0.9]}\n");
        assertTrue(CliRun.of("grid", f.toString()).err().contains("unknown key 'runs'"));
        Files.writeString(f, "command: prune\nvary: {sparsity: [0.9]}\n");
        assertTrue(CliRun.of("grid", f.toString(), "--task", "5").err().contains("runs 0..0, not 5"));
        assertTrue(CliRun.of("grid", f.toString(), "--sbatch", "x").err().contains("only apply with --slurm"));
    }
}
