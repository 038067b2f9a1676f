package org.prune4j.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.testing.ChildJvm;
import org.prune4j.testing.TinyData;
import org.prune4j.train.Progress;

/**
 * Resume redoes whatever is missing or damaged, and a run folder refuses what would lose or mix
 * results: issue 13 items 1 (damaged or missing checkpoints), 4 (normalised data path, recorded
 * kernel choice), 6 (a failed start leaves nothing behind), 7 (one process per folder) and 10
 * (fewer rounds than finished).
 */
class ResumeRepairTest {
    @TempDir
    static Path tmp;

    static Path data;
    static ExperimentSettings settings;
    static ExperimentRunner.Outcome straight;
    static final Backend backend = new CpuBackend(CpuBackend.bestGemm());
    static final KernelPolicy POLICY = new KernelPolicy(0.3, "test");

    @BeforeAll
    static void runOnce() throws IOException {
        data = TinyData.write(tmp.resolve("data"), 600, 10, 3);
        settings = settings(data, 2e-3);
        straight = runner(POLICY).run(settings, tmp.resolve("straight"), false);
    }

    static ExperimentSettings settings(Path data, double lr) {
        PruningSettings p = new PruningSettings("magnitude", "layerwise", 0.5, "iterative", 2, 0.5, 0, 0, 0, 0,
                "rewind", "trained", 1, 1, 50, List.of("reinit"));
        return new ExperimentSettings("lottery", "lenet300", data.toString(), 100, 0, 0, "adam", lr, 0.9, 0,
                "constant", 20, 60, 30, 4, p, null, null);
    }

    static ExperimentRunner runner(KernelPolicy policy) {
        return new ExperimentRunner(backend, policy, Progress.NONE, s -> { });
    }

    private static Path copy(String name) throws IOException {
        Path to = tmp.resolve(name).resolve(straight.dir().getFileName());
        try (var s = Files.walk(straight.dir())) {
            for (Path p : s.toList()) {
                Path t = to.resolve(straight.dir().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    private static void assertSameResults(ExperimentRunner.Outcome o) {
        assertEquals(straight.results().size(), o.results().size());
        for (int i = 0; i < o.results().size(); i++) {
            RoundResult x = straight.results().get(i), y = o.results().get(i);
            assertEquals(x.round() + x.branch(), y.round() + y.branch());
            assertEquals(x.curve(), y.curve(), x.round() + " " + x.branch());
        }
    }

    @Test
    void aMissingCheckpointBesideItsResultIsRedone() throws IOException {
        Path dir = copy("missing");
        byte[] want = Files.readAllBytes(dir.resolve("round-01/main.ckpt"));
        Files.delete(dir.resolve("round-01/main.ckpt"));
        Files.delete(dir.resolve("init.ckpt"));
        ExperimentRunner.Outcome o = runner(POLICY).run(settings, dir.getParent(), true);
        assertSameResults(o);
        assertArrayEquals(want, Files.readAllBytes(dir.resolve("round-01/main.ckpt")), "the same checkpoint again");
        assertTrue(Files.exists(dir.resolve("init.ckpt")));
    }

    @Test
    void aDamagedCheckpointIsSetAsideAndItsRoundRedone() throws IOException {
        Path dir = copy("damaged");
        Path ck = dir.resolve("round-00/main.ckpt");
        byte[] good = Files.readAllBytes(ck);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x40;
        Files.write(ck, bad);
        Files.writeString(dir.resolve("round-02/reinit.json"), "{\"round\": 2, \"bra");
        List<String> log = new ArrayList<>();
        ExperimentRunner.Outcome o = new ExperimentRunner(backend, POLICY, Progress.NONE, log::add)
                .run(settings, dir.getParent(), true);
        assertSameResults(o);
        assertArrayEquals(good, Files.readAllBytes(ck));
        assertTrue(Files.exists(dir.resolve("round-00/main.ckpt.damaged")), "the damaged file is kept for a look");
        assertTrue(Files.exists(dir.resolve("round-02/reinit.json.damaged")));
        assertTrue(log.stream().anyMatch(l -> l.contains("main.ckpt is unusable") && l.contains("checksum")), log
                .toString());
    }

    @Test
    void fewerRoundsThanFinishedAreRefusedAndNothingIsRewritten() throws IOException {
        Path dir = copy("fewer");
        byte[] results = Files.readAllBytes(dir.resolve("results.json"));
        String m = assertThrows(IllegalStateException.class, () -> runner(POLICY).run(settings.withRounds(1),
                dir.getParent(), true)).getMessage();
        assertTrue(m.contains("up to round 2") && m.contains("--rounds 2"), m);
        assertArrayEquals(results, Files.readAllBytes(dir.resolve("results.json")));
        assertTrue(Files.readString(dir.resolve("settings.json")).contains("\"rounds\" : 2"));
    }

    @Test
    void resumingWithAnotherKernelChoiceIsRefusedUnlessAccepted() throws IOException {
        Path dir = copy("policy");
        deleteTree(dir.resolve("round-02"));
        KernelPolicy other = new KernelPolicy(0.5, "another calibration");
        String m = assertThrows(IllegalStateException.class, () -> runner(other).run(settings, dir.getParent(), true))
                .getMessage();
        assertTrue(m.contains("sparse below density 0.3 -> 0.5") && m.contains("--accept-changes"), m);
        ExperimentRunner.Outcome o = runner(other).acceptChanges(true).run(settings, dir.getParent(), true);
        assertEquals(straight.results().size(), o.results().size());
        String env = Files.readString(dir.resolve("environment.json"));
        assertTrue(env.contains("round 2 main onward") && env.contains("0.3 -> 0.5"), env);
        assertTrue(Files.readString(dir.resolve("results.json")).contains("round 2 main onward"), "results say so too");
    }

    @Test
    void spellingsOfOneDataFolderNameOneRun() throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        Path folder = Files.createDirectories(cwd.resolve("target/normalise-test/small"));
        String rel = cwd.relativize(folder).toString();
        String hash = settings(Path.of(rel), 1e-3).hash();
        for (String spelling : List.of(rel + "/", "./" + rel, folder.toString(), rel + "/../small")) {
            assertEquals(hash, settings(Path.of(spelling), 1e-3).hash(), spelling);
        }
    }

    @Test
    void resumeWithoutAMatchingRunNamesWhatDiffers() {
        String m = assertThrows(IllegalStateException.class, () -> runner(POLICY).run(settings(data, 5e-3),
                tmp.resolve("straight"), true)).getMessage();
        assertTrue(m.contains("--resume: there is no run with these settings") && m.contains("learningRate 0.002 -> "
                + "0.005"), m);
    }

    @Test
    void aStartThatFailsLeavesNothingThatBlocksAPlainRerun() throws IOException {
        Path d = TinyData.write(tmp.resolve("later"), 300, 10, 4);
        Path away = tmp.resolve("later-away");
        Files.move(d, away);
        ExperimentSettings s = settings(d, 2e-3).withRounds(1);
        Path root = tmp.resolve("failed-start");
        assertThrows(RuntimeException.class, () -> runner(POLICY).run(s, root, false));
        assertFalse(Files.exists(root.resolve(s.runName()).resolve("settings.json")), "nothing ran, nothing written");
        Files.move(away, d);
        ExperimentRunner.Outcome o = runner(POLICY).run(s, root, false);
        assertEquals(2 + 1, o.results().size(), "round 0, round 1 main and its control");
    }

    @Test
    void theDiskCheckCountsAtLeastWhatTheCheckpointsTake() throws IOException {
        long written;
        try (var s = Files.walk(straight.dir())) {
            written = s.filter(p -> p.toString().endsWith(".ckpt")).mapToLong(p -> p.toFile().length()).sum();
        }
        var model = org.prune4j.nn.Models.create("lenet300", 1, 10, 10, 10, new org.prune4j.tensor.Rng(1));
        long estimate = Preflight.checkpointBytes(model, 2);
        assertTrue(estimate >= written && estimate < 3 * written, estimate + " for " + written + " bytes written");
        String m = assertThrows(IllegalStateException.class, () -> Preflight.disk(tmp, model, 1 << 24)).getMessage();
        assertTrue(m.contains("on disk for its checkpoints and results") && m.contains("--out on another disk"), m);
    }

    @Test
    void aSecondProcessIsToldWhoHoldsTheFolder() throws Exception {
        Path dir = tmp.resolve("locked").resolve(settings.runName());
        Process holder = ChildJvm.builder(tmp, "64m", "org.prune4j.testing.HoldRunLock", dir.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("locked")) {
                // JVM warnings come first
            }
            assertEquals("locked", line);
            String m = assertThrows(IllegalStateException.class, () -> runner(POLICY).run(settings,
                    tmp.resolve("locked"), true)).getMessage();
            assertTrue(m.contains("is in use by process " + holder.pid()), m);
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
        ExperimentRunner.Outcome o = runner(POLICY).run(settings, tmp.resolve("locked"), true);
        assertEquals(straight.results().size(), o.results().size(), "the lock dies with its process");
        String inProcess;
        try (RunLock _ = RunLock.acquire(dir)) {
            inProcess = assertThrows(IllegalStateException.class, () -> RunLock.acquire(dir)).getMessage();
        }
        assertTrue(inProcess.contains("in use by this process"), inProcess);
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
