package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.cli.Main;
import org.prune4j.data.Dataset;
import org.prune4j.data.ImageData;
import org.prune4j.nn.Adam;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Sgd;
import org.prune4j.tensor.Rng;
import org.prune4j.testing.TinyData;

/**
 * Divergence is found at evaluation points and reported with the iterations, the layer, the
 * value and the fix, before anything is saved as a result (issue 13, item 3 and the numerical
 * guards).
 */
class DivergenceTest {
    @TempDir
    Path tmp;

    private ImageData tiny() throws Exception {
        return ImageData.load(TinyData.write(tmp.resolve("data"), 400, 10, 2), 100, 1);
    }

    @Test
    void aLossThatGrowsFarBeyondItsStartIsDivergenceEvenWithFiniteWeights() {
        Model m = Models.create("lenet300", 1, 6, 6, 10, new Rng(1));
        NumericGuard guard = new NumericGuard(2.3);
        guard.check(m, Backends.host(), 0, 100, 2.0, 0, 1e-3);
        guard.check(m, Backends.host(), 100, 200, 20, 0, 1e-3); // a bad interval, still within the bound
        String msg = assertThrows(TrainingDivergedException.class, () -> guard.check(m, Backends.host(), 200, 300,
                1.5e22, 0, 1e6)).getMessage();
        assertTrue(msg.contains("between iterations 200 and 300") && msg.contains("1.500e+22") && msg.contains("exceeds")
                && msg.contains("lower the learning rate (it was 1.00e+06)"), msg);
    }

    @Test
    void aNonFiniteWeightIsNamedWithItsLayerPositionAndValue() {
        Model m = Models.create("lenet300", 1, 6, 6, 10, new Rng(1));
        m.parameter("fc2.weight").value().data()[3 * m.parameter("fc2.weight").value().cols() + 7] = Float.NaN;
        String msg = assertThrows(TrainingDivergedException.class, () -> new NumericGuard(2.3).check(m,
                Backends.host(), 0, 50, 2.0, 0, 0.1)).getMessage();
        assertTrue(msg.contains("fc2.weight[3, 7] is NaN") && msg.contains("iterations 0 and 50"), msg);
        String logits = assertThrows(TrainingDivergedException.class, () -> new NumericGuard(2.3).check(m,
                Backends.host(), 0, 50, Double.POSITIVE_INFINITY, 12, 0.1)).getMessage();
        assertTrue(logits.contains("the loss of 12 examples was not finite") && logits.contains("fc2.weight[3, 7]"),
                logits);
    }

    @Test
    void aNonFiniteGradientIsNamedWhenTheWeightsAreStillFinite() {
        Model m = Models.create("lenet300", 1, 6, 6, 10, new Rng(1));
        Backend b = Backends.host();
        try (org.prune4j.nn.Workspace ws = org.prune4j.nn.Workspace.caching(b)) {
            org.prune4j.nn.Pass pass = new org.prune4j.nn.Pass(b, true, new Rng(2), ws);
            org.prune4j.tensor.Tensor x = org.prune4j.tensor.Tensor.uniform(new Rng(3), -1, 1, 4, 1, 6, 6);
            x.data()[5] = Float.POSITIVE_INFINITY;
            org.prune4j.tensor.Tensor logits = m.forward(x, pass);
            m.backward(org.prune4j.tensor.Tensor.filled(0.1f, logits.shape()));
            String bad = NumericGuard.firstNonFinite(m, b);
            assertTrue(bad != null && bad.startsWith("the gradient of fc1.weight[") && bad.contains(" is "), bad);
        } finally {
            m.release();
        }
    }

    @Test
    void adamAtAHugeLearningRateStopsTrainingInsteadOfReturningAResult() throws Exception {
        ImageData data = tiny();
        Model m = Models.create("lenet300", 1, 10, 10, 10, new Rng(1));
        Backend b = Backends.host();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> new Trainer(b,
                Progress.NONE).train(m, new Adam(0.9, 0.999, 1e-8, 0), LearningRate.constant(1e6), data,
                new TrainConfig(200, 20, 20, 1), "diverge", List.of()));
        assertTrue(e.getMessage().contains("training diverged between iterations 0 and 20"), e.getMessage());
        assertEquals(20, e.iteration());
    }

    @Test
    void sgdThatConvergesPassesTheGuard() throws Exception {
        ImageData data = tiny();
        Model m = Models.create("lenet300", 1, 10, 10, 10, new Rng(1));
        TrainResult r = new Trainer(Backends.host(), Progress.NONE).train(m, new Sgd(0.9, false, 0),
                LearningRate.constant(0.05), data, new TrainConfig(60, 20, 20, 1), "fine", List.of());
        assertTrue(r.last().testAccuracy() > 0.5, "learns: " + r.last());
    }

    @Test
    void nonFiniteDataIsRefusedWithTheExample() {
        float[] px = new float[3 * 4];
        px[2 * 4 + 1] = Float.NaN;
        String msg = assertThrows(IllegalArgumentException.class, () -> new Dataset("d", px, new int[] {0, 1, 0}, 1, 2,
                2, 2)).getMessage();
        assertTrue(msg.contains("pixel 1 of example 2 is NaN"), msg);
    }

    @Test
    void theCommandLineSavesNoResultForADivergedRun() throws Exception {
        Path data = TinyData.write(tmp.resolve("cli-data"), 400, 10, 2);
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("train", "--data", data.toString(), "--validation", "100", "--iterations", "100",
                    "--eval-every", "20", "--batch", "20", "--lr", "1e6", "--sparse-below", "0", "--out",
                    tmp.resolve("runs").toString());
        } finally {
            System.setErr(old);
        }
        String err = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, err);
        assertTrue(err.contains("prune4j: training diverged between iterations"), err);
        try (Stream<Path> s = Files.walk(tmp.resolve("runs"))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString()
                    .equals("settings.json") && !p.getFileName().toString().equals("environment.json")),
                    "no result was stored");
        }
    }
}
