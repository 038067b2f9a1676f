package org.prune4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.prune4j.backend.Backend;
import org.prune4j.nn.Model;
import org.prune4j.nn.Pass;
import org.prune4j.nn.WeightProduct;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.nn.Workspace;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Inference latency and throughput of a (pruned) model at several batch sizes, each layer on
 * the kernel that measured faster for its forward product at that batch, against the same
 * model with every layer dense. The input is in the backend's memory already; a row times the
 * forward pass alone, the two configurations in three alternating rounds (median of all passes).
 */
public final class InferenceBench {

    /** One batch size: both medians, and which layers ran sparse. */
    public record Row(int batch, double denseMs, double chosenMs, String sparseLayers) {
        public double speedup() {
            return denseMs / chosenMs;
        }

        public double examplesPerSecond() {
            return batch / (chosenMs / 1e3);
        }
    }

    private InferenceBench() {
    }

    public static List<Row> run(Backend be, Model model, int[] batches, int runs, Consumer<String> log) {
        List<Row> rows = new ArrayList<>();
        int[] in = model.inputShape();
        try (Workspace ws = Workspace.caching(be)) {
            Pass pass = new Pass(be, false, null, ws);
            for (int batch : batches) {
                Tensor x = be.resident(Tensor.uniform(new Rng(batch), -1, 1, batch, in[0], in[1], in[2]));
                List<String> sparse = new ArrayList<>();
                boolean[] choice = new boolean[model.weightedLayers().size()];
                for (int i = 0; i < choice.length; i++) {
                    WeightedLayer l = model.weightedLayers().get(i);
                    choice[i] = l.weight().mask() != null && sparseIsFaster(be, l, model, batch, runs);
                    if (choice[i]) {
                        sparse.add(l.weight().name());
                    }
                }
                // the two configurations in alternating rounds, so drift falls on both alike
                List<Double> chosenMs = new ArrayList<>(), denseMs = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    use(model, choice);
                    chosenMs.addAll(time(be, model, x, pass, runs));
                    use(model, new boolean[choice.length]);
                    denseMs.addAll(time(be, model, x, pass, runs));
                }
                use(model, choice);
                double chosen = median(chosenMs), dense = median(denseMs);
                Row r = new Row(batch, dense, chosen, sparse.isEmpty() ? "none" : String.join(" ", sparse));
                rows.add(r);
                log.accept(String.format(Locale.ROOT, "batch %-5d dense %9.3f ms  chosen %9.3f ms  %5.2fx  %10.0f "
                        + "examples/s  sparse: %s", batch, dense, chosen, r.speedup(), r.examplesPerSecond(),
                        r.sparseLayers()));
                x.storage().release();
            }
        } finally {
            model.release();
        }
        return rows;
    }

    /** Times the layer's forward product alone, dense and sparse, on an input of its shape at this batch. */
    private static boolean sparseIsFaster(Backend be, WeightedLayer l, Model model, int batch, int runs) {
        var shape = model.layerShapes(batch).get(l);
        boolean batchMajor = shape.layout() == org.prune4j.backend.ActivationLayout.BATCH_MAJOR;
        Tensor x = be.resident(batchMajor ? Tensor.uniform(new Rng(1), -1, 1, shape.rows(), shape.inputs())
                : Tensor.uniform(new Rng(1), -1, 1, shape.inputs(), shape.rows()));
        WeightProduct p = new WeightProduct(l.weight(), shape.layout());
        double[] ms = new double[2];
        try (Workspace ws = Workspace.caching(be)) {
            Pass pass = new Pass(be, false, null, ws);
            for (int path = 0; path < 2; path++) {
                p.use(path == 1);
                double best = Double.POSITIVE_INFINITY;
                for (int i = 0; i < runs + 2; i++) {
                    long t0 = System.nanoTime();
                    p.forward(x, pass);
                    be.synchronize();
                    best = Math.min(best, (System.nanoTime() - t0) / 1e6);
                }
                ms[path] = best;
            }
        } finally {
            x.storage().release();
        }
        return ms[1] < ms[0];
    }

    private static void use(Model model, boolean[] sparse) {
        for (int i = 0; i < sparse.length; i++) {
            model.weightedLayers().get(i).useSparseKernel(sparse[i]);
        }
    }

    private static double median(List<Double> ms) {
        return Timing.of(ms.stream().mapToDouble(Double::doubleValue).toArray()).medianMs();
    }

    /** At least a third of {@code runs} passes and ~0.2 s of them, after warm-up passes. */
    private static List<Double> time(Backend be, Model model, Tensor x, Pass pass, int runs) {
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < 100_000_000L) {
            model.forward(x, pass);
        }
        be.synchronize();
        List<Double> ms = new ArrayList<>();
        long start = System.nanoTime();
        while (ms.size() < Math.max(1, runs / 3) || (System.nanoTime() - start < 200_000_000L && ms.size() < 2000)) {
            long t0 = System.nanoTime();
            model.forward(x, pass);
            be.synchronize();
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return ms;
    }
}
