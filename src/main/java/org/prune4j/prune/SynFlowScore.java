package org.prune4j.prune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.tensor.Tensor;

/**
 * SynFlow (Tanaka et al. 2020), data-free: every tensor is replaced by its absolute value, an
 * all-ones input is pushed through in evaluation mode, and the score of w is
 * {@code |dR/dw * w|} for R the sum of the outputs. Run it iteratively (many small pruning
 * steps) to avoid layer collapse; the original uses 100.
 */
public record SynFlowScore() implements Scorer {
    @Override
    public String name() {
        return "synflow";
    }

    @Override
    public boolean needsData() {
        return false;
    }

    @Override
    public Map<Parameter, float[]> scores(ScoringContext ctx) {
        Model model = ctx.model();
        List<float[]> saved = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            float[] d = p.value().data();
            saved.add(d.clone());
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.abs(d[i]);
            }
        }
        try {
            int[] in = model.inputShape();
            int[] shape = new int[in.length + 1];
            shape[0] = 1;
            System.arraycopy(in, 0, shape, 1, in.length);
            Tensor y = model.forward(Tensor.filled(1f, shape), Pass.eval(ctx.backend()));
            model.backward(Tensor.filled(1f, y.shape()));
            Map<Parameter, float[]> out = new LinkedHashMap<>();
            for (Parameter p : model.prunable()) {
                float[] w = p.value().data(), g = p.grad().data(), s = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    s[i] = Math.abs(g[i] * w[i]);
                    if (!Float.isFinite(s[i])) {
                        throw new ArithmeticException("SynFlow scores overflowed float in " + p.name()
                                + "; the network is too deep for single precision without rescaling");
                    }
                }
                out.put(p, s);
            }
            return out;
        } finally {
            int i = 0;
            for (Parameter p : model.parameters()) {
                float[] s = saved.get(i++);
                System.arraycopy(s, 0, p.value().data(), 0, s.length);
            }
        }
    }
}
