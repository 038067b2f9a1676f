package org.prune4j.nn;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.prune4j.backend.Backend;

/** Adam (Kingma & Ba) with bias correction and L2 weight decay added to the gradient. */
public final class Adam implements Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Set<Parameter> touched = Collections.newSetFromMap(new IdentityHashMap<>());
    private long t;

    public Adam(double beta1, double beta2, double eps, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps > 0 && eps < Double.POSITIVE_INFINITY && weightDecay >= 0
                && weightDecay < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Adam needs betas in [0, 1), a finite eps > 0 and a finite weight decay >= 0; got "
                    + beta1 + ", " + beta2 + ", " + eps + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<Parameter> parameters, double lr, Backend backend) {
        t++;
        float c1 = (float) (1 - Math.pow(beta1, t)), c2 = (float) (1 - Math.pow(beta2, t));
        float stepSize = (float) (lr / c1);
        float sqrtC2 = (float) Math.sqrt(c2);
        for (Parameter p : parameters) {
            if (!p.trainable()) {
                continue;
            }
            touched.add(p);
            Slot s = p.slot(backend);
            float wd = p.decays() ? (float) weightDecay : 0f;
            s.backend().adamUpdate(s.value(), s.grad(), s.state(this, "m"), s.state(this, "v"), s.mask(), stepSize,
                    (float) beta1, (float) beta2, (float) eps, sqrtC2, wd);
        }
    }

    @Override
    public void reset() {
        touched.forEach(p -> p.clearState(this));
        touched.clear();
        t = 0;
    }

    @Override
    public String describe() {
        return "Adam(" + beta1 + ", " + beta2 + ")" + (weightDecay == 0 ? "" : ", weight decay " + weightDecay);
    }
}
