package org.prune4j.backend.cpu;

/**
 * Batch normalisation on the CPU, parallel over channels; statistics in double, as the layer
 * always computed them, so results match the single-threaded version exactly.
 */
final class NormKernels {
    private NormKernels() {
    }

    static void forward(float[] in, int n, int channels, int spatial, boolean training, float momentum, float eps,
            float[] g, float[] b, float[] rm, float[] rv, float[] xhat, float[] invStd, float[] out) {
        int count = n * spatial;
        int tasks = Math.min(channels, Parallel.tasksFor((long) count * channels, 1 << 15));
        Parallel.run(tasks, t -> {
            for (int c = channels * t / tasks; c < channels * (t + 1) / tasks; c++) {
                double mean, var;
                if (training) {
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
                    rm[c] = (float) ((1 - momentum) * rm[c] + momentum * mean);
                    rv[c] = (float) ((1 - momentum) * rv[c] + momentum * unbiased);
                } else {
                    mean = rm[c];
                    var = rv[c];
                }
                float inv = (float) (1 / Math.sqrt(var + eps));
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
        });
    }

    static void backward(float[] dy, float[] xhat, float[] invStd, float[] gam, int n, int channels, int spatial,
            boolean training, float[] dg, float[] db, float[] dx) {
        int count = n * spatial;
        int tasks = Math.min(channels, Parallel.tasksFor((long) count * channels, 1 << 15));
        Parallel.run(tasks, t -> {
            for (int c = channels * t / tasks; c < channels * (t + 1) / tasks; c++) {
                double sumG = 0, sumGx = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * channels + c) * spatial;
                    for (int j = 0; j < spatial; j++) {
                        sumG += dy[base + j];
                        sumGx += dy[base + j] * xhat[base + j];
                    }
                }
                dg[c] = (float) sumGx;
                db[c] = (float) sumG;
                if (!training) {
                    for (int i = 0; i < n; i++) {
                        int base = (i * channels + c) * spatial;
                        for (int j = 0; j < spatial; j++) {
                            dx[base + j] = gam[c] * invStd[c] * dy[base + j];
                        }
                    }
                    continue;
                }
                double k = gam[c] * invStd[c] / (double) count;
                for (int i = 0; i < n; i++) {
                    int base = (i * channels + c) * spatial;
                    for (int j = 0; j < spatial; j++) {
                        dx[base + j] = (float) (k * (count * dy[base + j] - sumG - xhat[base + j] * sumGx));
                    }
                }
            }
        });
    }
}
