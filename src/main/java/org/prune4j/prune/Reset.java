package org.prune4j.prune;

import java.util.List;
import org.prune4j.nn.Model;
import org.prune4j.nn.ModelState;
import org.prune4j.nn.Parameter;
import org.prune4j.tensor.Rng;

/**
 * What the surviving weights become after a pruning step. The model arrives with its new masks
 * set on its trained values; every reset leaves pruned weights at exactly zero.
 */
public interface Reset {

    String name();

    void apply(Model model, Context ctx);

    /** The model's initial state, the state captured at the rewind iteration (or null), and a fresh random stream. */
    record Context(ModelState init, ModelState rewindPoint, Rng rng) {
    }

    List<String> NAMES = List.of("rewind", "rewind:K", "finetune", "reinit", "signed-constant");

    /** The reset called {@code name} ({@code name:ARG} passes ARG), built-in or from a {@link StrategyProvider}. */
    static Reset named(String name) {
        int colon = name.indexOf(':');
        String base = colon < 0 ? name : name.substring(0, colon), arg = colon < 0 ? null : name.substring(colon + 1);
        var all = Strategies.all("reset", StrategyProvider::resets);
        var f = all.get(base);
        if (f == null) {
            throw new IllegalArgumentException("unknown reset '" + name + "'; choose one of " + NAMES
                    + (all.size() > 4 ? " or " + all.keySet() : ""));
        }
        return f.apply(arg);
    }

    /** Copies every tensor's values from {@code state}, keeping the model's own masks. */
    static void loadValues(Model model, ModelState state) {
        for (Parameter p : model.parameters()) {
            float[] v = state.value(p.name());
            System.arraycopy(v, 0, p.value().data(), 0, v.length);
            p.applyMask(p.value().data());
        }
    }

    /** Frankle & Carbin: back to the values at initialisation. */
    record RewindToInit() implements Reset {
        public String name() {
            return "rewind";
        }

        public void apply(Model model, Context ctx) {
            loadValues(model, ctx.init());
        }
    }

    /** Frankle et al. 2019 (stability): back to the values after iteration k of the dense run. */
    record RewindToIteration(long iteration) implements Reset {
        public RewindToIteration {
            if (iteration < 0) {
                throw new IllegalArgumentException("rewind iteration must be >= 0, got " + iteration);
            }
        }

        public String name() {
            return "rewind:" + iteration;
        }

        public void apply(Model model, Context ctx) {
            if (ctx.rewindPoint() == null) {
                throw new IllegalStateException("no weights were captured at iteration " + iteration
                        + "; the dense round must run at least that many iterations");
            }
            loadValues(model, ctx.rewindPoint());
        }
    }

    /** Han et al.: keep the trained values and fine-tune them. */
    record KeepTrained() implements Reset {
        public String name() {
            return "finetune";
        }

        public void apply(Model model, Context ctx) {
            for (Parameter p : model.prunable()) {
                p.applyMask(p.value().data());
            }
        }
    }

    /** Liu et al. / the lottery ticket's control: a fresh random initialisation under the same masks. */
    record RandomReinit() implements Reset {
        public String name() {
            return "reinit";
        }

        public void apply(Model model, Context ctx) {
            model.initialise(ctx.rng());
        }
    }

    /**
     * Zhou et al.: each surviving weight becomes its initial sign times the standard deviation
     * of its layer's initialisation distribution.
     */
    record SignedConstant() implements Reset {
        public String name() {
            return "signed-constant";
        }

        public void apply(Model model, Context ctx) {
            loadValues(model, ctx.init());
            for (Parameter p : model.prunable()) {
                float c = (float) model.initialiser().std(p.fanIn(), p.fanOut());
                float[] w = p.value().data();
                for (int i = 0; i < w.length; i++) {
                    w[i] = w[i] > 0 ? c : w[i] < 0 ? -c : 0f;
                }
            }
        }
    }
}
