package org.prune4j.prune;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.Op;
import org.prune4j.nn.Conv2d;
import org.prune4j.nn.Dropout;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.Layer;
import org.prune4j.nn.Linear;
import org.prune4j.nn.MaxPool2d;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.nn.ReLU;
import org.prune4j.nn.Workspace;
import org.prune4j.tensor.Tensor;

/**
 * The diagonal second derivatives of the loss with respect to every weight, as LeCun, Denker
 * and Solla computed them for Optimal Brain Damage (1990): one backward pass that carries
 * second derivatives instead of first ones, keeping only the diagonal terms and dropping the
 * terms with the activation's second derivative (the Gauss-Newton, or Levenberg-Marquardt,
 * approximation of their paper). Starting from the exact diagonal of the loss with respect to
 * the logits, {@code p (1 - p)} for softmax cross-entropy (over the batch size, as the loss is
 * the batch mean):
 * <ul>
 *   <li>a weight's second derivative is the sum over its uses of {@code h_out * x_in^2};</li>
 *   <li>an input's is the sum over the connections it feeds of {@code w^2 * h_out};</li>
 *   <li>ReLU passes {@code h * f'(a)^2}, max pooling routes h to the maximum, flattening and
 *       evaluation-mode dropout pass it through.</li>
 * </ul>
 * Both sums are products of squared operands, so each runs as a GEMM on the host. Batch
 * normalisation has no such rule (its statistics couple the examples); a model with it is
 * refused, and Hutchinson's estimate ({@link ObdScore}) works on any model.
 */
final class GaussNewtonDiagonal {
    private GaussNewtonDiagonal() {
    }

    /** The diagonal for every prunable weight, averaged over the scoring batches. */
    static Map<Parameter, float[]> of(ScoringContext ctx) {
        Model model = ctx.model();
        for (Layer l : model.layers()) {
            if (!(l instanceof Linear || l instanceof Conv2d || l instanceof ReLU || l instanceof Flatten
                    || l instanceof MaxPool2d || l instanceof Dropout)) {
                throw new IllegalArgumentException("OBD's backward pass of second derivatives has no rule for "
                        + l.describe() + " in " + model.name() + "; use --score obd (Hutchinson's estimate of the "
                        + "Hessian diagonal), which works on any model");
            }
        }
        Gradients batches = new Gradients(ctx);
        Backend host = Backends.host();
        Map<Parameter, float[]> sum = new IdentityHashMap<>();
        for (Parameter p : model.prunable()) {
            sum.put(p, new float[p.size()]);
        }
        try (Workspace ws = Workspace.caching(host)) {
            for (int b = 0; b < batches.batchCount(); b++) {
                batch(model, host, ws, batches.images(b), sum, batches.batchCount());
            }
        } finally {
            model.release();
        }
        return sum;
    }

    private static void batch(Model model, Backend host, Workspace ws, Tensor images, Map<Parameter, float[]> sum,
            int batches) {
        Pass pass = new Pass(host, false, null, ws);
        List<Layer> layers = model.layers();
        List<Tensor> inputs = new ArrayList<>();
        Tensor x = images;
        for (Layer l : layers) {
            inputs.add(x.copy());
            x = l.forward(x, pass);
        }
        Tensor h = softmaxCurvature(x.copy());
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            Tensor in = inputs.get(i);
            boolean needInput = i > 0;
            if (l instanceof Linear lin) {
                Parameter w = lin.weight();
                Tensor hw = Tensor.zeros(w.shape());
                host.gemm(Op.T, Op.N, 1f, h, squared(in), 0f, hw);
                add(sum.get(w), hw, batches);
                if (needInput) {
                    Tensor hin = Tensor.zeros(in.shape());
                    host.gemm(Op.N, Op.N, 1f, h, squared(w.value()), 0f, hin);
                    h = hin;
                }
            } else if (l instanceof Conv2d conv) {
                h = conv(conv, in, h, host, sum, batches, needInput);
            } else if (l instanceof ReLU) {
                float[] hd = h.data(), a = in.data();
                for (int j = 0; j < hd.length; j++) {
                    hd[j] = a[j] > 0 ? hd[j] : 0f;
                }
                h = h.reshape(in.shape());
            } else if (l instanceof MaxPool2d pool) {
                Tensor hin = Tensor.zeros(in.shape());
                host.maxPoolBackward(in, h, pool.size(), hin);
                h = hin;
            } else {
                h = h.reshape(in.shape());
            }
        }
    }

    /** The weight's diagonal from im2col columns, and the input's from the squared weight, folded back by col2im. */
    private static Tensor conv(Conv2d conv, Tensor in, Tensor h, Backend host, Map<Parameter, float[]> sum,
            int batches, boolean needInput) {
        Parameter w = conv.weight();
        int k = conv.kernel(), pad = conv.padding(), stride = conv.stride();
        int[] s = in.shape(), hs = h.shape();
        int n = s[0], outC = hs[1], positions = hs[2] * hs[3];
        Tensor cols = Tensor.zeros(w.shape()[1], n * positions);
        host.im2col(in, k, pad, stride, cols);
        Tensor hT = Tensor.zeros(outC, n * positions);
        host.transposeBlocks(h, n, outC, positions, hT);
        Tensor hw = Tensor.zeros(w.shape());
        host.gemm(Op.N, Op.T, 1f, hT, squared(cols), 0f, hw);
        add(sum.get(w), hw, batches);
        if (!needInput) {
            return null;
        }
        Tensor hCols = Tensor.zeros(cols.shape());
        host.gemm(Op.T, Op.N, 1f, squared(w.value()), hT, 0f, hCols);
        Tensor hin = Tensor.zeros(s);
        host.col2im(hCols, k, pad, stride, hin);
        return hin;
    }

    /** {@code p (1 - p) / n} per logit: the diagonal of the mean cross-entropy's Hessian in the logits. */
    private static Tensor softmaxCurvature(Tensor logits) {
        int n = logits.rows(), c = logits.cols();
        float[] z = logits.data();
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, total = 0;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z[i * c + j]);
            }
            double[] e = new double[c];
            for (int j = 0; j < c; j++) {
                e[j] = Math.exp(z[i * c + j] - max);
                total += e[j];
            }
            for (int j = 0; j < c; j++) {
                double p = e[j] / total;
                z[i * c + j] = (float) (p * (1 - p) / n);
            }
        }
        return logits;
    }

    private static Tensor squared(Tensor t) {
        float[] d = t.data(), s = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            s[i] = d[i] * d[i];
        }
        return Tensor.wrap(s, t.shape());
    }

    private static void add(float[] acc, Tensor t, int batches) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            acc[i] += d[i] / batches;
        }
    }
}
