package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** set, rigl, edge-popup, supermask, bn-only and supsup from the command line, and their refusals. */
class SparseTrainingCliTest {
    @TempDir
    Path dir;

    private static final String[] SMALL = {"--train-subset", "1200", "--validation", "300", "--test-subset", "512",
        "--iterations", "120", "--eval-every", "40", "--sparse-below", "0.3"};

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String[] with(String... args) {
        return Stream.concat(Stream.of(args), Stream.concat(Stream.of(SMALL), Stream.of("--out", dir.toString())))
                .toArray(String[]::new);
    }

    private JsonNode results(String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            Path run = s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
            assertTrue(Files.size(run.resolve("curves.png")) > 0);
            return Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("results");
        }
    }

    private static void needData() {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
    }

    @Test
    void everyCommandNamesItsPaper() {
        for (String[] c : List.of(new String[] {"set", "Mocanu"}, new String[] {"rigl", "Evci"},
                new String[] {"edge-popup", "Ramanujan"}, new String[] {"supermask", "Zhou"},
                new String[] {"bn-only", "Frankle"}, new String[] {"supsup", "Wortsman"})) {
            CliRun r = run(c[0], "--help");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(c[1] + " et al.") || r.out().contains(c[1] + ", "), c[0] + ": " + r.out());
        }
    }

    @Test
    void riglAndSetTrainAtTheirSparsityWithTheirAllocations() throws Exception {
        needData();
        CliRun r = run(with("rigl", "--sparsity", "0.9", "--update-every", "20"));
        assertEquals(0, r.code(), r.err());
        JsonNode main = results("rigl-lenet300-").get(0);
        assertEquals(0.1, main.get("density").asDouble(), 1e-4);
        // ERK gives the 100x10 output layer more than the 784x300 input layer
        JsonNode layers = main.get("layerDensity");
        assertTrue(layers.get("fc3.weight").asDouble() > 3 * layers.get("fc1.weight").asDouble(), layers.toString());
        assertTrue(main.get("method").asText().startsWith("RigL ERK"), main.get("method").asText());
        assertTrue(main.get("last").get("testAccuracy").asDouble() > 0.4, "well above chance after 120 steps");
        // a sweep script: plain --resume refuses beside a run with other settings, --resume-or-start starts it
        CliRun strict = run(with("rigl", "--sparsity", "0.8", "--update-every", "20", "--resume"));
        assertEquals(1, strict.code());
        assertTrue(strict.err().contains("differs in sparseTraining.sparsity 0.9 -> 0.8"), strict.err());
        assertEquals(0, run(with("rigl", "--sparsity", "0.8", "--update-every", "20", "--resume-or-start")).code());
        CliRun again = run(with("rigl", "--sparsity", "0.8", "--update-every", "20", "--resume-or-start"));
        assertEquals(0, again.code(), again.err());
        r = run(with("set", "--sparsity", "0.8", "--allocation", "uniform", "--update-every", "30"));
        assertEquals(0, r.code(), r.err());
        JsonNode set = results("set-lenet300-").get(0);
        for (String l : List.of("fc1.weight", "fc2.weight", "fc3.weight")) {
            assertEquals(0.2, set.get("layerDensity").get(l).asDouble(), 1e-3, l);
        }
        assertTrue(set.get("method").asText().contains("3 updates"), set.get("method").asText());
    }

    @Test
    void maskLearnersAndBatchNormOnlyRun() throws Exception {
        needData();
        assertEquals(0, run(with("edge-popup", "--sparsity", "0.7")).code());
        JsonNode ep = results("edge-popup-lenet300-").get(0);
        assertEquals(0.3, ep.get("density").asDouble(), 1e-3);
        CliRun sm = run(with("supermask", "--evaluate", "expected"));
        assertEquals(0, sm.code(), sm.err());
        assertTrue(results("supermask-lenet300-").get(0).get("method").asText().contains("expected density"));
        CliRun bn = run(with("bn-only"));
        assertEquals(0, bn.code(), bn.err());
        JsonNode b = results("bn-only-mlp-bn-").get(0);
        assertTrue(b.get("method").asText().startsWith("BatchNorm only"), b.get("method").asText());
        double before = b.get("curve").get(0).get("testAccuracy").asDouble();
        assertTrue(b.get("last").get("testAccuracy").asDouble() > before + 0.05, "BatchNorm alone learns something: "
                + b.get("curve"));
    }

    @Test
    void supsupLearnsOneMaskPerTaskAndInfersTasks() throws Exception {
        needData();
        CliRun r = run(with("supsup", "--tasks", "2", "--infer-batch", "64"));
        assertEquals(0, r.code(), r.err());
        JsonNode rows = results("supsup-lenet300-");
        assertEquals(4, rows.size(), rows.toString());
        long inferred = 0;
        for (JsonNode row : rows) {
            if (row.get("branch").asText().equals("inferred")) {
                inferred++;
                assertTrue(row.get("method").asText().contains("of 8 batches of 64"), row.get("method").asText());
            }
        }
        assertEquals(2, inferred);
        assertTrue(r.err().contains("inferred the right task"), r.err());
    }

    private String refused(String... args) {
        CliRun r = run(with(args));
        assertEquals(1, r.code(), r.err());
        return r.err();
    }

    /** An option the command does not have, or a value of the wrong form: picocli's usage error (exit 2). */
    private String unknown(String... args) {
        CliRun r = run(with(args));
        assertEquals(2, r.code(), r.err());
        return r.err();
    }

    @Test
    void badSettingsAreRefusedWithTheFix() throws Exception {
        assertTrue(unknown("rigl", "--drop-fraction", "1.5").contains("outside [0, 1]"), "a usage error (exit 2)");
        assertTrue(refused("set", "--drop-fraction", "0").contains("(0, 1)"));
        String every = refused("rigl", "--update-every", "500");
        assertTrue(every.contains("never happens") && every.contains("--update-every"), every);
        assertTrue(refused("supsup", "--tasks", "1").contains("at least 2 tasks"));
        assertTrue(refused("rigl", "--sparsity", "0").contains("use prune4j train"));
        assertTrue(refused("edge-popup", "--sparsity", "0").contains("(0, 1)"));
        assertTrue(refused("rigl", "--allocation", "dense").contains("choose uniform, er or erk"));
        assertTrue(unknown("edge-popup", "--drop-fraction", "0.3").contains("Unknown option"),
                "an option the method would ignore is an error");
        assertTrue(unknown("supermask", "--sparsity", "0.5").contains("Unknown option"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "nothing was created for refused settings");
        }
        needData();
        String cut = refused("rigl", "--sparsity", "0.99999", "--update-every", "20");
        assertTrue(cut.contains("no connections") && cut.contains("lower the sparsity"), cut);
        assertTrue(refused("bn-only", "--model", "lenet300").contains("--model mlp-bn"));
    }
}
