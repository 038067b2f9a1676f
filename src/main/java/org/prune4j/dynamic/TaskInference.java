package org.prune4j.dynamic;

import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Tensor;

/**
 * SupSup's one-shot task inference (Wortsman et al., "Supermasks in Superposition", NeurIPS
 * 2020): superimpose every task's mask with equal coefficients {@code alpha_i = 1/T}, so the
 * effective weight is {@code w0 * sum_i alpha_i M_i}, run a batch of unlabelled inputs, and
 * take the task whose coefficient most lowers the mean entropy of the outputs, the smallest
 * {@code dH/dalpha_i = sum over weights of dH/dW * w0 * M_i}. One forward and one backward,
 * whatever the number of tasks.
 */
public final class TaskInference {
    private final Model model;
    private final List<float[]> fixed;
    private final List<List<Mask>> masks;
    private final Backend backend;

    /**
     * @param fixed the fixed weights w0, one array per prunable weight of {@code model}
     * @param masks per task, one mask per prunable weight
     */
    public TaskInference(Model model, List<float[]> fixed, List<List<Mask>> masks, Backend backend) {
        int layers = model.prunable().size();
        if (fixed.size() != layers || masks.stream().anyMatch(m -> m.size() != layers)) {
            throw new IllegalArgumentException("one fixed weight and one mask per task are needed for each of the "
                    + layers + " weights");
        }
        if (masks.size() < 2) {
            throw new IllegalArgumentException("task inference needs at least 2 tasks, got " + masks.size());
        }
        this.model = model;
        this.fixed = List.copyOf(fixed);
        this.masks = List.copyOf(masks);
        this.backend = backend;
    }

    /** dH/dalpha_i for every task on {@code images}; the model is left at the superposition. */
    public double[] entropyGradient(Tensor images) {
        int tasks = masks.size();
        List<Parameter> weights = model.prunable();
        for (int l = 0; l < weights.size(); l++) {
            Parameter w = weights.get(l);
            w.setMask(null);
            float[] v = w.value().data(), w0 = fixed.get(l);
            java.util.Arrays.fill(v, 0f);
            for (List<Mask> task : masks) {
                boolean[] m = task.get(l).toArray();
                for (int i = 0; i < v.length; i++) {
                    if (m[i]) {
                        v[i] += w0[i] / tasks;
                    }
                }
            }
        }
        for (WeightedLayer layer : model.weightedLayers()) {
            layer.useSparseKernel(false);
        }
        Tensor logits = model.forward(backend.resident(images), Pass.eval(backend)).toHost();
        Tensor dlogits = Tensor.wrap(entropyGrad(logits.data(), logits.rows(), logits.cols()), logits.rows(),
                logits.cols());
        model.backward(backend.resident(dlogits));
        double[] out = new double[tasks];
        for (int l = 0; l < weights.size(); l++) {
            float[] g = weights.get(l).fullGradient().data(), w0 = fixed.get(l);
            for (int t = 0; t < tasks; t++) {
                boolean[] m = masks.get(t).get(l).toArray();
                double sum = 0;
                for (int i = 0; i < g.length; i++) {
                    if (m[i]) {
                        sum += (double) g[i] * w0[i];
                    }
                }
                out[t] += sum;
            }
        }
        return out;
    }

    /** The inferred task: the one whose coefficient lowers the entropy most. */
    public int infer(Tensor images) {
        double[] g = entropyGradient(images);
        int best = 0;
        for (int t = 1; t < g.length; t++) {
            if (g[t] < g[best]) {
                best = t;
            }
        }
        return best;
    }

    /** The mean over rows of the softmax entropy, H. */
    public static double meanEntropy(float[] logits, int rows, int cols) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double[] p = softmax(logits, r * cols, cols);
            for (double q : p) {
                sum -= q > 0 ? q * Math.log(q) : 0;
            }
        }
        return sum / rows;
    }

    /** dH/dlogits for the mean entropy: {@code -p_k (log p_k + H_row) / rows}. */
    static float[] entropyGrad(float[] logits, int rows, int cols) {
        float[] out = new float[logits.length];
        for (int r = 0; r < rows; r++) {
            double[] p = softmax(logits, r * cols, cols);
            double h = 0;
            for (double q : p) {
                h -= q > 0 ? q * Math.log(q) : 0;
            }
            for (int k = 0; k < cols; k++) {
                double lp = p[k] > 0 ? Math.log(p[k]) : 0;
                out[r * cols + k] = (float) (-p[k] * (lp + h) / rows);
            }
        }
        return out;
    }

    private static double[] softmax(float[] z, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, z[off + k]);
        }
        double[] p = new double[n];
        double s = 0;
        for (int k = 0; k < n; k++) {
            p[k] = Math.exp(z[off + k] - max);
            s += p[k];
        }
        for (int k = 0; k < n; k++) {
            p[k] /= s;
        }
        return p;
    }
}
