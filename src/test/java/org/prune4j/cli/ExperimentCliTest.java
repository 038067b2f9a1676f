package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.ImageData;

/** train, prune and lottery from the command line, on a small slice of Fashion-MNIST, and their errors. */
class ExperimentCliTest {
    @TempDir
    Path dir;

    private static final String[] SMALL = {"--train-subset", "1500", "--validation", "500", "--test-subset", "800",
        "--iterations", "150", "--eval-every", "50"};

    private record Run(int code, String err) {
    }

    private Run run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.run(args), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    private String[] with(String... args) {
        return Stream.concat(Stream.of(args), Stream.concat(Stream.of(SMALL), Stream.of("--out", dir.toString())))
                .toArray(String[]::new);
    }

    private static void needData() {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
    }

    @Test
    void trainWritesResultsAndPlots() throws Exception {
        needData();
        Run r = run(with("train", "--optimizer", "nesterov", "--lr", "0.05", "--lr-schedule", "cosine"));
        assertEquals(0, r.code(), r.err());
        Path runDir;
        try (Stream<Path> s = Files.list(dir)) {
            runDir = s.filter(p -> p.getFileName().toString().startsWith("train-lenet300-")).findFirst().orElseThrow();
        }
        for (String f : List.of("results.json", "results.csv", "curves.png", "settings.json")) {
            assertTrue(Files.size(runDir.resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(runDir.resolve("results.csv"));
        assertEquals(2, csv.size());
        double acc = Double.parseDouble(csv.get(1).split(",")[List.of(csv.get(0).split(","))
                .indexOf("final_test_accuracy")]);
        assertTrue(acc > 0.6, "150 Nesterov steps reach well above chance (10%): " + acc);
        Run again = run(with("train", "--optimizer", "nesterov", "--lr", "0.05", "--lr-schedule", "cosine"));
        assertEquals(1, again.code());
        assertTrue(again.err().contains("--resume"), again.err());
        assertEquals(0, run(with("train", "--optimizer", "nesterov", "--lr", "0.05", "--lr-schedule", "cosine",
                "--resume")).code(), "resuming a finished run just rewrites its reports");
    }

    @Test
    void pruneRunsAScoreScopeScheduleResetCombination() throws Exception {
        needData();
        Run r = run(with("prune", "--score", "snip", "--scope", "global", "--schedule", "oneshot", "--sparsity", "0.8",
                "--controls", "random,supermask"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("round 1 main: fc1.weight: density"), r.err());
        Path runDir;
        try (Stream<Path> s = Files.list(dir)) {
            runDir = s.filter(p -> p.getFileName().toString().startsWith("prune-lenet300-")).findFirst().orElseThrow();
        }
        assertTrue(Files.size(runDir.resolve("accuracy.png")) > 0);
        List<String> csv = Files.readAllLines(runDir.resolve("results.csv"));
        assertEquals(5, csv.size(), "header, then dense, main, random, supermask: " + csv);
        assertTrue(csv.get(2).startsWith("1,main,snip/global/rewind,"), csv.get(2));
        assertTrue(csv.get(2).contains(",20,") || csv.get(2).contains(",20.0"), "20% of weights remain: " + csv.get(2));
        Files.delete(runDir.resolve("results.csv"));
        Files.delete(runDir.resolve("accuracy.png"));
        assertEquals(0, run("report", runDir.toString()).code());
        assertEquals(csv, Files.readAllLines(runDir.resolve("results.csv")), "report redraws the same CSV from the JSON");
        assertTrue(Files.size(runDir.resolve("accuracy.png")) > 0);

        // the run's own step times on a comparison's rows, and as the timing of its own accuracy
        Path cmp = dir.resolve("cmp");
        assertEquals(0, run("report", "--compare", cmp.toString(), runDir.toString(), "--step-times",
                runDir.toString()).code());
        List<String> rows = Files.readAllLines(cmp.resolve("comparison.csv"));
        int ms = List.of(rows.get(0).split(",")).indexOf("mean_ms_per_step");
        assertTrue(ms > 0, rows.get(0));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            assertTrue(Double.parseDouble(f[ms]) > 0, "every trained network has its step time: " + row);
        }
        Run alone = run("report", runDir.toString(), "--step-times", runDir.toString());
        assertEquals(1, alone.code());
        assertTrue(alone.err().contains("--step-times only goes with --compare"), alone.err());
    }

    @Test
    void badInputGetsOneClearLine() {
        Run missing = run("train", "--data", dir.resolve("no-such").toString(), "--out", dir.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such folder") && missing.err().contains("--data DIR"), missing.err());
        needData();
        Run full = run(with("prune", "--schedule", "oneshot", "--sparsity", "1.0"));
        assertEquals(1, full.code());
        assertTrue(full.err().contains("100% sparsity leaves no network"), full.err());
        Run score = run(with("prune", "--score", "l0"));
        assertTrue(score.err().contains("unknown score 'l0'; choose one of"), score.err());
        Run preset = run(with("lottery", "--preset", "resnet"));
        assertTrue(preset.err().contains("lenet300-lth"), preset.err());
        Run model = run(with("train", "--model", "vgg19"));
        assertTrue(model.err().contains("unknown model 'vgg19'"), model.err());
        Run diverge = run(with("train", "--optimizer", "sgd", "--lr", "1e30"));
        assertEquals(1, diverge.code());
        assertTrue(diverge.err().contains("lower the learning rate") || diverge.err().contains("non-finite"),
                diverge.err());
    }
}
