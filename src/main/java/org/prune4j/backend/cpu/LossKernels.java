package org.prune4j.backend.cpu;

/**
 * The distillation loss on the host: softmaxes in double with the row maximum subtracted, so
 * neither a high temperature nor confident logits overflow.
 */
final class LossKernels {
    private LossKernels() {
    }

    static void distillation(float[] s, float[] t, float[] labels, int n, int k, float temperature, float weight,
            float[] g, float[] stats) {
        double loss = 0;
        int correct = 0, bad = 0;
        double[] ps = new double[k], pst = new double[k], ptt = new double[k];
        for (int i = 0; i < n; i++) {
            int row = i * k;
            boolean finite = true;
            int arg = 0;
            for (int j = 0; j < k; j++) {
                finite &= Float.isFinite(s[row + j]) && Float.isFinite(t[row + j]);
                if (s[row + j] > s[row + arg]) {
                    arg = j;
                }
            }
            int y = LayerKernels.label(labels[i], k, i);
            if (!finite) {
                bad++;
                if (g != null) {
                    java.util.Arrays.fill(g, row, row + k, 0f);
                }
                continue;
            }
            double logZ = softmax(s, row, k, 1, ps);
            double logZs = softmax(s, row, k, temperature, pst);
            double logZt = softmax(t, row, k, temperature, ptt);
            double kl = 0;
            for (int j = 0; j < k; j++) {
                if (ptt[j] > 0) {
                    // log p_t - log p_s at temperature T, from the logits, without log(0)
                    kl += ptt[j] * ((t[row + j] / (double) temperature - logZt) - (s[row + j] / (double) temperature
                            - logZs));
                }
            }
            double ce = logZ - s[row + y];
            double tt = (double) temperature * temperature;
            loss += weight * tt * kl + (1 - weight) * ce;
            if (g != null) {
                for (int j = 0; j < k; j++) {
                    double hard = ps[j] - (j == y ? 1 : 0);
                    g[row + j] = (float) ((weight * temperature * (pst[j] - ptt[j]) + (1 - weight) * hard) / n);
                }
            }
            if (arg == y) {
                correct++;
            }
        }
        stats[0] += (float) loss;
        stats[1] += correct;
        stats[2] += bad;
    }

    /** p = softmax(z[row..row+k) / temperature); returns log of the normaliser of z / temperature. */
    private static double softmax(float[] z, int row, int k, double temperature, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[row + j] / temperature);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp(z[row + j] / temperature - max);
            sum += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= sum;
        }
        return max + Math.log(sum);
    }
}
