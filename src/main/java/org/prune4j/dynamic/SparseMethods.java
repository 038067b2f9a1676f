package org.prune4j.dynamic;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.prune4j.nn.Model;

/** The built-in sparse-from-scratch methods by name. */
public final class SparseMethods {
    private static final Map<String, SparseMethod> ALL = List.of(new DynamicMethod(DynamicSparsity.Growth.RANDOM),
            new DynamicMethod(DynamicSparsity.Growth.GRADIENT), new EdgePopupMethod(), new SupermaskMethod(),
            new BatchNormOnly()).stream().collect(Collectors.toMap(SparseMethod::name, Function.identity(),
                    (a, b) -> a, java.util.LinkedHashMap::new));

    private SparseMethods() {
    }

    public static SparseMethod named(String name) {
        SparseMethod m = ALL.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown sparse training method '" + name + "'; choose one of "
                    + ALL.keySet() + (name.equals("supsup") ? " (supsup is an experiment of its own)" : ""));
        }
        return m;
    }

    public static List<SparseMethod> all() {
        return List.copyOf(ALL.values());
    }

    /** SET and RigL: random masks at the allocation's densities, moved by {@link DynamicSparsity}. */
    record DynamicMethod(DynamicSparsity.Growth growth) implements SparseMethod {
        public String name() {
            return growth == DynamicSparsity.Growth.RANDOM ? "set" : "rigl";
        }

        public String paper() {
            return growth == DynamicSparsity.Growth.RANDOM
                    ? "Mocanu et al., Scalable training of artificial neural networks with adaptive sparse connectivity "
                            + "inspired by network science, Nature Communications 2018"
                    : "Evci et al., Rigging the Lottery: Making All Tickets Winners, ICML 2020";
        }

        public void check(Model model, Context ctx) {
            SparseTrainingSettings s = ctx.settings();
            Allocation.named(s.allocation()).counts(model.prunable(), s.density());
            s.schedule(ctx.train().iterations(), ctx.train().batch(), ctx.trainSize());
        }

        public Prepared prepare(Model model, Context ctx) {
            SparseTrainingSettings s = ctx.settings();
            UpdateSchedule schedule = s.schedule(ctx.train().iterations(), ctx.train().batch(), ctx.trainSize());
            Allocation allocation = Allocation.named(s.allocation());
            allocation.randomMasks(model.prunable(), s.density(), ctx.rng().split(1)).forEach(
                    (p, m) -> p.setMask(m));
            DynamicSparsity hook = new DynamicSparsity(schedule, growth, ctx.policy(), ctx.train().batch(),
                    ctx.rng().split(2));
            String who = growth == DynamicSparsity.Growth.RANDOM ? "SET" : "RigL";
            return new Prepared(List.of(hook), true, () -> String.format("%s %s, %s; %d updates moved %d connections",
                    who, allocation.label().toUpperCase(java.util.Locale.ROOT), schedule.describe(), hook.updates(),
                    hook.moved()));
        }
    }

    record EdgePopupMethod() implements SparseMethod {
        public String name() {
            return "edge-popup";
        }

        public String paper() {
            return "Ramanujan et al., What's Hidden in a Randomly Weighted Neural Network?, CVPR 2020";
        }

        public void check(Model model, Context ctx) {
            Allocation.UNIFORM.counts(model.prunable(), ctx.settings().density());
        }

        public Prepared prepare(Model model, Context ctx) {
            SparseTrainingSettings s = ctx.settings();
            EdgePopup hook = new EdgePopup(model, s.density(), s.weights().equals("scaled-signed-kaiming"),
                    ctx.optimizer().get(), ctx.lr(), ctx.rng().split(3));
            return new Prepared(List.of(hook), false, () -> "edge-popup, " + s.weights() + " weights, top "
                    + String.format("%.1f%%", 100 * s.density()) + " of each layer");
        }
    }

    record SupermaskMethod() implements SparseMethod {
        public String name() {
            return "supermask";
        }

        public String paper() {
            return "Zhou et al., Deconstructing Lottery Tickets: Zeros, Signs, and the Supermask, NeurIPS 2019";
        }

        public void check(Model model, Context ctx) {
        }

        public Prepared prepare(Model model, Context ctx) {
            SparseTrainingSettings s = ctx.settings();
            LearnedSupermask hook = new LearnedSupermask(model, s.weights().equals("signed-constant"),
                    s.evaluation().equals("expected") ? LearnedSupermask.Evaluation.EXPECTED
                            : LearnedSupermask.Evaluation.SAMPLED, ctx.train().iterations(), ctx.optimizer().get(),
                    ctx.lr(), ctx.rng().split(4));
            return new Prepared(List.of(hook), false, () -> String.format("learned supermask, %s weights, %s "
                    + "evaluation; expected density %.4f", s.weights(), s.evaluation(), hook.expectedDensity()));
        }
    }
}
