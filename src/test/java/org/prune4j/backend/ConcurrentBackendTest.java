package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.data.ImageData;
import org.prune4j.nn.Adam;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;
import org.prune4j.train.Progress;
import org.prune4j.train.TrainConfig;
import org.prune4j.train.TrainResult;
import org.prune4j.train.Trainer;

/**
 * One backend used from several threads at once gives, bit for bit, what it gives used from
 * one: products, and whole training runs of separate models (issue 13, concurrency).
 */
class ConcurrentBackendTest {
    private static final int THREADS = 4;
    private final Backend shared = new CpuBackend(CpuBackend.bestGemm());

    /** Runs {@code work(i)} for i in 0..n-1 on THREADS threads at once. */
    private static <T> List<T> parallel(int n, java.util.function.IntFunction<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(pool.submit((Callable<T>) () -> work.apply(k)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private float[] products(int k) {
        Rng rng = new Rng(100 + k);
        int m = 64 + 8 * (k % 3), n = 48, inner = 96;
        Tensor w = Tensor.uniform(rng, -1, 1, m, inner), x = Tensor.uniform(rng, -1, 1, inner, n);
        CsrMatrix s = CsrMatrix.fromDense(w, Mask.random(m, inner, 0.2, rng));
        Tensor y1 = Tensor.zeros(m, n), y2 = Tensor.zeros(m, n), dx = Tensor.zeros(inner, n);
        shared.gemm(Op.N, Op.N, 1f, w, x, 0f, y1);
        shared.spmm(s, Op.N, x, y2);
        shared.spmm(s, Op.T, y2, dx);
        float[] g = new float[s.nnz()];
        shared.sddmm(y1, x, s, g);
        float[] all = new float[y1.size() + y2.size() + dx.size() + g.length];
        System.arraycopy(y1.data(), 0, all, 0, y1.size());
        System.arraycopy(y2.data(), 0, all, y1.size(), y2.size());
        System.arraycopy(dx.data(), 0, all, y1.size() + y2.size(), dx.size());
        System.arraycopy(g, 0, all, all.length - g.length, g.length);
        return all;
    }

    @Test
    void productsFromManyThreadsEqualProductsFromOne() throws Exception {
        int n = 12;
        List<float[]> alone = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            alone.add(products(k));
        }
        for (int round = 0; round < 3; round++) {
            List<float[]> together = parallel(n, this::products);
            for (int k = 0; k < n; k++) {
                assertArrayEquals(alone.get(k), together.get(k), "task " + k + ", round " + round);
            }
        }
    }

    private static ImageData data() {
        return org.prune4j.testing.TinyData.fourStripes();
    }

    private TrainResult train(int k, ImageData data) {
        Model m = Models.create("lenet300", 1, 6, 6, 4, new Rng(k));
        if (k % 2 == 1) {
            var w = m.parameter("fc1.weight");
            w.setMask(Mask.random(w.value().rows(), w.value().cols(), 0.1, new Rng(k)));
            m.chooseKernels(new org.prune4j.nn.KernelPolicy(0.5, "test"), 20);
        }
        return new Trainer(shared, Progress.NONE).train(m, new Adam(0.9, 0.999, 1e-8, 0), LearningRate.constant(2e-3),
                data, new TrainConfig(40, 20, 20, k), "t" + k, List.of());
    }

    @Test
    void trainingSeveralModelsAtOnceOnOneBackendGivesTheirSequentialCurves() throws Exception {
        ImageData data = data();
        int n = 4;
        List<TrainResult> alone = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            alone.add(train(k, data));
        }
        List<TrainResult> together = parallel(n, k -> train(k, data));
        for (int k = 0; k < n; k++) {
            assertEquals(alone.get(k).curve(), together.get(k).curve(), "model " + k + (k % 2 == 1 ? " (sparse)" : ""));
        }
    }
}
