package org.prune4j.backend.cpu;

import org.prune4j.backend.DropoutHash;

/**
 * The sparsity regularisers' elementwise work on host arrays: targeted weight dropout's keep
 * mask, the local reparameterisation's normal noise, variational dropout's KL and its gradient,
 * hard-concrete gates and their expected L0 norm. Single-threaded; sums in double.
 */
final class RegulariserKernels {
    /** Molchanov et al.'s fit of the KL of the log-uniform prior. */
    static final double K1 = 0.63576, K2 = 1.87320, K3 = 1.48695;
    /** The authors' clip of log alpha and the epsilon inside log(w^2). */
    static final double LOG_ALPHA_CLIP = 8, W2_EPS = 1e-8;
    /** Louizos et al.'s hard-concrete temperature and stretch. */
    static final double BETA = 2.0 / 3, GAMMA = -0.1, ZETA = 1.1;

    private RegulariserKernels() {
    }

    static void targetedKeep(float[] w, int rows, int cols, int k, float alpha, long seed, float[] keep) {
        long[] order = new long[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            java.util.Arrays.fill(keep, base, base + cols, 1f);
            if (k == 0) {
                continue;
            }
            // |w|'s bits order like its value (non-negative floats), the index breaks ties low-first
            for (int c = 0; c < cols; c++) {
                order[c] = ((long) Float.floatToRawIntBits(Math.abs(w[base + c])) << 32) | c;
            }
            java.util.Arrays.sort(order);
            for (int j = 0; j < k; j++) {
                int i = base + (int) order[j];
                if (DropoutHash.uniform(seed, i) < alpha) {
                    keep[i] = 0f;
                }
            }
        }
    }

    static void exp(float[] x, float[] out) {
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) Math.exp(x[i]);
        }
    }

    /** The standard normal draw of entry i: Box-Muller on two counter-based uniforms. */
    static double normal(long seed, long i) {
        double u1 = 1.0 - DropoutHash.uniform(seed, 2 * i); // (0, 1]: the log stays finite
        double u2 = DropoutHash.uniform(seed, 2 * i + 1);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static void localReparameterisation(float[] mean, float[] var, long seed, float[] y) {
        for (int i = 0; i < mean.length; i++) {
            y[i] = (float) (mean[i] + Math.sqrt(Math.max(var[i], 0f)) * normal(seed, i));
        }
    }

    static void localReparameterisationBackward(float[] dy, float[] var, long seed, float[] dvar) {
        for (int i = 0; i < dy.length; i++) {
            double sd = Math.sqrt(Math.max(var[i], 0f));
            dvar[i] = sd > 0 ? (float) (dy[i] * normal(seed, i) / (2 * sd)) : 0f;
        }
    }

    /** The unclipped log alpha of a weight; callers clip it. */
    static double logAlpha(float w, float logSigma2) {
        return logSigma2 - Math.log((double) w * w + W2_EPS);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double kl(double la) {
        // log(1 + 1/alpha) = softplus(-log alpha), written to stay finite at both ends
        double softplus = la > 0 ? Math.log1p(Math.exp(-la)) : -la + Math.log1p(Math.exp(la));
        return K1 - K1 * sigmoid(K2 + K3 * la) + 0.5 * softplus;
    }

    static double variationalKl(float[] w, float[] logSigma2, float scale, float[] gw, float[] gs) {
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            double raw = logAlpha(w[i], logSigma2[i]);
            double la = Math.max(-LOG_ALPHA_CLIP, Math.min(LOG_ALPHA_CLIP, raw));
            sum += kl(la);
            if (raw <= -LOG_ALPHA_CLIP || raw >= LOG_ALPHA_CLIP) {
                continue;
            }
            double s = sigmoid(K2 + K3 * la);
            // dKL/dla = -k1 k3 s (1 - s) - 0.5 sigmoid(-la)
            double dla = -K1 * K3 * s * (1 - s) - 0.5 * sigmoid(-la);
            double w2 = (double) w[i] * w[i];
            gs[i] += (float) (scale * dla);
            gw[i] += (float) (scale * dla * (-2 * w[i] / (w2 + W2_EPS)));
        }
        return sum;
    }

    static void variationalKeep(float[] w, float[] logSigma2, float threshold, float[] keep) {
        for (int i = 0; i < w.length; i++) {
            double la = Math.max(-LOG_ALPHA_CLIP, Math.min(LOG_ALPHA_CLIP, logAlpha(w[i], logSigma2[i])));
            keep[i] = la < threshold ? 1f : 0f;
        }
    }

    static void hardConcrete(float[] logAlpha, long seed, float[] z, float[] dz) {
        for (int i = 0; i < logAlpha.length; i++) {
            // a 24-bit uniform in [0, 1) moved to its bin's centre: strictly inside (0, 1)
            double u = DropoutHash.uniform(seed, i) + 0x1.0p-25;
            double s = sigmoid((Math.log(u) - Math.log1p(-u) + logAlpha[i]) / BETA);
            double stretched = s * (ZETA - GAMMA) + GAMMA;
            if (stretched <= 0) {
                z[i] = 0f;
                dz[i] = 0f;
            } else if (stretched >= 1) {
                z[i] = 1f;
                dz[i] = 0f;
            } else {
                z[i] = (float) stretched;
                dz[i] = (float) ((ZETA - GAMMA) * s * (1 - s) / BETA);
            }
        }
    }

    static void hardConcreteTest(float[] logAlpha, float[] z) {
        for (int i = 0; i < logAlpha.length; i++) {
            double stretched = sigmoid(logAlpha[i]) * (ZETA - GAMMA) + GAMMA;
            z[i] = (float) Math.min(1, Math.max(0, stretched));
        }
    }

    static double hardConcretePenalty(float[] logAlpha, float scale, float[] grad) {
        double shift = BETA * Math.log(-GAMMA / ZETA);
        double sum = 0;
        for (int i = 0; i < logAlpha.length; i++) {
            double p = sigmoid(logAlpha[i] - shift);
            sum += p;
            grad[i] += (float) (scale * p * (1 - p));
        }
        return sum;
    }
}
