package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.backend.ActivationLayout;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.LayerShape;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.MaskStructure;
import org.prune4j.tensor.Rng;

/** The whole-step calibration: its interpolation by hand, its cache, and the per-layer choice it drives. */
class StepCalibrationTest {
    @TempDir
    Path dir;

    @Test
    void theCrossingIsInterpolatedInLogDensity() {
        // dense wins 1.5x at density 0.2, sparse wins 2x at 0.1: halfway in log density, sqrt(0.02).
        assertEquals(Math.sqrt(0.02), StepCalibration.crossing(0.2, 1.5, 0.1, 0.5), 1e-12);
        // a ratio of exactly 1 at the higher density crosses there.
        assertEquals(0.3, StepCalibration.crossing(0.3, 1.0, 0.2, 0.7), 1e-12);
    }

    @Test
    void aShapeIsMeasuredOnceAndReadBackFromTheCache() throws Exception {
        Backend be = new CpuBackend(new JavaGemm());
        Path file = dir.resolve("steps.json");
        List<String> log = new ArrayList<>();
        LayerShape shape = new LayerShape(24, 40, 8, true, ActivationLayout.BATCH_MAJOR);
        double c = new StepCalibration(be, file, 1, log::add).crossover(shape).orElseThrow();
        assertTrue(c >= 0 && c <= 1, "crossover " + c);
        assertEquals(1, log.stream().filter(l -> l.startsWith("calibrated")).count(), log.toString());
        assertTrue(Files.readString(file).contains("\"outputs\" : 24"));
        List<String> again = new ArrayList<>();
        StepCalibration reread = new StepCalibration(be, file, 1, again::add);
        assertEquals(c, reread.crossover(shape).orElseThrow());
        assertTrue(again.isEmpty(), "read from the cache, not measured: " + again);
        StepCalibration.Entry e = reread.entries().get(0);
        assertFalse(e.points().isEmpty());
        for (StepCalibration.Point p : e.points()) {
            assertTrue(p.denseMs() > 0 && p.sparseMs() > 0, p.toString());
        }
    }

    @Test
    void aBlockedMaskIsMeasuredOnItsOwnKernelsAndKeyedApart() throws Exception {
        Backend be = new CpuBackend(new JavaGemm());
        Path file = dir.resolve("blocks.json");
        List<String> log = new ArrayList<>();
        LayerShape plain = new LayerShape(32, 48, 8, true, ActivationLayout.BATCH_MAJOR);
        LayerShape blocked = plain.withStructure(MaskStructure.blocks(new org.prune4j.sparse.BlockShape(8, 8)));
        StepCalibration cal = new StepCalibration(be, file, 1, log::add);
        cal.crossover(plain);
        cal.crossover(blocked);
        assertEquals(2, log.stream().filter(l -> l.startsWith("calibrated")).count(), log.toString());
        assertTrue(log.get(1).contains("mask in 8x8 blocks"), log.toString());
        List<String> again = new ArrayList<>();
        StepCalibration reread = new StepCalibration(be, file, 1, again::add);
        assertEquals(cal.crossover(blocked), reread.crossover(blocked));
        assertEquals(cal.crossover(plain), reread.crossover(plain));
        assertTrue(again.isEmpty(), "both read from the cache: " + again);
        assertEquals("8x8", reread.entries().get(1).blocks());
        assertEquals(null, reread.entries().get(0).blocks());
    }

    @Test
    void aTwoFourMaskIsMeasuredAtItsOneDensityAndKeyedApart() throws Exception {
        Backend be = new CpuBackend(new JavaGemm());
        Path file = dir.resolve("two-four.json");
        List<String> log = new ArrayList<>();
        LayerShape plain = new LayerShape(16, 36, 8, true, ActivationLayout.BATCH_MAJOR);
        LayerShape twoFour = plain.withStructure(MaskStructure.TWO_FOUR);
        StepCalibration cal = new StepCalibration(be, file, 1, log::add);
        double c = cal.crossover(twoFour).orElseThrow();
        assertTrue(log.get(0).contains("2:4 mask"), log.toString());
        StepCalibration.Entry e = cal.entries().get(0);
        assertEquals("2:4", e.blocks());
        assertEquals(1, e.points().size(), "one density: " + e.points());
        assertEquals(0.5, e.points().get(0).density());
        // every 2:4 mask runs sparse when the sparse step won at 0.5, none when it lost
        assertEquals(e.points().get(0).sparseMs() < e.points().get(0).denseMs() ? 1.0 : 0.0, c);
        List<String> again = new ArrayList<>();
        StepCalibration reread = new StepCalibration(be, file, 1, again::add);
        assertEquals(c, reread.crossover(twoFour).orElseThrow());
        assertTrue(again.isEmpty(), "read from the cache: " + again);
        reread.crossover(plain);
        assertEquals(1, again.stream().filter(l -> l.startsWith("calibrated")).count(), "unstructured is its own key");
    }

    @Test
    void eachLayerIsDecidedByItsOwnShape() {
        Model m = Models.create("lenet300", 1, 28, 28, 10, new Rng(1));
        Rng r = new Rng(2);
        m.prunable().forEach(p -> p.setMask(Mask.random(p.shape()[0], p.shape()[1], 0.05, r)));
        List<LayerShape> asked = new ArrayList<>();
        KernelPolicy fake = KernelPolicy.calibrated(new KernelPolicy.Crossovers() {
            public java.util.OptionalDouble crossover(LayerShape s) {
                asked.add(s);
                return java.util.OptionalDouble.of(s.inputs() == 784 ? 0.1 : 0.01);
            }

            public String describe() {
                return "fake";
            }
        });
        List<String> lines = m.chooseKernels(fake, 60);
        ActivationLayout bm = ActivationLayout.BATCH_MAJOR;
        assertEquals(List.of(new LayerShape(300, 784, 60, false, bm), new LayerShape(100, 300, 60, true, bm),
                new LayerShape(10, 100, 60, true, bm)), asked);
        assertTrue(m.weightedLayers().get(0).sparseKernel(), lines.get(0));
        assertFalse(m.weightedLayers().get(1).sparseKernel(), lines.get(1));
    }
}
