package org.prune4j.prune;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.data.Dataset;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.nn.SoftmaxCrossEntropy;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Loss gradients of the prunable weights, for the data-driven scores: the mean over a fixed set
 * of batches, and Hessian-vector products by central differences of gradients. BatchNorm's
 * running statistics are restored afterwards, so scoring leaves the model as it found it.
 */
final class Gradients {
    private final ScoringContext ctx;
    private final double temperature;
    private final List<int[]> batches = new ArrayList<>();

    Gradients(ScoringContext ctx) {
        this(ctx, 1);
    }

    /**
     * @param temperature the loss is the cross-entropy of {@code logits / temperature}; GraSP's
     *                    official implementation scores at 200, which keeps the softmax from
     *                    saturating on a trained network and so keeps its Hessian informative
     */
    Gradients(ScoringContext ctx, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the softmax temperature must be positive and finite, got " + temperature);
        }
        this.temperature = temperature;
        if (ctx.data() == null) {
            throw new IllegalArgumentException("this score needs training data; pass a data set");
        }
        this.ctx = ctx;
        Dataset train = ctx.data().train();
        int bs = Math.min(ctx.batchSize(), train.size());
        int[] order = new int[train.size()];
        java.util.Arrays.setAll(order, i -> i);
        ctx.rng().split(0xba7c).shuffle(order);
        for (int b = 0; b < ctx.batches(); b++) {
            int[] idx = new int[bs];
            for (int i = 0; i < bs; i++) {
                idx[i] = order[(b * bs + i) % order.length];
            }
            batches.add(idx);
        }
    }

    int batchCount() {
        return batches.size();
    }

    /** The images of scoring batch {@code b}: every data-driven score sees the same batches. */
    Tensor images(int b) {
        int[] idx = batches.get(b);
        return ctx.data().train().images(idx, 0, idx.length);
    }

    /** The gradient of the mean loss of batch {@code b} at the model's present weights. */
    Map<Parameter, float[]> of(int b) {
        Model model = ctx.model();
        Map<Parameter, float[]> buffers = saveBuffers(model);
        int[] idx = batches.get(b);
        Tensor x = ctx.data().train().images(idx, 0, idx.length);
        Tensor logits = model.forward(x, new Pass(ctx.backend(), true, ctx.rng().split(b)));
        int[] labels = ctx.data().train().labels(idx, 0, idx.length);
        if (temperature == 1) {
            model.backward(SoftmaxCrossEntropy.of(logits, labels).grad());
        } else {
            // d/dz CE(z / T) = (1/T) * (the cross-entropy gradient at z / T)
            Tensor z = logits.toHost().copy();
            float[] zd = z.data();
            for (int i = 0; i < zd.length; i++) {
                zd[i] = (float) (zd[i] / temperature);
            }
            Tensor g = SoftmaxCrossEntropy.of(z, labels).grad();
            float[] gd = g.data();
            for (int i = 0; i < gd.length; i++) {
                gd[i] = (float) (gd[i] / temperature);
            }
            model.backward(g);
        }
        restore(buffers);
        Map<Parameter, float[]> g = new IdentityHashMap<>();
        for (Parameter p : model.prunable()) {
            g.put(p, p.grad().data().clone());
        }
        return g;
    }

    /** The gradient averaged over all batches. */
    Map<Parameter, float[]> mean() {
        Map<Parameter, float[]> sum = new IdentityHashMap<>();
        for (int b = 0; b < batches.size(); b++) {
            Map<Parameter, float[]> g = of(b);
            g.forEach((p, a) -> {
                float[] s = sum.computeIfAbsent(p, q -> new float[a.length]);
                for (int i = 0; i < a.length; i++) {
                    s[i] += a[i] / batches.size();
                }
            });
        }
        return sum;
    }

    /**
     * H v on batch {@code b} as (g(w + h v) - g(w - h v)) / 2h; v lives on the prunable weights
     * and must be zero where they are pruned.
     */
    Map<Parameter, float[]> hessianTimes(Map<Parameter, float[]> v, double h, int b) {
        shift(v, h);
        Map<Parameter, float[]> plus = of(b);
        shift(v, -2 * h);
        Map<Parameter, float[]> minus = of(b);
        shift(v, h);
        Map<Parameter, float[]> out = new IdentityHashMap<>();
        for (Parameter p : plus.keySet()) {
            float[] a = plus.get(p), c = minus.get(p), r = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = (float) ((a[i] - (double) c[i]) / (2 * h));
            }
            p.applyMask(r);
            out.put(p, r);
        }
        return out;
    }

    private static void shift(Map<Parameter, float[]> v, double h) {
        v.forEach((p, d) -> {
            float[] w = p.value().data();
            for (int i = 0; i < w.length; i++) {
                w[i] += (float) (h * d[i]);
            }
        });
    }

    private static Map<Parameter, float[]> saveBuffers(Model model) {
        Map<Parameter, float[]> m = new IdentityHashMap<>();
        for (Parameter p : model.parameters()) {
            if (p.kind() == Parameter.Kind.BUFFER) {
                m.put(p, p.value().data().clone());
            }
        }
        return m;
    }

    private static void restore(Map<Parameter, float[]> saved) {
        saved.forEach((p, a) -> System.arraycopy(a, 0, p.value().data(), 0, a.length));
    }
}
