package org.prune4j.dynamic;

import java.util.ArrayList;
import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.data.Dataset;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Supermasks in superposition (Wortsman et al., NeurIPS 2020): one fixed random network, one
 * edge-popup mask learned per task, nothing else stored per task. With the task given, a test
 * example uses its task's mask; without it, each batch of test examples first infers its task
 * one-shot from the entropy of the superimposed network's outputs ({@link TaskInference}).
 */
public final class SupSup {
    private SupSup() {
    }

    public static final String PAPER = "Wortsman et al., Supermasks in Superposition, NeurIPS 2020";

    /** Refuses models SupSup cannot share between tasks. */
    public static void check(Model model, SparseTrainingSettings s) {
        if (!model.normScales().isEmpty()) {
            throw new IllegalArgumentException(model.name() + " has BatchNorm, whose running statistics would be "
                    + "shared by every task; use a model without it (lenet300, lenet5, conv2/4/6)");
        }
        Allocation.UNIFORM.counts(model.prunable(), s.density());
    }

    /** The learner for one task, on a model loaded with the shared initialisation. */
    public static EdgePopup learner(Model model, SparseTrainingSettings s, Optimizer optimizer, LearningRate lr,
            Rng rng) {
        return new EdgePopup(model, s.density(), s.weights().equals("scaled-signed-kaiming"), optimizer, lr, rng);
    }

    /** The shared fixed weights, from a model loaded with the shared initialisation (left unchanged). */
    public static List<float[]> fixedWeights(Model model, SparseTrainingSettings s) {
        List<float[]> saved = new ArrayList<>();
        for (Parameter w : model.prunable()) {
            saved.add(w.value().data().clone());
        }
        EdgePopup.signedKaiming(model, s.density(), s.weights().equals("scaled-signed-kaiming"));
        List<float[]> fixed = new ArrayList<>();
        List<Parameter> ws = model.prunable();
        for (int l = 0; l < ws.size(); l++) {
            float[] v = ws.get(l).value().data();
            fixed.add(v.clone());
            System.arraycopy(saved.get(l), 0, v, 0, v.length);
        }
        return fixed;
    }

    /** How one task's test set fared when its task was inferred batch by batch. */
    public record Inferred(int task, int batches, int rightTask, int examples, int correct) {
        public double accuracy() {
            return correct / (double) examples;
        }

        public double taskAccuracy() {
            return rightTask / (double) batches;
        }
    }

    /**
     * Infers the task of each batch of {@code batch} examples of task {@code task}'s test set,
     * then classifies the batch with the inferred task's mask.
     */
    public static Inferred inferAndClassify(Model model, List<float[]> fixed, List<List<Mask>> masks, Dataset test,
            int task, int batch, Backend backend) {
        TaskInference inference = new TaskInference(model, fixed, masks, backend);
        int[] order = new int[test.size()];
        java.util.Arrays.setAll(order, i -> i);
        int batches = 0, right = 0, correct = 0;
        for (int from = 0; from < order.length; from += batch) {
            int to = Math.min(order.length, from + batch);
            Tensor x = test.images(order, from, to);
            int t = inference.infer(x);
            batches++;
            right += t == task ? 1 : 0;
            use(model, fixed, masks.get(t));
            Tensor logits = model.forward(backend.resident(x), Pass.eval(backend)).toHost();
            int[] labels = test.labels(order, from, to);
            float[] z = logits.data();
            int c = logits.cols();
            for (int r = 0; r < labels.length; r++) {
                int arg = 0;
                for (int k = 1; k < c; k++) {
                    if (z[r * c + k] > z[r * c + arg]) {
                        arg = k;
                    }
                }
                correct += arg == labels[r] ? 1 : 0;
            }
        }
        return new Inferred(task, batches, right, order.length, correct);
    }

    /** Sets the model to {@code w0} under one task's masks. */
    public static void use(Model model, List<float[]> fixed, List<Mask> masks) {
        List<Parameter> ws = model.prunable();
        for (int l = 0; l < ws.size(); l++) {
            Parameter w = ws.get(l);
            w.setMask(masks.get(l));
            float[] v = w.value().data();
            System.arraycopy(fixed.get(l), 0, v, 0, v.length);
            w.applyMask(v);
        }
        for (WeightedLayer layer : model.weightedLayers()) {
            layer.useSparseKernel(false);
        }
    }
}
