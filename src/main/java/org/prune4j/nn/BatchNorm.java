package org.prune4j.nn;

import java.util.List;
import org.prune4j.tensor.Tensor;

/**
 * Batch normalisation over the batch (and spatial positions, for batch x C x H x W input) of
 * each channel, with a learned scale and shift and running statistics for evaluation.
 */
public final class BatchNorm implements Layer {
    private static final float EPS = 1e-5f;
    private static final float MOMENTUM = 0.1f;
    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private float[] xhat;
    private float[] invStd;
    private int[] shape;
    private boolean training;

    public BatchNorm(String name, int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException(name + ": BatchNorm needs a positive channel count, got " + channels);
        }
        this.channels = channels;
        gamma = new Parameter(name + ".weight", Parameter.Kind.NORM_SCALE, Tensor.filled(1f, channels), 1, 1);
        beta = new Parameter(name + ".bias", Parameter.Kind.NORM_SHIFT, Tensor.zeros(channels), 1, 1);
        runningMean = new Parameter(name + ".running_mean", Parameter.Kind.BUFFER, Tensor.zeros(channels), 1, 1);
        runningVar = new Parameter(name + ".running_var", Parameter.Kind.BUFFER, Tensor.filled(1f, channels), 1, 1);
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        int[] s = x.shape();
        if ((s.length != 2 && s.length != 4) || s[1] != channels) {
            throw new IllegalArgumentException(gamma.name() + " expects batch x " + channels + " [x H x W], got "
                    + x.shapeString());
        }
        shape = s;
        training = pass.training();
        int n = s[0], spatial = s.length == 4 ? s[2] * s[3] : 1;
        int count = n * spatial;
        float[] in = x.data(), out = new float[in.length];
        float[] g = gamma.value().data(), b = beta.value().data();
        float[] rm = runningMean.value().data(), rv = runningVar.value().data();
        xhat = new float[in.length];
        invStd = new float[channels];
        for (int c = 0; c < channels; c++) {
            double mean, var;
            if (pass.training()) {
                double sum = 0, sq = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * channels + c) * spatial;
                    for (int j = 0; j < spatial; j++) {
                        double v = in[base + j];
                        sum += v;
                        sq += v * v;
                    }
                }
                mean = sum / count;
                var = Math.max(sq / count - mean * mean, 0);
                double unbiased = count > 1 ? var * count / (count - 1) : var;
                rm[c] = (float) ((1 - MOMENTUM) * rm[c] + MOMENTUM * mean);
                rv[c] = (float) ((1 - MOMENTUM) * rv[c] + MOMENTUM * unbiased);
            } else {
                mean = rm[c];
                var = rv[c];
            }
            float inv = (float) (1 / Math.sqrt(var + EPS));
            invStd[c] = inv;
            for (int i = 0; i < n; i++) {
                int base = (i * channels + c) * spatial;
                for (int j = 0; j < spatial; j++) {
                    float xh = (float) ((in[base + j] - mean) * inv);
                    xhat[base + j] = xh;
                    out[base + j] = g[c] * xh + b[c];
                }
            }
        }
        return Tensor.wrap(out, s);
    }

    /**
     * After a training pass the statistics depend on the batch, and the gradient flows through
     * them; after an evaluation pass (SynFlow differentiates one) the layer is affine.
     */
    @Override
    public Tensor backward(Tensor dy) {
        int n = shape[0], spatial = shape.length == 4 ? shape[2] * shape[3] : 1;
        int count = n * spatial;
        float[] g = dy.data(), dx = new float[g.length];
        float[] gam = gamma.value().data(), dg = gamma.grad().data(), db = beta.grad().data();
        for (int c = 0; c < channels; c++) {
            double sumG = 0, sumGx = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * channels + c) * spatial;
                for (int j = 0; j < spatial; j++) {
                    sumG += g[base + j];
                    sumGx += g[base + j] * xhat[base + j];
                }
            }
            dg[c] = (float) sumGx;
            db[c] = (float) sumG;
            if (!training) {
                for (int i = 0; i < n; i++) {
                    int base = (i * channels + c) * spatial;
                    for (int j = 0; j < spatial; j++) {
                        dx[base + j] = gam[c] * invStd[c] * g[base + j];
                    }
                }
                continue;
            }
            double k = gam[c] * invStd[c] / (double) count;
            for (int i = 0; i < n; i++) {
                int base = (i * channels + c) * spatial;
                for (int j = 0; j < spatial; j++) {
                    dx[base + j] = (float) (k * (count * g[base + j] - sumG - xhat[base + j] * sumGx));
                }
            }
        }
        return Tensor.wrap(dx, shape);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta, runningMean, runningVar);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public String describe() {
        return "BatchNorm(" + channels + ")";
    }
}
