package org.prune4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prune4j.data.ImageData;
import org.prune4j.nn.Adam;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.ModelState;
import org.prune4j.nn.Models;
import org.prune4j.prune.LayerwiseScope;
import org.prune4j.prune.MagnitudeScore;
import org.prune4j.prune.Pruner;
import org.prune4j.prune.Reset;
import org.prune4j.prune.ScoringContext;
import org.prune4j.train.Progress;
import org.prune4j.train.TrainConfig;
import org.prune4j.train.TrainResult;
import org.prune4j.train.Trainer;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.Op;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** The README's Java example, run as written, with its results checked by hand-made sums. */
class ReadmeExampleTest {
    @Test
    void readmeExampleRunsAndItsGradientIsTheSampledProduct() {
        Rng rng = new Rng(1);
        Tensor w = Tensor.uniform(rng, -1, 1, 512, 784);
        Tensor x = Tensor.uniform(rng, -1, 1, 784, 64);
        CsrMatrix sparse = CsrMatrix.fromDense(w, Mask.topScores(w.abs(), 0.9));
        assertEquals(Math.round(0.1 * 512 * 784), sparse.nnz());
        try (Backend b = Backends.open("auto")) {
            Tensor y = Tensor.zeros(512, 64);
            b.spmm(sparse, Op.N, x, y);
            Tensor dy = Tensor.uniform(rng, -1, 1, 512, 64);
            Tensor dx = Tensor.zeros(784, 64);
            b.spmm(sparse, Op.T, dy, dx);
            float[] grad = new float[sparse.nnz()];
            b.sddmm(dy, x, sparse, grad);
            // dL/dW[i][j] = sum_t dy[i][t] * x[j][t], checked for the first stored entry.
            int i = 0;
            while (sparse.rowPtr()[i + 1] == 0) {
                i++;
            }
            int j = sparse.colIdx()[0];
            double want = 0;
            for (int t = 0; t < 64; t++) {
                want += (double) dy.get(i, t) * x.get(j, t);
            }
            assertEquals(want, grad[0], 1e-4);
        }
    }

    /** The README's training example, with fewer examples and steps so it fits in CI. */
    @Test
    void readmeTrainingExampleFindsATicketThatStillClassifies() {
        assumeTrue(java.nio.file.Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed");
        ImageData data = ImageData.load(ImageData.FASHION_MNIST, 5000, 1).head(6000, 1000, 1000);
        long steps = 400;
        Model model = Models.create("lenet300", 1, 28, 28, 10, new Rng(1));
        ModelState init = model.state();
        try (Backend b = Backends.open("auto")) {
            Trainer trainer = new Trainer(b, Progress.NONE);
            TrainConfig cfg = new TrainConfig(steps, 60, 100, 1);
            trainer.train(model, new Adam(0.9, 0.999, 1e-8, 0), LearningRate.constant(1.2e-3), data, cfg, "dense",
                    List.of());
            ScoringContext ctx = new ScoringContext(model, b, data, 1, 100, new Rng(2));
            Pruner.prune(ctx, new MagnitudeScore(), new LayerwiseScope(0.5), 0.2, 1);
            new Reset.RewindToInit().apply(model, new Reset.Context(init, null, new Rng(3)));
            model.chooseKernels(new KernelPolicy(0.25, "told")).forEach(System.out::println);
            TrainResult r = trainer.train(model, new Adam(0.9, 0.999, 1e-8, 0), LearningRate.constant(1.2e-3), data,
                    cfg, "ticket", List.of());
            assertEquals(0.2, model.parameter("fc1.weight").density(), 1e-3);
            assertEquals(0.6, model.parameter("fc3.weight").density(), 1e-3);
            // 400 Adam steps at 20% of the weights still classify Fashion-MNIST at ~80%; chance is 10%.
            assertTrue(r.earlyStop().testAccuracy() > 0.7, "ticket accuracy " + r.earlyStop().testAccuracy());
        }
    }
}
