package com.example.consumer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.Op;
import org.prune4j.exchange.ModelFiles;
import org.prune4j.nn.Adam;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Workspace;
import org.prune4j.prune.LayerwiseScope;
import org.prune4j.prune.MagnitudeScore;
import org.prune4j.prune.Pruner;
import org.prune4j.prune.ScoringContext;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;
import org.prune4j.train.TrainingStep;

/**
 * Uses Prune4J as a library: a sparse product checked against the dense one, a pruned model
 * trained a few steps, written as safetensors and read back. Exits non-zero when anything
 * disagrees, so the build that runs it fails.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Rng rng = new Rng(1);
        Tensor w = Tensor.uniform(rng, -1, 1, 64, 96);
        Tensor x = Tensor.uniform(rng, -1, 1, 96, 8);
        CsrMatrix sparse = CsrMatrix.fromDense(w, Mask.topScores(w.abs(), 0.8));
        try (Backend b = Backends.open("auto")) {
            System.out.println("backend: " + b.description());
            Tensor y = Tensor.zeros(64, 8), ref = Tensor.zeros(64, 8);
            b.spmm(sparse, Op.N, x, y);
            b.gemm(Op.N, Op.N, 1f, sparse.toDense(), x, 0f, ref);
            for (int i = 0; i < y.size(); i++) {
                if (Math.abs(y.data()[i] - ref.data()[i]) > 1e-4) {
                    throw new AssertionError("sparse and dense products differ at " + i);
                }
            }

            Model model = Models.create("lenet300", 1, 28, 28, 10, new Rng(2));
            Pruner.prune(new ScoringContext(model, b, null, 1, 1, new Rng(3)), new MagnitudeScore(),
                    new LayerwiseScope(0.5), 0.2, 1);
            try (Workspace ws = Workspace.caching(b)) {
                TrainingStep step = new TrainingStep(model, new Adam(0.9, 0.999, 1e-8, 0), ws, new Rng(4));
                Tensor images = b.allocate(32, 1, 28, 28), labels = b.allocate(32);
                b.copy(Tensor.uniform(rng, -1, 1, 32, 1, 28, 28), images);
                for (int i = 0; i < 5; i++) {
                    step.run(images, labels, 1e-3);
                }
                System.out.printf("5 steps, summed loss %.3f%n", step.takeStats()[0]);
            }
            model.release();
            Path file = Files.createTempDirectory("consumer").resolve("lenet300.safetensors");
            ModelFiles.write(model, file);
            Model back = ModelFiles.read(file);
            for (Parameter p : model.parameters()) {
                if (!java.util.Arrays.equals(p.value().data(), back.parameter(p.name()).value().data())) {
                    throw new AssertionError(p.name() + " did not survive the file");
                }
            }
            System.out.printf("ok: %d of %d weights kept, written to and read back from %s%n", back.aliveWeights(),
                    back.weightCount(), file);
        }
    }
}
