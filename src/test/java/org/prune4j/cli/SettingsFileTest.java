package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.experiment.Json;
import org.prune4j.testing.TinyData;

/** {@code --settings FILE}: the same experiment from YAML, JSON and flags; flags win; bad files are refused. */
class SettingsFileTest {
    @TempDir
    Path dir;

    private JsonNode settingsOf(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            Path run = s.filter(Files::isDirectory).findFirst().orElseThrow();
            return Json.PRETTY.readTree(run.resolve("settings.json").toFile());
        }
    }

    @Test
    void yamlJsonAndFlagsNameOneExperimentAndFlagsWin() throws Exception {
        Path data = TinyData.write(dir.resolve("data"), 200, 8, 3);
        Files.writeString(dir.resolve("e.yaml"), String.join("\n", "# a small pruning run",
                "data: " + data, "validation: 40", "iterations: 20", "eval-every: 10", "lr: 0.002",
                "schedule: oneshot", "sparsity: 0.8", "reset: finetune", "controls: [random]",
                "sparse-below: 0.5", ""));
        Files.writeString(dir.resolve("e.json"), "{\"data\": \"" + data + "\", \"validation\": 40, \"iterations\": 20,"
                + " \"eval-every\": 10, \"lr\": 0.002, \"schedule\": \"oneshot\", \"sparsity\": 0.8, \"reset\":"
                + " \"finetune\", \"controls\": [\"random\"], \"sparse-below\": 0.5}");
        CliRun y = CliRun.of("prune", "--settings", dir.resolve("e.yaml").toString(), "--out", dir.resolve("y").toString());
        assertEquals(0, y.code(), y.err());
        CliRun j = CliRun.of("prune", "--settings=" + dir.resolve("e.json"), "--out", dir.resolve("j").toString());
        assertEquals(0, j.code(), j.err());
        CliRun f = CliRun.of("prune", "--data", data.toString(), "--validation", "40", "--iterations", "20",
                "--eval-every", "10", "--lr", "0.002", "--schedule", "oneshot", "--sparsity", "0.8", "--reset",
                "finetune", "--controls", "random", "--sparse-below", "0.5", "--out", dir.resolve("f").toString());
        assertEquals(0, f.code(), f.err());
        JsonNode sy = settingsOf(dir.resolve("y"));
        assertEquals(settingsOf(dir.resolve("f")), sy);
        assertEquals(settingsOf(dir.resolve("f")), settingsOf(dir.resolve("j")));
        assertEquals(0.002, sy.get("learningRate").asDouble(), 0);
        assertEquals(List.of("random"), List.of(sy.get("pruning").get("controls").get(0).asText()));
        // a flag replaces the file's value, a list included
        CliRun w = CliRun.of("prune", "--settings", dir.resolve("e.yaml").toString(), "--lr", "0.004", "--controls",
                "reinit", "--out", dir.resolve("w").toString());
        assertEquals(0, w.code(), w.err());
        JsonNode sw = settingsOf(dir.resolve("w"));
        assertEquals(0.004, sw.get("learningRate").asDouble(), 0);
        assertEquals(1, sw.get("pruning").get("controls").size());
        assertEquals("reinit", sw.get("pruning").get("controls").get(0).asText());
        provenanceNamesTheCheckedOutCommit(dir.resolve("w"));
    }

    /** results.json names the commit the build came from, as git itself reports it. */
    private void provenanceNamesTheCheckedOutCommit(Path out) throws Exception {
        Path results;
        try (Stream<Path> s = Files.list(out)) {
            results = s.filter(Files::isDirectory).findFirst().orElseThrow().resolve("results.json");
        }
        JsonNode machine = Json.PRETTY.readTree(results.toFile()).get("machine");
        assertTrue(machine.get("prune4j").asText().startsWith("0."), machine.toString());
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes()).strip();
        if (git.waitFor() == 0 && head.matches("[0-9a-f]{40}")) {
            assertTrue(machine.get("commit").asText().startsWith(head), machine + " vs HEAD " + head);
        } else {
            assertEquals("unknown", machine.get("commit").asText(), "not a git checkout here");
        }
    }

    @Test
    void badFilesAreRefusedWithWhatIsWrong() throws Exception {
        Files.writeString(dir.resolve("u.yaml"), "modle: lenet300\n");
        CliRun r = CliRun.of("train", "--settings", dir.resolve("u.yaml").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("'modle' is not an option of 'train'"), r.err());
        Files.writeString(dir.resolve("b.yaml"), "model: [lenet300\n");
        r = CliRun.of("train", "--settings", dir.resolve("b.yaml").toString());
        assertTrue(r.err().contains("is not valid YAML"), r.err());
        Files.writeString(dir.resolve("n.json"), "{\"pruning\": {\"score\": \"snip\"}}");
        r = CliRun.of("prune", "--settings", dir.resolve("n.json").toString());
        assertTrue(r.err().contains("'pruning' is not an option of 'prune'"), r.err());
        Files.writeString(dir.resolve("s.yml"), "resume: yes please\n");
        r = CliRun.of("train", "--settings", dir.resolve("s.yml").toString());
        assertTrue(r.err().contains("'resume' is a switch"), r.err());
        Files.writeString(dir.resolve("x.txt"), "model: lenet300\n");
        r = CliRun.of("train", "--settings", dir.resolve("x.txt").toString());
        assertTrue(r.err().contains(".json, .yaml or .yml"), r.err());
        r = CliRun.of("train", "--settings", dir.resolve("missing.yaml").toString());
        assertTrue(r.err().contains("does not exist"), r.err());
        r = CliRun.of("--settings", dir.resolve("u.yaml").toString());
        assertTrue(r.err().contains("goes after a command"), r.err());
        r = CliRun.of("train", "--settings", dir.resolve("u.yaml").toString(), "--settings=" + dir.resolve("b.yaml"));
        assertTrue(r.err().contains("--settings is given twice"), r.err());
    }
}
