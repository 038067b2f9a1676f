package org.prune4j.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.data.ImageData;
import org.prune4j.dynamic.PermutedTasks;
import org.prune4j.dynamic.SparseTrainingSettings;
import org.prune4j.dynamic.SupSup;
import org.prune4j.train.EvalPoint;
import org.prune4j.nn.ModelState;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/**
 * Supermasks in superposition: round t learns task t's mask on the shared random
 * network (checkpointed like any main branch), then each task's test set is classified
 * with its task inferred batch by batch (the "inferred" branch).
 */
final class SupSupRounds {
    private final ExperimentRun run;
    private final ExperimentSettings s;
    private final SparseTrainingSettings st;
    private final PermutedTasks tasks;
    private final ImageData base;

    SupSupRounds(ExperimentRun run) {
        this.run = run;
        this.s = run.s;
        this.st = s.sparseTraining();
        this.base = run.data;
        this.tasks = new PermutedTasks(base, s.seed());
    }

    ExperimentRunner.Outcome run() {
        List<List<Mask>> masks = new ArrayList<>();
        for (int t = 0; t < st.tasks(); t++) {
            int task = t;
            ExperimentRun.MainRound main = run.ensureMain(t, () -> learn(task));
            run.results.add(main.result());
            run.report();
            masks.add(run.model.prunable().stream().map(w -> main.state().masks().get(w.name())).toList());
        }
        run.model.load(run.init);
        List<float[]> fixed = SupSup.fixedWeights(run.model, st);
        for (int t = 0; t < st.tasks(); t++) {
            int task = t;
            run.results.add(run.dir.result(t, "inferred").orElseGet(() -> run.onDevice("task " + task + " inference",
                    () -> infer(task, fixed, masks))));
            run.report();
        }
        return new ExperimentRunner.Outcome(run.dir.path(), run.results);
    }

    private ExperimentRun.MainRound learn(int t) {
        run.data = tasks.task(t);
        try {
            run.model.load(run.init);
            var learner = SupSup.learner(run.model, st, s.optimiser(), s.learningRateSchedule(),
                    new Rng(s.seed()).split(8000 + t));
            RoundResult res = run.train(t, ExperimentRun.MAIN, () -> String.format("supsup task %d (%s), edge-popup top %.1f%%",
                    t, t == 0 ? "original pixels" : "permutation " + t, 100 * st.density()), s.trainConfig(),
                    List.of(learner), false);
            ModelState state = run.model.state();
            run.dir.saveCheckpoint(ExperimentRun.ckpt(t), state);
            run.dir.saveResult(res);
            return new ExperimentRun.MainRound(res, state);
        } finally {
            run.data = base;
        }
    }

    private RoundResult infer(int t, List<float[]> fixed, List<List<Mask>> masks) {
        long start = System.nanoTime();
        SupSup.Inferred r = SupSup.inferAndClassify(run.model, fixed, masks, tasks.test(t), t, st.inferBatch(),
                run.backend());
        EvalPoint point = new EvalPoint(s.iterations(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                r.accuracy());
        Map<String, Double> layers = new LinkedHashMap<>();
        long alive = 0, total = 0;
        for (Mask m : masks.get(t)) {
            alive += m.keptCount();
            total += (long) m.rows() * m.cols();
        }
        List<Parameter> ws = run.model.prunable();
        for (int l = 0; l < ws.size(); l++) {
            layers.put(ws.get(l).name(), masks.get(t).get(l).density());
        }
        RoundResult res = new RoundResult(t, "inferred", String.format("task inferred one-shot: right for %d of "
                + "%d batches of %d", r.rightTask(), r.batches(), st.inferBatch()), layers, alive, total,
                alive / (double) total, point, point, (System.nanoTime() - start) / 1e9, List.of(),
                List.of(point));
        run.log.accept(String.format("task %d: inferred the right task for %d of %d test batches; accuracy %.2f%%",
                t, r.rightTask(), r.batches(), 100 * r.accuracy()));
        run.dir.saveResult(res);
        return res;
    }
}
