package org.prune4j.nn;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Adam (Kingma & Ba) with bias correction and L2 weight decay added to the gradient. */
public final class Adam implements Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<Parameter, float[][]> moments = new IdentityHashMap<>();
    private long t;

    public Adam(double beta1, double beta2, double eps, double weightDecay) {
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || eps <= 0 || weightDecay < 0) {
            throw new IllegalArgumentException("Adam needs betas in [0, 1), eps > 0, weight decay >= 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        t++;
        float b1 = (float) beta1, b2 = (float) beta2, e = (float) eps, wd = (float) weightDecay;
        float c1 = (float) (1 - Math.pow(beta1, t)), c2 = (float) (1 - Math.pow(beta2, t));
        float stepSize = (float) (lr / c1);
        float sqrtC2 = (float) Math.sqrt(c2);
        for (Parameter p : parameters) {
            if (!p.trainable()) {
                continue;
            }
            float[] w = p.value().data(), g = p.grad().data();
            p.applyMask(g);
            float[][] mv = moments.computeIfAbsent(p, q -> new float[][] {new float[w.length], new float[w.length]});
            float[] m = mv[0], v = mv[1];
            boolean decay = wd != 0 && p.kind() == Parameter.Kind.WEIGHT;
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] + (decay ? wd * w[i] : 0f);
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                w[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtC2 + e);
            }
            p.applyMask(m);
            p.applyMask(v);
            p.applyMask(w);
        }
    }

    @Override
    public void reset() {
        moments.clear();
        t = 0;
    }

    @Override
    public String describe() {
        return "Adam(" + beta1 + ", " + beta2 + ")" + (weightDecay == 0 ? "" : ", weight decay " + weightDecay);
    }
}
