package org.prune4j.prune;

import java.util.List;
import java.util.function.Consumer;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.Model;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.train.Trainer;

/** Zhu & Gupta's schedule as a training hook: prunes to the polynomial target at each pruning step. */
public final class GradualPruning implements Trainer.Hook {
    private final Schedule.Gradual schedule;
    private final Scorer scorer;
    private final Scope scope;
    private final ScoringContext ctx;
    private final KernelPolicy policy;
    private final int batch;
    private final Consumer<String> log;
    private double density = 1;

    public GradualPruning(Schedule.Gradual schedule, Scorer scorer, Scope scope, ScoringContext ctx,
            KernelPolicy policy, int batch, Consumer<String> log) {
        this.schedule = schedule;
        this.scorer = scorer;
        this.scope = scope;
        this.ctx = ctx;
        this.policy = policy;
        this.batch = batch;
        this.log = log;
    }

    /** The schedule always prunes at its end, so the sparsity is final from there. */
    @Override
    public long settledFrom() {
        return schedule.end();
    }

    @Override
    public void afterStep(long iteration, Model model) {
        if (!schedule.prunesAt(iteration)) {
            return;
        }
        double target = 1 - schedule.sparsityAt(iteration);
        if (target >= density) {
            return;
        }
        Pruner.prune(ctx, scorer, scope, target / density, 1);
        // what the step reached, not what it asked for: whole groups round, and the next step
        // makes up the difference
        density = model.density();
        // The round's log already named every layer's kernel; say it again only where it changed.
        List<WeightedLayer> layers = model.weightedLayers();
        boolean[] before = new boolean[layers.size()];
        for (int i = 0; i < before.length; i++) {
            before[i] = layers.get(i).sparseKernel();
        }
        List<String> lines = model.chooseKernels(policy, batch);
        for (int i = 0; i < before.length; i++) {
            if (layers.get(i).sparseKernel() != before[i]) {
                log.accept("iteration " + iteration + ": " + lines.get(i));
            }
        }
    }
}
