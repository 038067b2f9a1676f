package org.prune4j.dynamic;

import java.util.List;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.train.Trainer;

/**
 * SET and RigL as a training hook: at each update of the {@link UpdateSchedule} every masked
 * layer drops and regrows the same number of connections ({@link DropAndGrow}). Between
 * updates nothing changes, so the layers stay on the kernels the policy chose for their
 * density and the CSR patterns are rebuilt only at updates. RigL grows by the dense gradient,
 * which the sparse path does not compute: the step that ends at an update runs its layers on
 * the dense path, so its backward writes the gradient at every connection (the gradient of
 * that step's batch, as in the paper), and the update puts the kernels back.
 */
public final class DynamicSparsity implements Trainer.Hook {

    /** Where new connections go. */
    public enum Growth {
        /**
         * Uniformly at random among inactive connections (Mocanu et al., SET). The paper drops
         * equal shares of the smallest positive and the largest negative weights and gives new
         * connections random values; here, as in RigL's SET baseline and the issue, the drop is
         * by magnitude and new connections start at zero.
         */
        RANDOM,
        /** Where the dense gradient's magnitude is largest (Evci et al., RigL). */
        GRADIENT
    }

    private final UpdateSchedule schedule;
    private final Growth growth;
    private final KernelPolicy policy;
    private final int batch;
    private final Rng rng;
    private long updates;
    private long moved;
    private boolean[] sparseBefore;

    /**
     * @param policy the kernel choice to make after an update (null puts each layer back on the path it had)
     * @param batch  the batch size the policy chooses for
     */
    public DynamicSparsity(UpdateSchedule schedule, Growth growth, KernelPolicy policy, int batch, Rng rng) {
        this.schedule = schedule;
        this.growth = growth;
        this.policy = policy;
        this.batch = batch;
        this.rng = rng;
    }

    @Override
    public void beforeStep(long iteration, Model model) {
        if (growth == Growth.GRADIENT && schedule.updatesAt(iteration)) {
            List<WeightedLayer> layers = model.weightedLayers();
            sparseBefore = new boolean[layers.size()];
            for (int i = 0; i < sparseBefore.length; i++) {
                sparseBefore[i] = layers.get(i).sparseKernel();
                layers.get(i).useSparseKernel(false);
            }
        }
    }

    @Override
    public void afterStep(long iteration, Model model) {
        if (!schedule.updatesAt(iteration)) {
            return;
        }
        double fraction = schedule.fractionAt(iteration);
        Rng draw = rng.split(iteration);
        for (Parameter p : model.prunable()) {
            Mask mask = p.mask();
            if (mask == null) {
                continue;
            }
            float[] score = growth == Growth.GRADIENT ? magnitudes(p.fullGradient().data()) : uniform(p.size(), draw);
            int alive = mask.keptCount();
            int k = (int) Math.min(Math.round(fraction * alive), p.size() - alive);
            if (k == 0) {
                continue;
            }
            DropAndGrow.Result r = DropAndGrow.update(p.value().data(), mask.toArray(), score, k);
            p.setMask(Mask.of(mask.rows(), mask.cols(), r.mask()));
            moved += r.grown().length;
        }
        updates++;
        if (policy != null) {
            model.chooseKernels(policy, batch);
        } else if (sparseBefore != null) {
            List<WeightedLayer> layers = model.weightedLayers();
            for (int i = 0; i < sparseBefore.length; i++) {
                layers.get(i).useSparseKernel(sparseBefore[i]);
            }
        }
        sparseBefore = null;
    }

    private static float[] magnitudes(float[] g) {
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = Math.abs(g[i]);
        }
        return out;
    }

    private static float[] uniform(int n, Rng rng) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextFloat();
        }
        return out;
    }

    /** Updates made so far. */
    public long updates() {
        return updates;
    }

    /** Connections moved so far (new ones grown), summed over layers and updates. */
    public long moved() {
        return moved;
    }

    public String describe() {
        return (growth == Growth.GRADIENT ? "gradient" : "random") + " growth, " + schedule.describe();
    }
}
