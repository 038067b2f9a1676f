package org.prune4j.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.prune4j.backend.Backend;
import org.prune4j.data.ImageData;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.Model;
import org.prune4j.nn.ModelState;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.prune.GradualPruning;
import org.prune4j.prune.Pruner;
import org.prune4j.prune.Reset;
import org.prune4j.prune.Schedule;
import org.prune4j.prune.ScoringContext;
import org.prune4j.report.ExperimentReport;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.train.Progress;
import org.prune4j.train.TrainConfig;
import org.prune4j.train.TrainResult;
import org.prune4j.train.Trainer;

/**
 * Runs an experiment round by round, checkpointing after every branch so that a killed run
 * resumed with the same settings loses at most the branch it was in.
 *
 * <p>Round 0 trains the dense network. Each later round r prunes to the schedule's density
 * (from the weights trained in round r-1 when scores are taken after training, from the
 * initial weights when they are taken at initialisation, or gradually during training), resets
 * the survivors and trains them: the "main" branch. The controls then reuse round r's masks:
 * "reinit" trains them from a fresh random initialisation (Liu et al.; the lottery ticket's
 * control), "random" trains random masks with the same per-layer counts from the same
 * initialisation, and "supermask" only evaluates the masked initial signs at a constant
 * magnitude (Zhou et al.).
 */
public final class ExperimentRunner {
    public static final String MAIN = "main";

    private final Backend backend;
    private final KernelPolicy policy;
    private final Progress progress;
    private final Consumer<String> log;

    public ExperimentRunner(Backend backend, KernelPolicy policy, Progress progress, Consumer<String> log) {
        this.backend = backend;
        this.policy = policy;
        this.progress = progress;
        this.log = log;
    }

    /** Runs (or resumes) the experiment under {@code root}; returns its folder and results. */
    public Outcome run(ExperimentSettings s, Path root, boolean resume) {
        RunDirectory dir = RunDirectory.open(root, s, resume);
        log.accept("run folder " + dir.path());
        ImageData data = s.loadData();
        log.accept(String.format("data %s: %d train, %d validation, %d test", s.data(), data.train().size(),
                data.validation().size(), data.test().size()));
        Model model = Models.create(s.model(), data.train().channels(), data.train().height(), data.train().width(),
                data.train().classes(), new Rng(s.seed()).split(1));
        log.accept(model.describe());
        ModelState init = dir.checkpoint("init.ckpt").orElseGet(() -> {
            ModelState st = model.state();
            dir.saveCheckpoint("init.ckpt", st);
            return st;
        });
        Map<String, Object> machine = machine();
        List<RoundResult> results = new ArrayList<>();
        PruningSettings p = s.pruning();
        Schedule schedule = p == null ? null : p.scheduleInstance();
        int rounds = p == null ? 0 : schedule.rounds();
        for (int r = 0; r <= rounds; r++) {
            int round = r;
            RoundResult main = dir.result(r, MAIN).orElseGet(() -> runMain(s, dir, model, init, data, round));
            results.add(main);
            ExperimentReport.write(dir.path(), s, results, machine);
            if (r == 0 || p == null) {
                continue;
            }
            Map<String, Mask> masks = dir.checkpoint(ckpt(r)).orElseThrow().masks();
            for (String c : p.controls()) {
                RoundResult cr = dir.result(r, c).orElseGet(() -> runControl(s, dir, model, init, data, round, c, masks));
                results.add(cr);
                ExperimentReport.write(dir.path(), s, results, machine);
            }
        }
        return new Outcome(dir.path(), results);
    }

    /** The run folder and every result, in the order they were produced. */
    public record Outcome(Path dir, List<RoundResult> results) {
    }

    private static String ckpt(int round) {
        return String.format("round-%02d/main.ckpt", round);
    }

    private RoundResult runMain(ExperimentSettings s, RunDirectory dir, Model model, ModelState init, ImageData data,
            int r) {
        PruningSettings p = s.pruning();
        List<Trainer.Hook> hooks = new ArrayList<>();
        String method = p == null ? "dense" : methodLabel(s);
        if (r == 0) {
            model.load(init);
            if (p != null && p.resetInstance() instanceof Reset.RewindToIteration rw) {
                hooks.add((it, m) -> {
                    if (it == rw.iteration()) {
                        dir.saveCheckpoint("rewind.ckpt", m.state());
                    }
                });
                if (rw.iteration() == 0) {
                    dir.saveCheckpoint("rewind.ckpt", init);
                }
            }
        } else {
            Schedule schedule = p.scheduleInstance();
            ScoringContext ctx = scoring(s, model, data, r);
            if (schedule instanceof Schedule.Gradual g) {
                model.load(init);
                hooks.add(new GradualPruning(g, p.scorer(), p.scopeInstance(), ctx, policy,
                        s.trainConfig().batch(), log));
            } else {
                if (p.when().equals("init")) {
                    model.load(init);
                    Pruner.prune(ctx, p.scorer(), p.scopeInstance(), schedule.density(r), p.scoreSteps());
                } else {
                    model.load(dir.checkpoint(ckpt(r - 1)).orElseThrow(() -> new IllegalStateException(
                            "round " + (r - 1) + " has a result but no checkpoint; delete " + dir.roundDir(r - 1)
                                    + " and resume")));
                    Pruner.prune(ctx, p.scorer(), p.scopeInstance(), schedule.density(r) / schedule.density(r - 1),
                            p.scoreSteps());
                }
                p.resetInstance().apply(model, resetContext(s, dir, init, r));
            }
        }
        RoundResult res = train(s, model, data, r, MAIN, method, s.trainConfig(), hooks);
        dir.saveCheckpoint(ckpt(r), model.state());
        dir.saveResult(res);
        return res;
    }

    private RoundResult runControl(ExperimentSettings s, RunDirectory dir, Model model, ModelState init,
            ImageData data, int r, String control, Map<String, Mask> masks) {
        Rng rng = new Rng(s.seed()).split(1000 + r);
        model.load(init);
        TrainConfig cfg = s.trainConfig();
        String method;
        switch (control) {
            case "reinit" -> {
                model.setMasks(masks);
                model.initialise(rng);
                method = "random reinit";
            }
            case "random" -> {
                Map<String, Mask> random = new LinkedHashMap<>();
                int i = 0;
                for (Parameter w : model.prunable()) {
                    Mask m = masks.get(w.name());
                    random.put(w.name(), m == null ? null : randomLike(m, rng.split(++i)));
                }
                model.setMasks(random);
                method = "random pruning";
            }
            case "supermask" -> {
                model.setMasks(masks);
                new Reset.SignedConstant().apply(model, new Reset.Context(init, null, rng));
                cfg = new TrainConfig(0, cfg.batch(), cfg.evalEvery(), cfg.seed());
                method = "supermask (signed constant, no training)";
            }
            default -> throw new IllegalArgumentException("unknown control " + control);
        }
        RoundResult res = train(s, model, data, r, control, method, cfg, List.of());
        dir.saveResult(res);
        return res;
    }

    private static Mask randomLike(Mask m, Rng rng) {
        int n = m.rows() * m.cols();
        int[] order = new int[n];
        java.util.Arrays.setAll(order, i -> i);
        rng.shuffle(order);
        boolean[] k = new boolean[n];
        for (int i = 0; i < m.keptCount(); i++) {
            k[order[i]] = true;
        }
        return Mask.of(m.rows(), m.cols(), k);
    }

    private RoundResult train(ExperimentSettings s, Model model, ImageData data, int r, String branch, String method,
            TrainConfig cfg, List<Trainer.Hook> hooks) {
        List<String> kernels = model.chooseKernels(policy, cfg.batch());
        kernels.forEach(l -> log.accept("round " + r + " " + branch + ": " + l));
        String task = String.format("round %d %s %.1f%%", r, branch, 100 * model.density());
        TrainResult t = new Trainer(backend, progress).train(model, s.optimiser(), s.learningRateSchedule(), data, cfg,
                task, hooks);
        Map<String, Double> layers = new LinkedHashMap<>();
        for (Parameter w : model.prunable()) {
            layers.put(w.name(), w.density());
        }
        RoundResult res = new RoundResult(r, branch, method, layers, model.aliveWeights(), model.weightCount(),
                model.density(), t.earlyStop(), t.last(), t.seconds(), kernels, t.curve());
        log.accept(String.format("round %d %-9s %6.2f%% weights: test %.2f%% at early stop (iteration %d), final %.2f%%,"
                + " %.0f s", r, branch, 100 * res.density(), 100 * res.earlyStop().testAccuracy(),
                res.earlyStop().iteration(), 100 * res.last().testAccuracy(), res.seconds()));
        return res;
    }

    private ScoringContext scoring(ExperimentSettings s, Model model, ImageData data, int r) {
        PruningSettings p = s.pruning();
        return new ScoringContext(model, backend, data, p.scoreBatches(), p.scoreBatchSize(),
                new Rng(s.seed()).split(5000 + r));
    }

    private static Reset.Context resetContext(ExperimentSettings s, RunDirectory dir, ModelState init, int r) {
        return new Reset.Context(init, dir.checkpoint("rewind.ckpt").orElse(null), new Rng(s.seed()).split(2000 + r));
    }

    private static String methodLabel(ExperimentSettings s) {
        if (s.kind().equals("lottery")) {
            return "rewound IMP (winning ticket)";
        }
        return s.pruning().label();
    }

    private Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend.description());
        m.put("kernelPolicy", policy.crossovers() != null ? policy.source()
                : "sparse below density " + policy.sparseBelowDensity() + " (" + policy.source() + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version"));
        m.put("started", java.time.Instant.now().toString());
        return m;
    }
}
