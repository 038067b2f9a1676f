package org.prune4j.nn;

import org.prune4j.backend.ActivationLayout;
import org.prune4j.backend.Backend;
import org.prune4j.backend.TrainingShapes;
import org.prune4j.tensor.Tensor;

/**
 * 2-D convolution, square kernel, zero padding, any stride, as im2col followed by the weight
 * product: the weight is stored as outChannels x (inChannels * k * k), so a masked conv uses
 * the same dense or sparse kernels as a Linear layer, on the feature-major im2col matrix
 * ((channel, ky, kx) x (image, pixel)): {@code W cols} is channel x (image, pixel), which one
 * block transpose makes image x channel x pixel.
 */
public final class Conv2d extends AffineLayer {
    private final int inC;
    private final int outC;
    private final int k;
    private final int pad;
    private final int stride;
    private Tensor cols;
    private int n, h, w, oh, ow;
    private Pass pass;

    public Conv2d(String name, int inChannels, int outChannels, int kernel, int padding) {
        this(name, inChannels, outChannels, kernel, padding, 1);
    }

    public Conv2d(String name, int inChannels, int outChannels, int kernel, int padding, int stride) {
        this(name, inChannels, outChannels, kernel, padding, stride, true);
    }

    /** With {@code withBias} false the layer has only its weight (for a convolution followed by BatchNorm). */
    public Conv2d(String name, int inChannels, int outChannels, int kernel, int padding, int stride,
            boolean withBias) {
        super(name, checked(name, inChannels, outChannels, kernel, padding, stride), inChannels * kernel * kernel,
                inChannels * kernel * kernel, outChannels * kernel * kernel, ActivationLayout.FEATURE_MAJOR, withBias);
        this.inC = inChannels;
        this.outC = outChannels;
        this.k = kernel;
        this.pad = padding;
        this.stride = stride;
    }

    private static int checked(String name, int inChannels, int outChannels, int kernel, int padding, int stride) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || padding < 0 || stride <= 0) {
            throw new IllegalArgumentException(name + ": bad Conv2d(" + inChannels + ", " + outChannels + ", k="
                    + kernel + ", pad=" + padding + ", stride=" + stride + ")");
        }
        return outChannels;
    }

    @Override
    public Tensor forward(Tensor x, Pass p) {
        int[] s = x.shape();
        if (s.length != 4 || s[1] != inC) {
            throw new IllegalArgumentException(weight.name() + " expects batch x " + inC + " x H x W input, got "
                    + x.shapeString());
        }
        n = s[0];
        h = s[2];
        w = s[3];
        oh = TrainingShapes.convOut(h, k, pad, stride);
        ow = TrainingShapes.convOut(w, k, pad, stride);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(weight.name() + ": a " + k + "x" + k + " kernel does not fit a " + h + "x"
                    + w + " input with padding " + pad);
        }
        pass = p;
        Backend be = p.backend();
        cols = p.buffer(this, "cols", inC * k * k, n * oh * ow);
        be.im2col(x, k, pad, stride, cols);
        Tensor channelMajor = affine(cols, p);
        Tensor y = p.buffer(this, "y", n, outC, oh, ow);
        be.transposeBlocks(channelMajor, outC, n, oh * ow, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        Backend be = pass.backend();
        Tensor channelMajor = pass.buffer(this, "dyChannels", outC, n * oh * ow);
        be.transposeBlocks(dy, n, outC, oh * ow, channelMajor);
        Tensor dcols = affineBackward(channelMajor, cols, pass, inputGradient);
        if (!inputGradient) {
            return null;
        }
        Tensor dx = pass.buffer(this, "dx", n, inC, h, w);
        be.col2im(dcols, k, pad, stride, dx);
        return dx;
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length != 3 || s[0] != inC) {
            throw new IllegalArgumentException(weight.name() + " expects " + inC + " x H x W, got "
                    + java.util.Arrays.toString(s));
        }
        int oh2 = TrainingShapes.convOut(s[1], k, pad, stride), ow2 = TrainingShapes.convOut(s[2], k, pad, stride);
        if (oh2 <= 0 || ow2 <= 0) {
            throw new IllegalArgumentException(weight.name() + ": a " + k + "x" + k + " kernel does not fit a " + s[1]
                    + "x" + s[2] + " input with padding " + pad);
        }
        return new int[] {outC, oh2, ow2};
    }

    public int kernel() {
        return k;
    }

    public int padding() {
        return pad;
    }

    public int stride() {
        return stride;
    }

    @Override
    public int positions(int[] inputShape) {
        int[] o = outputShape(inputShape);
        return o[1] * o[2];
    }

    @Override
    public String describe() {
        return "Conv2d(" + inC + " -> " + outC + ", " + k + "x" + k + ", pad " + pad
                + (stride == 1 ? "" : ", stride " + stride) + ")";
    }
}
