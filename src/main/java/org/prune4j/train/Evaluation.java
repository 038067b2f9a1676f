package org.prune4j.train;

import org.prune4j.backend.Backend;
import org.prune4j.data.Dataset;
import org.prune4j.nn.Model;
import org.prune4j.nn.Pass;
import org.prune4j.nn.Workspace;
import org.prune4j.tensor.Tensor;

/**
 * Mean loss and accuracy of a model on a data set, in evaluation mode, computed where the model
 * runs: batches go in, the loss and correct-count sums stay in the backend's memory, and one
 * copy of three numbers comes back per data set.
 */
public record Evaluation(double loss, double accuracy) {
    /** Examples per batch where the activations allow; enough to keep a GPU busy. */
    private static final int BATCH = 1000;
    /**
     * The most one batch's activations may take. A thousand Conv-4 examples would need 1.7 GiB
     * for one layer's unfolded inputs alone, and the training workspace keeps every layer's.
     */
    static final long ACTIVATION_BUDGET_BYTES = 512L << 20;

    /**
     * Examples per evaluation batch for {@code model}: {@link #BATCH}, or fewer when a batch's
     * activations, estimated per weighted layer as its inputs and twice its outputs (for what
     * follows it: activations, pooling) at each position, would pass the budget.
     */
    static int batchSize(Model model) {
        long floatsPerExample = 0;
        for (org.prune4j.nn.LayerShape s : model.layerShapes(1).values()) {
            floatsPerExample += (s.inputs() + 2L * s.outputs()) * s.rows();
        }
        long fit = ACTIVATION_BUDGET_BYTES / Math.max(1, Float.BYTES * floatsPerExample);
        return (int) Math.max(1, Math.min(BATCH, fit));
    }

    /** Evaluates on {@code backend}; the model is back in host memory afterwards. */
    public static Evaluation of(Model model, Dataset data, Backend backend) {
        try (Workspace ws = Workspace.caching(backend)) {
            return of(model, data, new Pass(backend, false, null, ws));
        } finally {
            model.release();
        }
    }

    /** Evaluates with an evaluation pass whose workspace holds the batches and activations. */
    static Evaluation of(Model model, Dataset data, Pass pass) {
        int n = data.size();
        if (n == 0) {
            return new Evaluation(Double.NaN, Double.NaN);
        }
        Backend be = pass.backend();
        int[] all = new int[n];
        java.util.Arrays.setAll(all, i -> i);
        DeviceBatch batch = new DeviceBatch(be, pass.workspace(), Evaluation.class);
        Tensor stats = pass.buffer(Evaluation.class, "stats", 3);
        be.fill(stats, 0f);
        int size = batchSize(model);
        for (int from = 0; from < n; from += size) {
            int to = Math.min(n, from + size);
            Tensor logits = model.forward(batch.load(data, all, from, to), pass);
            be.softmaxCrossEntropy(logits, batch.labels(), null, stats);
        }
        float[] s = stats.toHost().data();
        if (s[2] > 0) {
            throw new ArithmeticException("the model gives non-finite outputs for " + (int) s[2] + " of " + n
                    + " examples of " + data.name() + "; training diverged: lower the learning rate");
        }
        return new Evaluation(s[0] / n, s[1] / (double) n);
    }
}
