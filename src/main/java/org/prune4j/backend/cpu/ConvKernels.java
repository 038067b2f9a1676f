package org.prune4j.backend.cpu;

/**
 * The data movement of a convolution on the CPU: im2col and its adjoint col2im (both
 * parallel over images, so col2im's scatter-adds never race), and batched transposes between
 * the (image, pixel, channel) rows of the product and (image, channel, pixel) tensors.
 */
final class ConvKernels {
    private ConvKernels() {
    }

    /** Rows are (image, oy, ox), columns (channel, ky, kx); zero where the window hangs over the padding. */
    static void im2col(float[] x, int n, int c, int h, int w, int k, int pad, float[] cols) {
        int oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1, ckk = c * k * k;
        int tasks = Math.min(n, Parallel.tasksFor((long) n * oh * ow * ckk, 1 << 15));
        Parallel.run(tasks, t -> {
            for (int img = n * t / tasks; img < n * (t + 1) / tasks; img++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int row = ((img * oh + oy) * ow + ox) * ckk;
                        for (int ch = 0; ch < c; ch++) {
                            int base = (img * c + ch) * h * w;
                            for (int ky = 0; ky < k; ky++) {
                                int iy = oy + ky - pad;
                                int dst = row + (ch * k + ky) * k;
                                if (iy < 0 || iy >= h) {
                                    java.util.Arrays.fill(cols, dst, dst + k, 0f);
                                    continue;
                                }
                                for (int kx = 0; kx < k; kx++) {
                                    int ix = ox + kx - pad;
                                    cols[dst + kx] = ix >= 0 && ix < w ? x[base + iy * w + ix] : 0f;
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    static void col2im(float[] cols, int n, int c, int h, int w, int k, int pad, float[] dx) {
        int oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1, ckk = c * k * k;
        int tasks = Math.min(n, Parallel.tasksFor((long) n * oh * ow * ckk, 1 << 15));
        Parallel.run(tasks, t -> {
            int from = n * t / tasks, to = n * (t + 1) / tasks;
            java.util.Arrays.fill(dx, from * c * h * w, to * c * h * w, 0f);
            for (int img = from; img < to; img++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int row = ((img * oh + oy) * ow + ox) * ckk;
                        for (int ch = 0; ch < c; ch++) {
                            int base = (img * c + ch) * h * w;
                            for (int ky = 0; ky < k; ky++) {
                                int iy = oy + ky - pad;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                int src = row + (ch * k + ky) * k;
                                for (int kx = 0; kx < k; kx++) {
                                    int ix = ox + kx - pad;
                                    if (ix >= 0 && ix < w) {
                                        dx[base + iy * w + ix] += cols[src + kx];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** {@code dst[b][j][i] = src[b][i][j]} for each of {@code batches} rows x cols matrices, in 32 x 32 blocks. */
    static void transposeBatched(float[] src, int batches, int rows, int cols, float[] dst) {
        int per = rows * cols;
        int tasks = Math.min(batches, Parallel.tasksFor((long) batches * per, 1 << 16));
        Parallel.run(Math.max(tasks, 1), t -> {
            int from = batches * t / Math.max(tasks, 1), to = batches * (t + 1) / Math.max(tasks, 1);
            for (int b = from; b < to; b++) {
                int o = b * per;
                for (int i0 = 0; i0 < rows; i0 += 32) {
                    int i1 = Math.min(rows, i0 + 32);
                    for (int j0 = 0; j0 < cols; j0 += 32) {
                        int j1 = Math.min(cols, j0 + 32);
                        for (int i = i0; i < i1; i++) {
                            for (int j = j0; j < j1; j++) {
                                dst[o + j * rows + i] = src[o + i * cols + j];
                            }
                        }
                    }
                }
            }
        });
    }
}
