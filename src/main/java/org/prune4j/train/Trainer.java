package org.prune4j.train;

import java.util.ArrayList;
import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.data.BatchOrder;
import org.prune4j.data.Dataset;
import org.prune4j.data.ImageData;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Pass;
import org.prune4j.nn.Workspace;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Trains a model with minibatch gradient steps and evaluates it at a fixed interval, on the
 * backend's memory: parameters, gradients, optimiser state and activations stay there for the
 * whole run; each step copies in one batch (images, labels) and nothing else; loss and accuracy
 * sums stay on the device until an evaluation point reads them. Outside {@link #train} the
 * model is in host memory.
 */
public final class Trainer {

    /**
     * What runs beside the steps: rewind capture, gradual pruning, mask updates of dynamic
     * sparse training, score updates of the mask learners. Iterations count the steps done.
     */
    public interface Hook {
        /** After step {@code iteration} (the number of steps done so far). */
        void afterStep(long iteration, Model model);

        /** Before the step that will make {@code iteration} steps done; a hook that needs its dense gradient says so here. */
        default void beforeStep(long iteration, Model model) {
        }

        /** Before the evaluation after {@code iteration} steps (0: the one before training). */
        default void beforeEvaluation(long iteration, Model model) {
        }

        /** After that evaluation; a hook that changed what is evaluated puts the training form back here. */
        default void afterEvaluation(long iteration, Model model) {
        }

        /**
         * The iteration from which this hook leaves the network's size alone (a gradual
         * schedule's last pruning step); early stopping looks no earlier.
         */
        default long settledFrom() {
            return 0;
        }
    }

    private final Backend backend;
    private final Progress progress;

    public Trainer(Backend backend, Progress progress) {
        this.backend = backend;
        this.progress = progress;
    }

    public TrainResult train(Model model, Optimizer optimizer, LearningRate lr, ImageData data, TrainConfig cfg,
            String task, List<Hook> hooks) {
        return train(model, optimizer, lr, data, cfg, task, hooks, Objective.CROSS_ENTROPY);
    }

    /** As above, minimising {@code objective}; the training loss in the curve is its loss. */
    public TrainResult train(Model model, Optimizer optimizer, LearningRate lr, ImageData data, TrainConfig cfg,
            String task, List<Hook> hooks, Objective objective) {
        long start = System.nanoTime();
        optimizer.reset();
        Dataset train = data.train();
        BatchOrder order = new BatchOrder(train.size(), Math.min(cfg.batch(), train.size()), cfg.seed());
        Rng dropout = new Rng(cfg.seed()).split(0xd0d0);
        // one stream per iteration, so a resumed run augments iteration t as a straight one does
        Rng augment = new Rng(cfg.seed()).split(0xa06);
        List<EvalPoint> curve = new ArrayList<>();
        long stepsStart;
        long stepNanos;
        try (Workspace ws = Workspace.caching(backend)) {
            TrainingStep step = new TrainingStep(model, optimizer, ws, dropout, objective);
            DeviceBatch batch = new DeviceBatch(backend, ws, Trainer.class);
            curve.add(evaluate(model, data, 0, Double.NaN, step.evaluation(), hooks));
            NumericGuard guard = NumericGuard.from(curve.get(0), train.classes());
            progress.start(task, cfg.iterations());
            stepsStart = System.nanoTime();
            long examples = 0;
            long lastEval = 0;
            long evaluating = 0;
            double rate = Double.NaN;
            String latest = String.format("val %.2f%% test %.2f%% before training", 100 * curve.get(0).valAccuracy(),
                    100 * curve.get(0).testAccuracy());
            for (long it = 0; it < cfg.iterations(); it++) {
                int[] idx = order.order(it);
                int off = order.offset(it);
                Tensor images = batch.load(train, idx, off, off + order.batch(), data.augmentation(),
                        augment.split(it));
                rate = lr.at(it);
                for (Hook h : hooks) {
                    h.beforeStep(it + 1, model);
                }
                step.run(images, batch.labels(), rate);
                examples += order.batch();
                long done = it + 1;
                for (Hook h : hooks) {
                    h.afterStep(done, model);
                }
                if (done % cfg.evalEvery() == 0 || done == cfg.iterations()) {
                    float[] s = step.takeStats();
                    double meanLoss = s[0] / (double) examples;
                    guard.check(model, backend, lastEval, done, meanLoss, (long) s[2], rate);
                    // takeStats waited for the steps, so what follows is evaluation alone
                    long evalStart = System.nanoTime();
                    EvalPoint p = evaluate(model, data, done, meanLoss, step.evaluation(), hooks);
                    evaluating += System.nanoTime() - evalStart;
                    curve.add(p);
                    examples = 0;
                    lastEval = done;
                    latest = String.format("loss %.3f val %.2f%% test %.2f%%", p.trainLoss(), 100 * p.valAccuracy(),
                            100 * p.testAccuracy());
                }
                // every step, not only at evaluations: a background log then says where a slow run is
                // every 30 seconds even when evaluations are many minutes apart
                progress.step(done, latest);
            }
            stepNanos = System.nanoTime() - stepsStart - evaluating;
        } finally {
            model.release();
        }
        progress.close();
        long settled = hooks.stream().mapToLong(Hook::settledFrom).max().orElse(0);
        return new TrainResult(curve, (System.nanoTime() - start) / 1e9, stepNanos / 1e9, settled);
    }

    private static EvalPoint evaluate(Model model, ImageData data, long iteration, double trainLoss, Pass pass,
            List<Hook> hooks) {
        for (Hook h : hooks) {
            h.beforeEvaluation(iteration, model);
        }
        Evaluation v = Evaluation.of(model, data.validation(), pass);
        Evaluation t = Evaluation.of(model, data.test(), pass);
        for (Hook h : hooks) {
            h.afterEvaluation(iteration, model);
        }
        return new EvalPoint(iteration, trainLoss, v.loss(), v.accuracy(), t.loss(), t.accuracy());
    }
}
