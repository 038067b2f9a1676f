package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.Op;
import org.prune4j.backend.SimulatedDevice;
import org.prune4j.backend.TransferCounter;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.data.Dataset;
import org.prune4j.data.ImageData;
import org.prune4j.nn.Adam;
import org.prune4j.nn.BatchNorm;
import org.prune4j.nn.Conv2d;
import org.prune4j.nn.Dropout;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.Initialiser;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.Layer;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Linear;
import org.prune4j.nn.MaxPool2d;
import org.prune4j.nn.Model;
import org.prune4j.nn.ModelState;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.ReLU;
import org.prune4j.nn.Sgd;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * The training engine keeps everything where the backend computes: on a simulated device whose
 * tensors the host cannot touch, a whole run (every layer type, masked-dense and sparse weights,
 * Adam, evaluation) goes through, each step copies exactly its batch in and nothing out, and
 * the result is bit-identical to the same run on the CPU backend.
 */
class ResidentTrainingTest {

    static ImageData data(long seed) {
        Rng rng = new Rng(seed);
        int n = 96, c = 1, h = 6, w = 6;
        float[] px = new float[n * c * h * w];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
            for (int j = 0; j < c * h * w; j++) {
                px[i * c * h * w + j] = (float) (rng.nextGaussian() + (j % 3 == y[i] ? 1.5 : 0));
            }
        }
        Dataset d = new Dataset("synthetic", px, y, c, h, w, 3);
        return new ImageData(d, d.head(32), d.head(40));
    }

    /** Every layer type: conv, batch norm, pooling, dropout, linear; two masked weights. */
    static Model model(long seed) {
        List<Layer> l = List.of(new Conv2d("conv1", 1, 4, 3, 1), new BatchNorm("bn1", 4), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear("fc1", 36, 20), new ReLU(), new Dropout(0.2),
                new Linear("fc2", 20, 3));
        Model m = new Model("all-layers", new int[] {1, 6, 6}, l, Initialiser.KAIMING_NORMAL);
        m.initialise(new Rng(seed));
        Rng r = new Rng(seed + 1);
        m.parameter("conv1.weight").setMask(Mask.random(4, 9, 0.7, r));
        m.parameter("fc1.weight").setMask(Mask.random(20, 36, 0.2, r));
        return m;
    }

    private static List<float[]> train(Backend be, List<TransferCounter.Snapshot> perStep) {
        return train(be, new Adam(0.9, 0.999, 1e-8, 1e-4), 0.01, perStep);
    }

    /**
     * Twelve steps of the all-layers model (fc1 at density 0.2 on the sparse kernels, conv1
     * masked dense), evaluating after steps 5 and 10; records the copies of each step and
     * returns every parameter's final values.
     */
    static List<float[]> train(Backend be, Optimizer optimizer, double lr, List<TransferCounter.Snapshot> perStep) {
        Model m = model(5);
        m.chooseKernels(new KernelPolicy(0.5, "test"));
        ImageData d = data(3);
        List<TransferCounter.Snapshot> marks = new ArrayList<>();
        marks.add(be.transfers());
        Trainer.Hook hook = (it, model) -> marks.add(be.transfers());
        new Trainer(be, Progress.NONE).train(m, optimizer, LearningRate.constant(lr), d,
                new TrainConfig(12, 16, 5, 7), "test", List.of(hook));
        for (int i = 1; i < marks.size(); i++) {
            perStep.add(marks.get(i).minus(marks.get(i - 1)));
        }
        List<float[]> out = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            out.add(p.value().data().clone());
        }
        return out;
    }

    @Test
    void aStepCopiesOnlyItsBatchAndMatchesTheCpuBitForBit() {
        Backend cpu = new CpuBackend(new JavaGemm());
        Backend sim = SimulatedDevice.over(cpu);
        List<TransferCounter.Snapshot> steps = new ArrayList<>();
        List<float[]> onSim = train(sim, steps);
        List<float[]> onCpu = train(cpu, new ArrayList<>());
        for (int i = 0; i < onSim.size(); i++) {
            assertArrayEquals(onCpu.get(i), onSim.get(i), "parameter " + i);
        }
        assertEquals(12, steps.size());
        for (int i = 0; i < steps.size(); i++) {
            TransferCounter.Snapshot s = steps.get(i);
            if (i == 0) {
                assertTrue(s.toDevice() >= 2, "the first step also moves the parameters in: " + s);
                continue;
            }
            // Step 1..: the batch (images, labels) in; at evaluation points (after steps 5 and 10) the
            // evaluation batches come in too and a few sums go out, but inside a step nothing else crosses.
            boolean evalBefore = i == 5 || i == 10;
            if (!evalBefore) {
                assertEquals(2, s.toDevice(), "step " + (i + 1) + ": " + s);
                assertEquals(0, s.toHost(), "step " + (i + 1) + ": " + s);
            }
        }
    }

    /** A third-party backend written against the products only: everything else routes to the CPU. */
    static final class ProductsOnly implements Backend {
        private final Backend cpu = new CpuBackend(new JavaGemm());

        public String name() {
            return "products-only";
        }

        public String description() {
            return "test";
        }

        public void gemm(Op opA, Op opB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
            cpu.gemm(opA, opB, alpha, a, b, beta, c);
        }

        public void spmm(SparseMatrix w, Op opW, Tensor x, Tensor y) {
            cpu.spmm(w, opW, x, y);
        }

        public void sddmm(Tensor a, Tensor b, CsrMatrix pattern, float[] out) {
            cpu.sddmm(a, b, pattern, out);
        }

        public void axpy(float alpha, Tensor x, Tensor y) {
            cpu.axpy(alpha, x, y);
        }

        public void scale(float alpha, Tensor x) {
            cpu.scale(alpha, x);
        }

        public void mul(Tensor a, Tensor b, Tensor out) {
            cpu.mul(a, b, out);
        }

        public void relu(Tensor x, Tensor out) {
            cpu.relu(x, out);
        }

        public void reluBackward(Tensor x, Tensor dy, Tensor dx) {
            cpu.reluBackward(x, dy, dx);
        }

        public void addRowVector(Tensor m, Tensor bias) {
            cpu.addRowVector(m, bias);
        }

        public void sumRows(Tensor m, Tensor out) {
            cpu.sumRows(m, out);
        }
    }

    @Test
    void aBackendWithFewerFeaturesTrainsThroughTheRouterAndSaysSoOncePerFeature() {
        List<String> lines = new ArrayList<>();
        Logger log = Logger.getLogger("org.prune4j.backend.CapabilityRouter");
        Handler h = new Handler() {
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            public void flush() {
            }

            public void close() {
            }
        };
        log.addHandler(h);
        try {
            Backend routed = Backends.routed(new ProductsOnly());
            List<float[]> a = train(routed, new ArrayList<>());
            List<float[]> b = train(new CpuBackend(new JavaGemm()), new ArrayList<>());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i), a.get(i), "parameter " + i);
            }
        } finally {
            log.removeHandler(h);
        }
        for (String f : List.of("conv", "batch_norm", "pool", "dropout", "loss", "optimizer", "sparse_training",
                "masks")) {
            long n = lines.stream().filter(s -> s.contains("does not run " + f + ";")).count();
            assertEquals(1, n, f + " logged " + n + " times in " + lines);
        }
    }

    @Test
    void afterTrainingTheModelIsBackInHostMemoryWithItsMasksIntact() {
        Backend sim = SimulatedDevice.over(new CpuBackend(new JavaGemm()));
        Model m = model(9);
        m.chooseKernels(new KernelPolicy(0.5, "test"));
        new Trainer(sim, Progress.NONE).train(m, new Sgd(0.9, true, 0), LearningRate.constant(0.05), data(4),
                new TrainConfig(6, 16, 3, 1), "t", List.of());
        for (Parameter p : m.parameters()) {
            assertTrue(p.current().isHost(), p.name() + " still on " + p.current().device());
            if (p.mask() != null) {
                boolean[] k = p.mask().toArray();
                for (int i = 0; i < k.length; i++) {
                    if (!k[i]) {
                        assertEquals(0f, p.value().data()[i], p.name() + "[" + i + "]");
                    }
                }
            }
        }
        ModelState s = m.state();
        assertEquals(m.parameters().size(), s.values().size());
    }

    /**
     * The k-winners network of Ahmad and Scheinkman (mask fixed at creation, boosted winners,
     * duty cycles as buffers) trains resident on the simulated device, on the sparse kernels,
     * bit-identical to the CPU, duty cycles and examples seen included.
     */
    @Test
    void kWinnersTrainResidentWithTheirDutyCyclesAndMatchTheCpu() {
        List<List<float[]>> runs = new ArrayList<>();
        for (Backend be : List.<Backend>of(SimulatedDevice.over(new CpuBackend(new JavaGemm())),
                new CpuBackend(new JavaGemm()))) {
            Model m = org.prune4j.nn.Models.create("kwta-mlp", 1, 6, 6, 3, new Rng(11));
            m.chooseKernels(new KernelPolicy(0.5, "test"));
            new Trainer(be, Progress.NONE).train(m, new Adam(0.9, 0.999, 1e-8, 0), LearningRate.constant(0.01),
                    data(3), new TrainConfig(8, 16, 4, 7), "t", List.of());
            List<float[]> values = new ArrayList<>();
            for (Parameter p : m.parameters()) {
                assertTrue(p.current().isHost(), p.name());
                values.add(p.value().data().clone());
            }
            assertEquals(8 * 16, m.parameter("kwta1.seen").value().data()[0]);
            runs.add(values);
        }
        for (int i = 0; i < runs.get(0).size(); i++) {
            assertArrayEquals(runs.get(1).get(i), runs.get(0).get(i), "parameter " + i);
        }
    }
}
