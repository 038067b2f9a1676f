package org.prune4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.prune4j.testing.FailingBackend;
import org.prune4j.testing.TinyData;
import org.prune4j.train.Progress;

/**
 * A device fault mid-run (out of GPU memory, a kernel error) saves every finished branch and
 * says how to go on; with a CPU fallback the failed branch is redone on the CPU and the run
 * finishes with the numbers a CPU run gives (issue 13, GPU faults). The fault comes from a
 * stand-in backend, so this runs without a GPU.
 */
class DeviceFaultTest {
    @TempDir
    static Path tmp;

    static ExperimentSettings settings;
    static ExperimentRunner.Outcome cpuOnly;
    static final KernelPolicy POLICY = new KernelPolicy(0.3, "test");

    @BeforeAll
    static void straightOnTheCpu() throws Exception {
        settings = ResumeRepairTest.settings(TinyData.write(tmp.resolve("data"), 600, 10, 3), 2e-3);
        cpuOnly = new ExperimentRunner(new CpuBackend(CpuBackend.bestGemm()), POLICY, Progress.NONE, s -> { })
                .run(settings, tmp.resolve("cpu"), false);
    }

    /** Fails in round 1's main branch: round 0 trains 60 Adam steps over 6 parameters, then 60 more run. */
    private static Backend failing() {
        return FailingBackend.failOn(new CpuBackend(CpuBackend.bestGemm()), "fakegpu", "adamUpdate", 6 * 60 + 6 * 30);
    }

    @Test
    void withoutFallbackTheRunStopsSavedAndSaysHowToGoOn() throws Exception {
        Path root = tmp.resolve("stop");
        String m = assertThrows(IllegalStateException.class, () -> new ExperimentRunner(failing(), POLICY,
                Progress.NONE, s -> { }).run(settings, root, false)).getMessage();
        assertTrue(m.contains("the fakegpu backend failed during round 1 main (CUDA_ERROR_OUT_OF_MEMORY)")
                && m.contains("saved in") && m.contains("--resume --fallback cpu"), m);
        Path dir = root.resolve(settings.runName());
        assertTrue(Files.exists(dir.resolve("round-00/main.json")) && Files.exists(dir.resolve("round-00/main.ckpt")));
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"round\" : 0"), "results so far are saved");
    }

    @Test
    void withTheCpuFallbackTheRunFinishesWithTheCpuNumbersAndSaysWhatChanged() throws Exception {
        List<String> log = new ArrayList<>();
        ExperimentRunner.Fallback cpu = new ExperimentRunner.Fallback("cpu",
                () -> new CpuBackend(CpuBackend.bestGemm()), b -> POLICY);
        ExperimentRunner.Outcome o = new ExperimentRunner(failing(), POLICY, Progress.NONE, log::add).fallback(cpu)
                .run(settings, tmp.resolve("fallback"), false);
        assertEquals(cpuOnly.results().size(), o.results().size());
        for (int i = 0; i < o.results().size(); i++) {
            assertEquals(cpuOnly.results().get(i).curve(), o.results().get(i).curve(), "result " + i);
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("going on with the cpu backend (--fallback cpu)")), log
                .toString());
        String env = Files.readString(o.dir().resolve("environment.json"));
        assertTrue(env.contains("round 1 main onward on cpu after a CUDA_ERROR_OUT_OF_MEMORY fault"), env);
        assertTrue(Files.readString(o.dir().resolve("results.json")).contains("onward on cpu"));
    }
}
