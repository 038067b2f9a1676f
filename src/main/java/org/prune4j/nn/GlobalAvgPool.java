package org.prune4j.nn;

import org.prune4j.backend.Backend;
import org.prune4j.backend.Op;
import org.prune4j.tensor.Tensor;

/**
 * batch x C x H x W to batch x C, each channel's mean over its plane: the head of residual
 * networks and of VGG on CIFAR. Both directions are one matrix product with a vector of ones
 * ((n C) x (H W) times (H W) x 1, and its transpose), so every backend with a GEMM runs it and
 * the data stays in the backend's memory.
 */
public final class GlobalAvgPool implements Layer {
    private int[] inShape;
    private Pass pass;

    @Override
    public Tensor forward(Tensor x, Pass p) {
        int[] s = x.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("GlobalAvgPool expects batch x C x H x W input, got " + x.shapeString());
        }
        inShape = s;
        pass = p;
        int planes = s[0] * s[1], area = s[2] * s[3];
        Tensor y = p.buffer(this, "y", s[0], s[1]);
        p.backend().gemm(Op.N, Op.N, 1f / area, x.reshape(planes, area), ones(area), 0f, y.reshape(planes, 1));
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, boolean inputGradient) {
        if (!inputGradient) {
            return null;
        }
        int planes = inShape[0] * inShape[1], area = inShape[2] * inShape[3];
        Tensor dx = pass.buffer(this, "dx", inShape);
        pass.backend().gemm(Op.N, Op.T, 1f / area, dy.reshape(planes, 1), ones(area), 0f, dx.reshape(planes, area));
        return dx;
    }

    private Tensor ones(int area) {
        Tensor t = pass.buffer(this, "ones", area, 1);
        Backend be = pass.backend();
        be.fill(t, 1f);
        return t;
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length != 3) {
            throw new IllegalArgumentException("GlobalAvgPool expects C x H x W, got " + java.util.Arrays.toString(s));
        }
        return new int[] {s[0]};
    }

    @Override
    public String describe() {
        return "GlobalAvgPool";
    }
}
