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
import org.prune4j.nn.SoftmaxCrossEntropy;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** Trains a model with minibatch gradient steps and evaluates it at a fixed interval. */
public final class Trainer {

    /** Called after every step with the number of steps done: rewind capture, gradual pruning. */
    public interface Hook {
        void afterStep(long iteration, Model model);
    }

    private final Backend backend;
    private final Progress progress;

    public Trainer(Backend backend, Progress progress) {
        this.backend = backend;
        this.progress = progress;
    }

    public TrainResult train(Model model, Optimizer optimizer, LearningRate lr, ImageData data, TrainConfig cfg,
            String task, List<Hook> hooks) {
        long start = System.nanoTime();
        optimizer.reset();
        Dataset train = data.train();
        BatchOrder order = new BatchOrder(train.size(), Math.min(cfg.batch(), train.size()), cfg.seed());
        Rng dropout = new Rng(cfg.seed()).split(0xd0d0);
        List<EvalPoint> curve = new ArrayList<>();
        curve.add(evaluate(model, data, 0, Double.NaN));
        progress.start(task, cfg.iterations());
        double lossSum = 0;
        int lossCount = 0;
        for (long it = 0; it < cfg.iterations(); it++) {
            int[] idx = order.order(it);
            int off = order.offset(it);
            Tensor x = train.images(idx, off, off + order.batch());
            Pass pass = new Pass(backend, true, dropout);
            Tensor logits = model.forward(x, pass);
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.of(logits, train.labels(idx, off, off + order.batch()));
            model.backward(r.grad());
            optimizer.step(model.parameters(), lr.at(it));
            lossSum += r.loss();
            lossCount++;
            long done = it + 1;
            for (Hook h : hooks) {
                h.afterStep(done, model);
            }
            if (done % cfg.evalEvery() == 0 || done == cfg.iterations()) {
                requireFinite(model, done);
                EvalPoint p = evaluate(model, data, done, lossSum / lossCount);
                curve.add(p);
                lossSum = 0;
                lossCount = 0;
                progress.step(done, String.format("loss %.3f val %.2f%% test %.2f%%", p.trainLoss(),
                        100 * p.valAccuracy(), 100 * p.testAccuracy()));
            }
        }
        progress.close();
        return new TrainResult(curve, (System.nanoTime() - start) / 1e9);
    }

    private static void requireFinite(Model model, long iteration) {
        for (var p : model.parameters()) {
            int bad = p.value().firstNonFinite();
            if (bad >= 0) {
                throw new ArithmeticException("training diverged by iteration " + iteration + ": " + p.name() + "[" + bad
                        + "] is " + p.value().data()[bad] + "; lower the learning rate");
            }
        }
    }

    private EvalPoint evaluate(Model model, ImageData data, long iteration, double trainLoss) {
        Evaluation v = Evaluation.of(model, data.validation(), backend);
        Evaluation t = Evaluation.of(model, data.test(), backend);
        return new EvalPoint(iteration, trainLoss, v.loss(), v.accuracy(), t.loss(), t.accuracy());
    }
}
