package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.bench.Calibration;
import org.prune4j.nn.KernelPolicy;

/** Training picks its sparse/dense threshold from --sparse-below, else the calibration file, else the default. */
class KernelPolicyChoiceTest {
    @TempDir
    Path dir;

    @Test
    void calibrationDecidesUnlessTheUserSays() {
        Path f = dir.resolve("cal.json");
        new Calibration("2026-11-21", "test", List.of(new Calibration.Entry("cpu", "lenet", "csr", 0.4, 3),
                new Calibration.Entry("cpu", "lenet", "bsr16", 0.6, 3))).write(f);
        TrainingOptions o = new TrainingOptions();
        o.calibration = f;
        KernelPolicy p = ExperimentCommands.policy(o, "cpu", "lenet300");
        assertEquals(0.4, p.sparseBelowDensity());
        assertTrue(p.source().contains("calibration") && p.source().contains("lenet"), p.source());
        assertEquals(KernelPolicy.DEFAULT, ExperimentCommands.policy(o, "cpu", "conv4"), "no resnet50 entry");
        assertEquals(KernelPolicy.DEFAULT, ExperimentCommands.policy(o, "cuda", "lenet300"), "no cuda entry");
        o.sparseBelow = 0.1;
        assertEquals(0.1, ExperimentCommands.policy(o, "cpu", "lenet300").sparseBelowDensity());
    }
}
