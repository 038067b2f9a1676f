package org.prune4j.nn;

import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.tensor.Tensor;

/**
 * Batch normalisation over the batch (and spatial positions, for batch x C x H x W input) of
 * each channel, with a learned scale and shift and running statistics for evaluation.
 */
public final class BatchNorm implements Layer {
    /** Added to the variance before the square root, as in PyTorch and ONNX. */
    public static final float EPS = 1e-5f;
    private static final float MOMENTUM = 0.1f;
    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private Tensor xhat;
    private Tensor invStd;
    private int spatial;
    private boolean training;
    private Pass pass;

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

    /** The layer's name, the prefix of its parameters' names. */
    public String name() {
        String g = gamma.name();
        return g.substring(0, g.length() - ".weight".length());
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        int[] s = x.shape();
        if ((s.length != 2 && s.length != 4) || s[1] != channels) {
            throw new IllegalArgumentException(gamma.name() + " expects batch x " + channels + " [x H x W], got "
                    + x.shapeString());
        }
        this.pass = pass;
        training = pass.training();
        spatial = s.length == 4 ? s[2] * s[3] : 1;
        Backend be = pass.backend();
        xhat = pass.buffer(this, "xhat", s);
        invStd = pass.buffer(this, "invStd", channels);
        Tensor y = pass.buffer(this, "y", s);
        be.batchNormForward(x, channels, spatial, training, MOMENTUM, EPS, gamma.resident(be), beta.resident(be),
                runningMean.resident(be), runningVar.resident(be), xhat, invStd, y);
        return y;
    }

    /**
     * After a training pass the statistics depend on the batch, and the gradient flows through
     * them; after an evaluation pass (SynFlow differentiates one) the layer is affine.
     */
    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Backend be = pass.backend();
        Tensor dx = pass.buffer(this, "dx", dy.shape());
        be.batchNormBackward(dy, xhat, invStd, gamma.resident(be), channels, spatial, training,
                gamma.residentGrad(be), beta.residentGrad(be), dx);
        return dx;
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
