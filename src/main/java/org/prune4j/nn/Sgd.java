package org.prune4j.nn;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** SGD with optional (Nesterov) momentum and L2 weight decay added to the gradient. */
public final class Sgd implements Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final Map<Parameter, float[]> velocity = new IdentityHashMap<>();

    public Sgd(double momentum, boolean nesterov, double weightDecay) {
        if (momentum < 0 || momentum >= 1 || weightDecay < 0) {
            throw new IllegalArgumentException("SGD needs momentum in [0, 1) and weight decay >= 0, got " + momentum
                    + ", " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov SGD needs a momentum above 0");
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        float mu = (float) momentum, wd = (float) weightDecay, a = (float) lr;
        for (Parameter p : parameters) {
            if (!p.trainable()) {
                continue;
            }
            float[] w = p.value().data(), g = p.grad().data();
            p.applyMask(g);
            boolean decay = wd != 0 && p.kind() == Parameter.Kind.WEIGHT;
            if (mu == 0) {
                for (int i = 0; i < w.length; i++) {
                    w[i] -= a * (g[i] + (decay ? wd * w[i] : 0f));
                }
            } else {
                float[] v = velocity.computeIfAbsent(p, q -> new float[w.length]);
                for (int i = 0; i < w.length; i++) {
                    float gi = g[i] + (decay ? wd * w[i] : 0f);
                    v[i] = mu * v[i] + gi;
                    w[i] -= a * (nesterov ? gi + mu * v[i] : v[i]);
                }
                p.applyMask(v);
            }
            p.applyMask(w);
        }
    }

    @Override
    public void reset() {
        velocity.clear();
    }

    @Override
    public String describe() {
        return (momentum == 0 ? "SGD" : nesterov ? "SGD(Nesterov " + momentum + ")" : "SGD(momentum " + momentum + ")")
                + (weightDecay == 0 ? "" : ", weight decay " + weightDecay);
    }
}
