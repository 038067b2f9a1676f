package org.prune4j.backend.cpu;

import org.prune4j.backend.DropoutHash;

/** Max pooling, dropout and softmax cross-entropy on host arrays. */
final class LayerKernels {
    private LayerKernels() {
    }

    static void maxPool(float[] in, int planes, int h, int w, int size, float[] out) {
        int oh = h / size, ow = w / size;
        int tasks = Math.min(planes, Parallel.tasksFor((long) planes * h * w, 1 << 16));
        Parallel.run(tasks, t -> {
            for (int p = planes * t / tasks; p < planes * (t + 1) / tasks; p++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        out[(p * oh + oy) * ow + ox] = in[argmax(in, p, h, w, size, oy, ox)];
                    }
                }
            }
        });
    }

    static void maxPoolBackward(float[] in, float[] dy, int planes, int h, int w, int size, float[] dx) {
        int oh = h / size, ow = w / size;
        int tasks = Math.min(planes, Parallel.tasksFor((long) planes * h * w, 1 << 16));
        Parallel.run(tasks, t -> {
            int from = planes * t / tasks, to = planes * (t + 1) / tasks;
            java.util.Arrays.fill(dx, from * h * w, to * h * w, 0f);
            for (int p = from; p < to; p++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        dx[argmax(in, p, h, w, size, oy, ox)] += dy[(p * oh + oy) * ow + ox];
                    }
                }
            }
        });
    }

    /** The first maximum of the window in row-major order; NaN never wins, as in the original layer. */
    private static int argmax(float[] in, int p, int h, int w, int size, int oy, int ox) {
        int best = p * h * w + oy * size * w + ox * size;
        for (int dy = 0; dy < size; dy++) {
            int row = p * h * w + (oy * size + dy) * w + ox * size;
            for (int dx = 0; dx < size; dx++) {
                if (in[row + dx] > in[best]) {
                    best = row + dx;
                }
            }
        }
        return best;
    }

    static void dropout(float[] in, float p, long seed, float[] out) {
        float scale = 1f / (1f - p);
        int n = in.length;
        int tasks = Parallel.tasksFor(n, 1 << 16);
        Parallel.run(tasks, t -> {
            for (int i = (int) ((long) n * t / tasks); i < (int) ((long) n * (t + 1) / tasks); i++) {
                out[i] = DropoutHash.uniform(seed, i) >= p ? in[i] * scale : 0f;
            }
        });
    }

    /**
     * Writes each row's gradient {@code (softmax - onehot) / n} and adds to stats the summed
     * loss (in double, then once into the float), the correct predictions and the rows with a
     * non-finite logit.
     */
    static void softmaxCrossEntropy(float[] z, float[] labels, int n, int k, float[] g, float[] stats) {
        double loss = 0;
        int correct = 0, bad = 0;
        for (int i = 0; i < n; i++) {
            int row = i * k;
            float max = Float.NEGATIVE_INFINITY;
            int arg = 0;
            boolean finite = true;
            for (int j = 0; j < k; j++) {
                float v = z[row + j];
                finite &= Float.isFinite(v);
                if (v > max) {
                    max = v;
                    arg = j;
                }
            }
            int y = label(labels[i], k, i);
            if (!finite) {
                bad++;
                if (g != null) {
                    java.util.Arrays.fill(g, row, row + k, 0f);
                }
                continue;
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[row + j] - max);
            }
            loss += Math.log(sum) - (z[row + y] - max);
            if (g != null) {
                for (int j = 0; j < k; j++) {
                    g[row + j] = (float) (Math.exp(z[row + j] - max) / sum / n);
                }
                g[row + y] -= 1f / n;
            }
            if (arg == y) {
                correct++;
            }
        }
        stats[0] += (float) loss;
        stats[1] += correct;
        stats[2] += bad;
    }

    /** The class index a label tensor holds for {@code row}, refused by name when it is none. */
    static int label(float f, int classes, int row) {
        int y = (int) f;
        if (y != f || y < 0 || y >= classes) {
            throw new IllegalArgumentException("label " + f + " of row " + row + " is not a class index in 0.."
                    + (classes - 1));
        }
        return y;
    }
}
