package org.prune4j.nn;

import org.prune4j.tensor.Tensor;

/** Max pooling with a square window and stride equal to it; a partial last window is dropped. */
public final class MaxPool2d implements Layer {
    private final int size;
    private int[] argmax;
    private int[] inShape;

    public MaxPool2d(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("pool size must be positive, got " + size);
        }
        this.size = size;
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        int[] s = x.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("MaxPool2d expects batch x C x H x W, got " + x.shapeString());
        }
        inShape = s;
        int planes = s[0] * s[1], h = s[2], w = s[3], oh = h / size, ow = w / size;
        if (oh == 0 || ow == 0) {
            throw new IllegalArgumentException("a " + size + "x" + size + " pool does not fit a " + h + "x" + w + " input");
        }
        float[] in = x.data();
        float[] out = new float[planes * oh * ow];
        argmax = new int[out.length];
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int best = p * h * w + oy * size * w + ox * size;
                    for (int dy = 0; dy < size; dy++) {
                        for (int dx = 0; dx < size; dx++) {
                            int idx = p * h * w + (oy * size + dy) * w + ox * size + dx;
                            if (in[idx] > in[best]) {
                                best = idx;
                            }
                        }
                    }
                    int o = (p * oh + oy) * ow + ox;
                    out[o] = in[best];
                    argmax[o] = best;
                }
            }
        }
        return Tensor.wrap(out, s[0], s[1], oh, ow);
    }

    @Override
    public Tensor backward(Tensor dy) {
        float[] g = dy.data();
        float[] dx = new float[inShape[0] * inShape[1] * inShape[2] * inShape[3]];
        for (int o = 0; o < g.length; o++) {
            dx[argmax[o]] += g[o];
        }
        return Tensor.wrap(dx, inShape);
    }

    @Override
    public int[] outputShape(int[] s) {
        return new int[] {s[0], s[1] / size, s[2] / size};
    }

    @Override
    public String describe() {
        return "MaxPool2d(" + size + ")";
    }
}
