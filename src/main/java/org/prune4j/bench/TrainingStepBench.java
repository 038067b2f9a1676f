package org.prune4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.prune4j.backend.Backend;
import org.prune4j.backend.TransferCounter;
import org.prune4j.nn.Adam;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.Initialiser;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.Layer;
import org.prune4j.nn.Linear;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.ReLU;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.nn.Workspace;
import org.prune4j.sparse.MaskStructure;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;
import org.prune4j.train.TrainingStep;

/**
 * Times whole training steps (forward, loss, backward, Adam) of real models, dense and pruned,
 * on the masked dense GEMMs and on the sparse kernels: the measure of whether pruning buys
 * speed during training. Every layer but the output layer is pruned to the sparsity, with an
 * exact random mask per layer, unstructured or in whole blocks; the batch is already in the backend's memory, so a row times
 * the step alone. Benchmarks only: tests never assert speed.
 */
public final class TrainingStepBench {

    /** What the pruned layers run on: dense GEMMs on masked weights, or the sparse kernels. */
    public enum Mode { DENSE, MASKED_DENSE, SPARSE, CALIBRATED }

    /** A model and its batch size, as the issue's table asks: LeNet-300-100 and Conv-4 at 60, the 4096 MLP at 256. */
    public record Spec(String model, int batch) {
        public static final List<Spec> DEFAULT = List.of(new Spec("lenet300", 60), new Spec("conv4", 60),
                new Spec("mlp4096", 256));
    }

    /** One measured configuration; {@code vsDense} is this step's median over the dense step's of the same model. */
    public record Row(String model, int batch, Mode mode, double sparsity, Timing timing, double vsDense,
            double copiesPerStep, double bytesPerStep, String kernels) {
    }

    /** Steps of every row add up to at least this long, so one slow step cannot move a small model's median. */
    private static final long MIN_ROW_NANOS = 1_500_000_000L;
    private static final int MAX_RUNS = 5000;
    /** Interleaved rounds over a model's configurations. */
    static final int ROUNDS = 3;

    private TrainingStepBench() {
    }

    /** The models of the table; {@code mlp4096} is 4096-4096-4096-10 on a 64x64 input. */
    public static Model model(String name, Rng rng) {
        if (name.equals("mlp4096")) {
            List<Layer> l = List.of(new Flatten(), new Linear("fc1", 4096, 4096), new ReLU(),
                    new Linear("fc2", 4096, 4096), new ReLU(), new Linear("fc3", 4096, 10));
            Model m = new Model("mlp4096", new int[] {1, 64, 64}, l, Initialiser.GLOROT_NORMAL);
            m.initialise(rng);
            return m;
        }
        return Models.create(name, 1, 28, 28, 10, rng);
    }

    /** One configuration of a model: what {@link #run} measures once per round. */
    private record Config(Mode mode, double sparsity, MaskStructure structure) {
    }

    /** The steps of one configuration so far, over the rounds. */
    private static final class Samples {
        final List<Double> ms = new ArrayList<>();
        long copies;
        long bytes;
        String kernels = "";
    }

    /**
     * Runs every spec x mode x sparsity (DENSE once per model, at 0) in {@link #ROUNDS}
     * interleaved rounds, so slow drift of the machine (a shared VM's neighbours, turbo) falls
     * on every configuration alike instead of on whichever came first; each configuration gets
     * at least {@code runs} steps and a second of steps over the rounds. A model's rows go to
     * {@code sink} when its rounds are done.
     */
    public static List<Row> run(Backend be, List<Spec> specs, double[] sparsities, List<Mode> modes,
            KernelPolicy calibrated, int warmup, int runs, Consumer<Row> sink) {
        return run(be, specs, sparsities, modes, MaskStructure.NONE, calibrated, warmup, runs, MIN_ROW_NANOS, sink);
    }

    /**
     * As above, with masks of the given structure (whole blocks, exact 2:4, or {@link
     * MaskStructure#NONE}: unstructured) and
     * each row's minimum total of step time ({@code --quick} shortens it).
     */
    public static List<Row> run(Backend be, List<Spec> specs, double[] sparsities, List<Mode> modes, MaskStructure structure,
            KernelPolicy calibrated, int warmup, int runs, long minRowNanos, Consumer<Row> sink) {
        List<Row> rows = new ArrayList<>();
        for (Spec spec : specs) {
            // The JIT compiles each path's kernels on first use: warm them all up before the
            // first row, or whichever is measured first pays for it.
            for (Mode m : List.of(Mode.DENSE, Mode.MASKED_DENSE, Mode.SPARSE)) {
                measure(be, spec, new Config(m, structure.twoFour() ? 0.5 : 0.9, structure), calibrated, Math.max(warmup, 10), 3, minRowNanos / 2,
                        new Samples());
            }
            List<Config> configs = new ArrayList<>();
            if (modes.contains(Mode.DENSE)) {
                configs.add(new Config(Mode.DENSE, 0, structure));
            }
            for (Mode mode : modes) {
                if (mode != Mode.DENSE) {
                    for (double s : sparsities) {
                        configs.add(new Config(mode, s, structure));
                    }
                }
            }
            java.util.Map<Config, Samples> samples = new java.util.LinkedHashMap<>();
            configs.forEach(c -> samples.put(c, new Samples()));
            for (int round = 0; round < ROUNDS; round++) {
                for (Config c : configs) {
                    measure(be, spec, c, calibrated, warmup, Math.max(1, (runs + ROUNDS - 1) / ROUNDS),
                            minRowNanos / ROUNDS, samples.get(c));
                }
            }
            Samples dense = samples.get(new Config(Mode.DENSE, 0, structure));
            Double denseMs = dense == null ? null : Timing.of(toArray(dense.ms)).medianMs();
            for (Config c : configs) {
                Samples x = samples.get(c);
                Timing t = Timing.of(toArray(x.ms));
                Row r = new Row(spec.model(), spec.batch(), c.mode(), c.sparsity(), t,
                        denseMs == null ? Double.NaN : t.medianMs() / denseMs, x.copies / (double) x.ms.size(),
                        x.bytes / (double) x.ms.size(), x.kernels);
                rows.add(r);
                sink.accept(r);
            }
        }
        return rows;
    }

    private static double[] toArray(List<Double> ms) {
        return ms.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Builds the configuration, warms it up, and adds at least {@code runs} steps and {@code nanos} of steps. */
    private static void measure(Backend be, Spec spec, Config c, KernelPolicy calibrated, int warmup, int runs,
            long nanos, Samples out) {
        Rng rng = new Rng(1234);
        Model m = model(spec.model(), rng);
        List<WeightedLayer> layers = m.weightedLayers();
        if (c.mode() != Mode.DENSE) {
            for (int i = 0; i < layers.size() - 1; i++) {
                Parameter w = layers.get(i).weight();
                int[] s = w.shape();
                w.setMask(c.structure().randomMask(s[0], s[1], 1 - c.sparsity(), rng.split(i + 1)));
            }
        }
        List<String> kernels = switch (c.mode()) {
            case DENSE, MASKED_DENSE -> m.chooseKernels(KernelPolicy.DENSE);
            case SPARSE -> {
                for (int i = 0; i < layers.size() - 1; i++) {
                    layers.get(i).useSparseKernel(true);
                }
                yield layers.stream().map(l -> l.weight().name() + (!l.sparseKernel() ? " dense"
                        : l.weight().structure().twoFour() ? " sparse 2:4"
                        : l.weight().blocks().isBlocked() ? " sparse in " + l.weight().blocks() + " blocks" : " sparse"))
                        .toList();
            }
            case CALIBRATED -> m.chooseKernels(calibrated, spec.batch());
        };
        out.kernels = String.join("; ", kernels.stream().map(k -> k.split(" \\(")[0]).toList());
        int[] in = m.inputShape();
        Tensor images = be.allocate(spec.batch(), in[0], in[1], in[2]);
        Tensor labels = be.allocate(spec.batch());
        Tensor hostImages = Tensor.uniform(rng, -1, 1, spec.batch(), in[0], in[1], in[2]);
        float[] lab = new float[spec.batch()];
        for (int i = 0; i < lab.length; i++) {
            lab[i] = rng.nextInt(10);
        }
        be.copy(hostImages, images);
        be.copy(Tensor.wrap(lab, lab.length), labels);
        try (Workspace ws = Workspace.caching(be)) {
            TrainingStep step = new TrainingStep(m, new Adam(0.9, 0.999, 1e-8, 0), ws, new Rng(7));
            for (int i = 0; i < warmup; i++) {
                step.run(images, labels, 1e-4);
            }
            TransferCounter.Snapshot before = be.transfers();
            int taken = 0;
            long start = System.nanoTime();
            while (taken < runs || (System.nanoTime() - start < nanos && taken < MAX_RUNS)) {
                long t0 = System.nanoTime();
                step.run(images, labels, 1e-4);
                be.synchronize();
                out.ms.add((System.nanoTime() - t0) / 1e6);
                taken++;
            }
            TransferCounter.Snapshot d = be.transfers().minus(before);
            out.copies += d.copies();
            out.bytes += d.bytes();
        } finally {
            m.release();
            images.storage().release();
            labels.storage().release();
        }
    }
}
