package org.prune4j.nn;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.prune4j.backend.Backend;

/** SGD with optional (Nesterov) momentum and L2 weight decay added to the gradient. */
public final class Sgd implements Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final Set<Parameter> touched = Collections.newSetFromMap(new IdentityHashMap<>());

    public Sgd(double momentum, boolean nesterov, double weightDecay) {
        if (!(momentum >= 0 && momentum < 1 && weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("SGD needs momentum in [0, 1) and a finite weight decay >= 0, got " + momentum
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
    public void step(List<Parameter> parameters, double lr, Backend backend) {
        for (Parameter p : parameters) {
            if (!p.trainable()) {
                continue;
            }
            touched.add(p);
            Slot s = p.slot(backend);
            float wd = p.decays() ? (float) weightDecay : 0f;
            s.backend().sgdUpdate(s.value(), s.grad(), momentum == 0 ? null : s.state(this, "velocity"), s.mask(),
                    (float) lr, (float) momentum, nesterov, wd);
        }
    }

    @Override
    public void reset() {
        touched.forEach(p -> p.clearState(this));
        touched.clear();
    }

    @Override
    public String describe() {
        return (momentum == 0 ? "SGD" : nesterov ? "SGD(Nesterov " + momentum + ")" : "SGD(momentum " + momentum + ")")
                + (weightDecay == 0 ? "" : ", weight decay " + weightDecay);
    }
}
