package org.prune4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The data movement of a convolution on the CPU, with the im2col matrix feature-major
 * ((channel, ky, kx) rows by (image, oy, ox) columns): unfold and fold move whole runs of an
 * input row at a time (copies and vector adds) instead of one element per kernel tap, block
 * transposes turn the product's channel-major output into image-major tensors and back, and
 * channel biases add or sum along contiguous runs. Measured on Conv-4's 64-channel layers at
 * batch 60, element-at-a-time unfold and fold took as long as the GEMMs.
 */
final class ConvKernels {
    private static final VectorSpecies<Float> S = SparseRowKernels.S;

    private ConvKernels() {
    }

    /**
     * cols[(ch, ky, kx)][(img, oy, ox)] = x[img][ch][oy * stride + ky - pad][ox * stride + kx - pad], zero off the
     * image. At stride 1 each run of output pixels is a run of an input row, copied whole.
     */
    static void im2col(float[] x, int n, int c, int h, int w, int k, int pad, int stride, float[] cols) {
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        int rows = c * k * k, pixels = n * oh * ow;
        int tasks = Math.min(rows * n, Parallel.tasksFor((long) rows * pixels, 1 << 15));
        Parallel.run(tasks, t -> {
            for (int task = (int) ((long) rows * n * t / tasks); task < (long) rows * n * (t + 1) / tasks; task++) {
                int r = task / n, img = task % n;
                int ch = r / (k * k), ky = (r / k) % k, kx = r % k;
                // output columns whose input column ox * stride + kx - pad lies in 0..w-1
                int ox0 = Math.min(ow, ceilDiv(Math.max(0, pad - kx), stride));
                int ox1 = Math.max(ox0, Math.min(ow, ceilDiv(w + pad - kx, stride)));
                int src = (img * c + ch) * h * w;
                int dst = r * pixels + img * oh * ow;
                for (int oy = 0; oy < oh; oy++, dst += ow) {
                    int iy = oy * stride + ky - pad;
                    if (iy < 0 || iy >= h || ox0 >= ox1) {
                        java.util.Arrays.fill(cols, dst, dst + ow, 0f);
                        continue;
                    }
                    java.util.Arrays.fill(cols, dst, dst + ox0, 0f);
                    int row = src + iy * w + kx - pad;
                    if (stride == 1) {
                        System.arraycopy(x, row + ox0, cols, dst + ox0, ox1 - ox0);
                    } else {
                        for (int ox = ox0; ox < ox1; ox++) {
                            cols[dst + ox] = x[row + ox * stride];
                        }
                    }
                    java.util.Arrays.fill(cols, dst + ox1, dst + ow, 0f);
                }
            }
        });
    }

    /** The adjoint of im2col, one (image, channel) plane per task so the adds never race. */
    static void col2im(float[] cols, int n, int c, int h, int w, int k, int pad, int stride, float[] dx) {
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1, pixels = n * oh * ow;
        int planes = n * c;
        int tasks = Math.min(planes, Parallel.tasksFor((long) planes * h * w * k * k, 1 << 15));
        Parallel.run(tasks, t -> {
            for (int plane = (int) ((long) planes * t / tasks); plane < (long) planes * (t + 1) / tasks; plane++) {
                int img = plane / c, ch = plane % c;
                int base = plane * h * w;
                java.util.Arrays.fill(dx, base, base + h * w, 0f);
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        int r = (ch * k + ky) * k + kx;
                        int ox0 = Math.min(ow, ceilDiv(Math.max(0, pad - kx), stride));
                        int ox1 = Math.max(ox0, Math.min(ow, ceilDiv(w + pad - kx, stride)));
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * stride + ky - pad;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int src = r * pixels + (img * oh + oy) * ow, dst = base + iy * w + kx - pad;
                            for (int ox = ox0; ox < ox1; ox++) {
                                dx[dst + ox * stride] += cols[src + ox];
                            }
                        }
                    }
                }
            }
        });
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** {@code dst[j][i][:] = src[i][j][:]} for rows x cols blocks of {@code inner} values. */
    static void transposeBlocks(float[] src, int rows, int cols, int inner, float[] dst) {
        if (inner >= 16) {
            int tasks = Math.max(1, Math.min(rows, Parallel.tasksFor((long) rows * cols * inner, 1 << 16)));
            Parallel.run(tasks, t -> {
                for (int i = rows * t / tasks; i < rows * (t + 1) / tasks; i++) {
                    for (int j = 0; j < cols; j++) {
                        System.arraycopy(src, (i * cols + j) * inner, dst, (j * rows + i) * inner, inner);
                    }
                }
            });
            return;
        }
        int tasks = Math.max(1, Math.min((rows + 31) / 32, Parallel.tasksFor((long) rows * cols * inner, 1 << 16)));
        int blocks = (rows + 31) / 32;
        Parallel.run(tasks, t -> {
            for (int b = blocks * t / tasks; b < blocks * (t + 1) / tasks; b++) {
                int i0 = b * 32, i1 = Math.min(rows, i0 + 32);
                for (int j0 = 0; j0 < cols; j0 += 32) {
                    int j1 = Math.min(cols, j0 + 32);
                    for (int i = i0; i < i1; i++) {
                        for (int j = j0; j < j1; j++) {
                            for (int q = 0; q < inner; q++) {
                                dst[(j * rows + i) * inner + q] = src[(i * cols + j) * inner + q];
                            }
                        }
                    }
                }
            }
        });
    }

    static void addChannelBias(float[] t, int channels, int inner, float[] bias) {
        int runs = t.length / Math.max(inner, 1);
        int tasks = Math.max(1, Math.min(runs, Parallel.tasksFor(t.length, 1 << 15)));
        Parallel.run(tasks, q -> {
            for (int run = (int) ((long) runs * q / tasks); run < (long) runs * (q + 1) / tasks; run++) {
                float b = bias[run % channels];
                int o = run * inner;
                for (int i = 0; i < inner; i++) {
                    t[o + i] += b;
                }
            }
        });
    }

    /** Per channel, the runs in order, each summed in vector lanes then folded in a fixed order. */
    static void sumChannels(float[] t, int channels, int inner, float[] out) {
        int outer = t.length / Math.max(1, channels * inner);
        int tasks = Math.max(1, Math.min(channels, Parallel.tasksFor(t.length, 1 << 15)));
        int l = S.length();
        Parallel.run(tasks, q -> {
            for (int c = channels * q / tasks; c < channels * (q + 1) / tasks; c++) {
                FloatVector acc = FloatVector.zero(S);
                float tail = 0f;
                for (int o = 0; o < outer; o++) {
                    int base = (o * channels + c) * inner, i = 0;
                    for (; i + l <= inner; i += l) {
                        acc = acc.add(FloatVector.fromArray(S, t, base + i));
                    }
                    for (; i < inner; i++) {
                        tail += t[base + i];
                    }
                }
                out[c] = LaneSum.of(acc) + tail;
            }
        });
    }
}
