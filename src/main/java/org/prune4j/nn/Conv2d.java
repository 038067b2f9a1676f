package org.prune4j.nn;

import org.prune4j.tensor.Tensor;

/**
 * 2-D convolution, stride 1, square kernel, zero padding, as im2col followed by the weight
 * product: the weight is stored as outChannels x (inChannels * k * k), so a masked conv uses
 * the same dense or sparse kernels as a Linear layer.
 */
public final class Conv2d extends AffineLayer {
    private final int inC;
    private final int outC;
    private final int k;
    private final int pad;
    private Tensor cols;
    private int n, h, w, oh, ow;
    private Pass pass;

    public Conv2d(String name, int inChannels, int outChannels, int kernel, int padding) {
        super(name, checked(name, inChannels, outChannels, kernel, padding), inChannels * kernel * kernel,
                inChannels * kernel * kernel, outChannels * kernel * kernel);
        this.inC = inChannels;
        this.outC = outChannels;
        this.k = kernel;
        this.pad = padding;
    }

    private static int checked(String name, int inChannels, int outChannels, int kernel, int padding) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || padding < 0) {
            throw new IllegalArgumentException(name + ": bad Conv2d(" + inChannels + ", " + outChannels + ", k="
                    + kernel + ", pad=" + padding + ")");
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
        oh = h + 2 * pad - k + 1;
        ow = w + 2 * pad - k + 1;
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(weight.name() + ": a " + k + "x" + k + " kernel does not fit a " + h + "x"
                    + w + " input with padding " + pad);
        }
        pass = p;
        cols = im2col(x.data());
        return toChannelsFirst(affine(cols, p.backend()));
    }

    @Override
    public Tensor backward(Tensor dy) {
        return col2im(affineBackward(toRows(dy), cols, pass.backend()).data());
    }

    /** Rows are (image, oy, ox), columns (channel, ky, kx). */
    private Tensor im2col(float[] x) {
        int ckk = inC * k * k;
        float[] c = new float[n * oh * ow * ckk];
        for (int img = 0; img < n; img++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int row = ((img * oh + oy) * ow + ox) * ckk;
                    for (int ch = 0; ch < inC; ch++) {
                        int base = (img * inC + ch) * h * w;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = oy + ky - pad;
                            int dst = row + (ch * k + ky) * k;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < k; kx++) {
                                int ix = ox + kx - pad;
                                if (ix >= 0 && ix < w) {
                                    c[dst + kx] = x[base + iy * w + ix];
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor.wrap(c, n * oh * ow, ckk);
    }

    private Tensor col2im(float[] c) {
        int ckk = inC * k * k;
        float[] dx = new float[n * inC * h * w];
        for (int img = 0; img < n; img++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int row = ((img * oh + oy) * ow + ox) * ckk;
                    for (int ch = 0; ch < inC; ch++) {
                        int base = (img * inC + ch) * h * w;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = oy + ky - pad;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int src = row + (ch * k + ky) * k;
                            for (int kx = 0; kx < k; kx++) {
                                int ix = ox + kx - pad;
                                if (ix >= 0 && ix < w) {
                                    dx[base + iy * w + ix] += c[src + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor.wrap(dx, n, inC, h, w);
    }

    /** (image, oy, ox) x channel rows to image x channel x oy x ox. */
    private Tensor toChannelsFirst(Tensor y) {
        float[] src = y.data();
        float[] dst = new float[src.length];
        int hw = oh * ow;
        for (int img = 0; img < n; img++) {
            for (int pix = 0; pix < hw; pix++) {
                int r = (img * hw + pix) * outC;
                for (int ch = 0; ch < outC; ch++) {
                    dst[(img * outC + ch) * hw + pix] = src[r + ch];
                }
            }
        }
        return Tensor.wrap(dst, n, outC, oh, ow);
    }

    private Tensor toRows(Tensor dy) {
        float[] src = dy.data();
        float[] dst = new float[src.length];
        int hw = oh * ow;
        for (int img = 0; img < n; img++) {
            for (int ch = 0; ch < outC; ch++) {
                int s = (img * outC + ch) * hw;
                for (int pix = 0; pix < hw; pix++) {
                    dst[(img * hw + pix) * outC + ch] = src[s + pix];
                }
            }
        }
        return Tensor.wrap(dst, n * hw, outC);
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length != 3 || s[0] != inC) {
            throw new IllegalArgumentException(weight.name() + " expects " + inC + " x H x W, got "
                    + java.util.Arrays.toString(s));
        }
        return new int[] {outC, s[1] + 2 * pad - k + 1, s[2] + 2 * pad - k + 1};
    }

    @Override
    public String describe() {
        return "Conv2d(" + inC + " -> " + outC + ", " + k + "x" + k + ", pad " + pad + ")";
    }
}
