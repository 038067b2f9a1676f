package org.prune4j.dynamic;

import java.util.List;

/**
 * The method half of a sparse-from-scratch experiment: which method and its parameters. Fields
 * a method does not use are normalised to 0 or "" so that they change neither the run's hash
 * nor its label; the command line rejects them outright.
 *
 * @param method       set, rigl, edge-popup, supermask, bn-only or supsup
 * @param sparsity     the fraction of weights removed (set, rigl, edge-popup, supsup)
 * @param allocation   uniform, er or erk: how the density is shared among layers (set, rigl)
 * @param dropFraction the share of a layer's connections moved per update (set, rigl)
 * @param cosine       whether that share decays along a half cosine (set, rigl)
 * @param updateEvery  iterations between updates; 0 means one epoch (set, rigl)
 * @param stopAt       the fraction of training after which the connections stay put (set, rigl)
 * @param weights      the fixed weights of a mask learner: signed-kaiming, scaled-signed-kaiming,
 *                     signed-constant or init
 * @param evaluation   expected or sampled: what a learned supermask is evaluated as
 * @param tasks        the number of tasks (supsup)
 * @param inferBatch   test examples per one-shot task inference (supsup)
 */
public record SparseTrainingSettings(String method, double sparsity, String allocation, double dropFraction,
        boolean cosine, long updateEvery, double stopAt, String weights, String evaluation, int tasks,
        int inferBatch) {

    public static final List<String> METHODS = List.of("set", "rigl", "edge-popup", "supermask", "bn-only", "supsup");

    public SparseTrainingSettings {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("unknown method '" + method + "'; choose one of " + METHODS);
        }
        boolean dynamic = method.equals("set") || method.equals("rigl");
        boolean popup = method.equals("edge-popup") || method.equals("supsup");
        if (!dynamic) {
            allocation = "";
            dropFraction = 0;
            cosine = false;
            updateEvery = 0;
            stopAt = 0;
        }
        if (!(dynamic || popup)) {
            sparsity = 0;
        }
        if (!(popup || method.equals("supermask"))) {
            weights = "";
        }
        if (!method.equals("supermask")) {
            evaluation = "";
        }
        if (!method.equals("supsup")) {
            tasks = 0;
            inferBatch = 0;
        }
        if (dynamic || popup) {
            if (!(sparsity > 0 && sparsity < 1)) {
                throw new IllegalArgumentException("--sparsity must be in (0, 1) (the fraction of weights removed), got "
                        + sparsity + (sparsity == 0 ? "; " + method + " needs connections left out (for a dense "
                        + "network use prune4j train)" : "; for a percentage divide by 100"));
            }
        }
        if (dynamic) {
            Allocation.named(allocation);
            if (!(dropFraction > 0 && dropFraction < 1)) {
                throw new IllegalArgumentException("--drop-fraction must be in (0, 1), got " + dropFraction
                        + "; it is the share of each layer's connections moved per update");
            }
            if (updateEvery < 0) {
                throw new IllegalArgumentException("--update-every must be >= 1 (0: once per epoch), got " + updateEvery);
            }
            if (!(stopAt > 0 && stopAt <= 1)) {
                throw new IllegalArgumentException("--stop-at must be in (0, 1] (a fraction of training), got " + stopAt);
            }
        }
        if (popup && !List.of("signed-kaiming", "scaled-signed-kaiming").contains(weights)) {
            throw new IllegalArgumentException("--weights for " + method + " is signed-kaiming or scaled-signed-kaiming, "
                    + "got '" + weights + "'");
        }
        if (method.equals("supermask")) {
            if (!List.of("signed-constant", "init").contains(weights)) {
                throw new IllegalArgumentException("--weights for supermask is signed-constant or init, got '" + weights
                        + "'");
            }
            if (!List.of("expected", "sampled").contains(evaluation)) {
                throw new IllegalArgumentException("--evaluate is expected or sampled, got '" + evaluation + "'");
            }
        }
        if (method.equals("supsup")) {
            if (tasks < 2) {
                throw new IllegalArgumentException("supermasks in superposition need at least 2 tasks, got " + tasks
                        + "; with one task it is edge-popup (prune4j edge-popup)");
            }
            if (inferBatch < 1) {
                throw new IllegalArgumentException("--infer-batch must be at least 1 example, got " + inferBatch);
            }
        }
    }

    /** The density the method trains at (1 for those that learn it or train no weights). */
    public double density() {
        return 1 - sparsity;
    }

    /** The update schedule of SET and RigL for a run of {@code iterations} steps over {@code trainSize} examples. */
    public UpdateSchedule schedule(long iterations, int batch, int trainSize) {
        long every = updateEvery > 0 ? updateEvery : Math.max(1, (trainSize + batch - 1) / batch);
        return UpdateSchedule.of(every, iterations, stopAt, dropFraction, cosine);
    }
}
