package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.bench.Calibration;
import org.prune4j.nn.KernelPolicy;

/**
 * Training picks its sparse/dense threshold from --sparse-below, else an explicit forward
 * calibration file, else the whole-step calibration per layer shape.
 */
class KernelPolicyChoiceTest {
    @TempDir
    Path dir;

    @Test
    void theUserThenAFileThenTheWholeStepCalibrationDecide() {
        Backend cpu = new CpuBackend(new JavaGemm());
        TrainingOptions o = new TrainingOptions();
        o.stepCalibration = dir.resolve("steps.json");
        KernelPolicy byDefault = ExperimentCommands.policy(o, cpu, "lenet300");
        assertNotNull(byDefault.crossovers(), "the default measures whole steps");
        assertTrue(byDefault.source().contains("steps.json"), byDefault.source());

        Path f = dir.resolve("cal.json");
        new Calibration("2026-11-21", "test", List.of(new Calibration.Entry("cpu", "lenet", "csr", 0.4, 3),
                new Calibration.Entry("cpu", "lenet", "bsr16", 0.6, 3))).write(f);
        o.calibration = f;
        KernelPolicy p = ExperimentCommands.policy(o, cpu, "lenet300");
        assertEquals(0.4, p.sparseBelowDensity());
        assertNull(p.crossovers());
        assertTrue(p.source().contains("calibration") && p.source().contains("forward"), p.source());
        assertNotNull(ExperimentCommands.policy(o, cpu, "conv4").crossovers(),
                "no resnet50 entry in the file: the whole-step calibration decides");
        o.sparseBelow = 0.1;
        assertEquals(0.1, ExperimentCommands.policy(o, cpu, "lenet300").sparseBelowDensity());
    }
}
