package org.prune4j.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.prune4j.backend.Backend;
import org.prune4j.backend.DeviceFault;
import org.prune4j.data.ImageData;
import org.prune4j.dynamic.SparseMethod;
import org.prune4j.dynamic.SparseMethods;
import org.prune4j.dynamic.SupSup;
import org.prune4j.nn.ChannelCompaction;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.LayerShape;
import org.prune4j.nn.Model;
import org.prune4j.nn.ModelState;
import org.prune4j.nn.NetworkCost;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.prune.BatchNormScaleScore;
import org.prune4j.prune.ChannelStructure;
import org.prune4j.prune.GradualPruning;
import org.prune4j.prune.Pruner;
import org.prune4j.prune.Reset;
import org.prune4j.prune.Schedule;
import org.prune4j.prune.ScoringContext;
import org.prune4j.prune.SparsityRegulariser;
import org.prune4j.report.ExperimentReport;
import org.prune4j.report.Figures;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.train.Distillation;
import org.prune4j.train.Objective;
import org.prune4j.train.Progress;
import org.prune4j.train.ScaleL1Penalty;
import org.prune4j.train.TrainConfig;
import org.prune4j.train.TrainResult;
import org.prune4j.train.Trainer;

/**
 * One execution of one experiment in its locked folder: the rounds, their branches and
 * checkpoints, what a resume can reuse, and moving to the fallback backend after a device
 * fault (the backend it opens for that is closed with the run).
 */
final class ExperimentRun implements AutoCloseable {
    static final String MAIN = ExperimentRunner.MAIN;
    /** Timed forward passes per configuration and round of a latency measurement. */
    private static final int LATENCY_RUNS = 10;

    /** A finished main branch: its result and the trained state its checkpoint holds. */
    record MainRound(RoundResult result, ModelState state) {
    }

    private Backend backend;
    private KernelPolicy policy;
    private final Progress progress;
    final Consumer<String> log;
    private final boolean acceptChanges;
    private final int[] latencyBatches;
    private final ExperimentRunner.Fallback fallback;
    private Backend opened;

    final ExperimentSettings s;
    final RunDirectory dir;
    private final PruningSettings p;
    private final Map<String, Object> machine = new LinkedHashMap<>();
    final List<RoundResult> results = new ArrayList<>();
    ImageData data;
    Model model;
    ModelState init;
    private Model teacher;
    private List<String> kernelsLogged = List.of();
    private int kernelsLoggedRound = -1;

    ExperimentRun(ExperimentRunner runner, ExperimentSettings s, RunDirectory dir) {
        this.backend = runner.backend;
        this.policy = runner.policy;
        this.progress = runner.progress;
        this.log = runner.log;
        this.acceptChanges = runner.acceptChanges;
        this.latencyBatches = runner.latencyBatches;
        this.fallback = runner.fallback;
        this.s = s;
        this.dir = dir;
        this.p = s.pruning();
    }

    ExperimentRunner.Outcome execute() {
        log.accept("run folder " + dir.path());
        data = s.loadData();
        log.accept(String.format("data %s: %d train, %d validation, %d test", s.data(), data.train().size(),
                data.validation().size(), data.test().size()));
        model = newModel();
        log.accept(model.describe());
        boolean supsup = s.kind().equals("supsup");
        int rounds = s.lastRound();
        if (supsup) {
            SupSup.check(model, s.sparseTraining());
        } else if (s.sparseTraining() != null) {
            method().check(model, methodContext());
        }
        if (p != null && p.score().equals("bn-scale")) {
            BatchNormScaleScore.requireNorms(model);
        }
        if (p != null && p.scaleL1() > 0 && model.normScales().isEmpty()) {
            throw new IllegalArgumentException("--scale-l1 penalises BatchNorm scales and " + s.model() + " has none; "
                    + "use a model with BatchNorm (mlp-bn)");
        }
        Preflight.disk(dir.path(), model, rounds);
        dir.start();
        init = dir.checkpoint("init.ckpt").orElseGet(() -> {
            ModelState st = model.state();
            dir.saveCheckpoint("init.ckpt", st);
            return st;
        });
        machine.putAll(machine());
        if (supsup) {
            return new SupSupRounds(this).run();
        }
        for (int r = 0; r <= rounds; r++) {
            int round = r;
            MainRound main = ensureMain(r, () -> round == 0 ? reusedDenseRound().orElseGet(() -> runMain(0))
                    : runMain(round));
            if (r == 0) {
                DenseRoundDonor.mark(dir.path()).ifPresent(note -> machine.put("round0", note));
            }
            results.add(main.result());
            report();
            if (r == 0 || p == null) {
                continue;
            }
            Map<String, Mask> masks = main.state().masks();
            for (String c : p.controls()) {
                RoundResult cr = dir.result(r, c).orElseGet(() -> onDevice("round " + round + " " + c,
                        () -> runControl(round, c, masks)));
                results.add(cr);
                report();
            }
        }
        return new ExperimentRunner.Outcome(dir.path(), results);
    }

    void report() {
        boolean mainRound = results.isEmpty() || results.get(results.size() - 1).branch().equals("main");
        ExperimentReport.write(dir.path(), s, results, machine, mainRound);
    }

    /** The dense network round 0 trained, read once from its checkpoint: the teacher of distilled rounds. */
    private Model teacher() {
        if (teacher == null) {
            Model m = newModel();
            m.load(dir.checkpoint(ckpt(0)).orElseThrow(() -> new IllegalStateException("round 0's checkpoint, the "
                    + "distillation teacher, is missing from " + dir.path() + "; resume to redo round 0")));
            teacher = m;
        }
        return teacher;
    }

    private Model newModel() {
        return s.newModel(data, 1);
    }

    /** Round r's main branch: read back when its result and checkpoint are intact, else (re)done by {@code work}. */
    MainRound ensureMain(int r, Supplier<MainRound> work) {
        Optional<RoundResult> done = dir.result(r, MAIN);
        if (done.isPresent()) {
            Optional<ModelState> state = dir.checkpoint(ckpt(r));
            boolean rewindLost = r == 0 && needsRewindPoint() && dir.checkpoint("rewind.ckpt").isEmpty();
            if (state.isPresent() && !rewindLost) {
                return new MainRound(done.get(), state.get());
            }
            log.accept("round " + r + " main has a result but " + (state.isEmpty() ? "no usable checkpoint"
                    : "no usable rewind point") + ": redoing it (same seed, same numbers)");
        }
        return onDevice("round " + r + " main", work);
    }

    private boolean needsRewindPoint() {
        return p != null && p.scheduleInstance().rounds() > 0 && p.resetInstance() instanceof Reset.RewindToIteration;
    }

    /**
     * Runs {@code work}; when the device fails, says what is saved and stops, or with a
     * fallback moves to its backend and runs {@code work} again there.
     */
    <T> T onDevice(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            DeviceFault fault = DeviceFault.in(e);
            if (fault == null) {
                throw e;
            }
            String failed = "the " + backend.name() + " backend failed during " + what + " (" + fault.errorName()
                    + "): " + e.getMessage();
            if (fallback == null || opened != null) {
                throw new IllegalStateException(failed + ". Every finished round and branch is saved in "
                        + dir.path() + "; rerun with --resume to retry there"
                        + (fallback == null ? ", or with --resume --fallback cpu to go on with the CPU" : ""), e);
            }
            log.accept("WARNING " + failed + "; going on with the " + fallback.name() + " backend (--fallback "
                    + fallback.name() + "), starting " + what + " again there");
            opened = fallback.backend().get();
            backend = opened;
            policy = fallback.policy().apply(opened);
            // the failed device may still hold the model's memory; go on with a fresh host copy
            model = newModel();
            String change = what + " onward on " + backend.name() + " after a " + fault.errorName() + " fault";
            dir.saveEnvironment(dir.environment().map(env -> env.merge(environment(), change))
                    .orElseGet(() -> environment().merge(environment(), change)));
            machine.put("backend", backend.description());
            machine.put("changes", dir.environment().map(RunEnvironment::changes).orElse(List.of()));
            return work.get();
        }
    }

    private SparseMethod method() {
        return SparseMethods.named(s.sparseTraining().method());
    }

    private SparseMethod.Context methodContext() {
        return new SparseMethod.Context(s.sparseTraining(), s.trainConfig(), data.train().size(), s::optimiser,
                s.learningRateSchedule(), policy, new Rng(s.seed()).split(7000));
    }

    /**
     * Round 0 taken from a sibling run that trained the same dense network, or empty when none
     * can lend it. Not done when this run rewinds to a point inside round 0's training, which
     * only training this run's round 0 saves, or measures inference latency at batch sizes the
     * sibling did not measure (same network, same backend: its latency is this run's).
     */
    private Optional<MainRound> reusedDenseRound() {
        boolean lateRewind = p != null && p.resetInstance() instanceof Reset.RewindToIteration rw && rw.iteration() > 0;
        if (lateRewind) {
            return Optional.empty();
        }
        Optional<DenseRoundDonor.Found> donor = DenseRoundDonor.find(dir.path(), s, environment(),
                backend.description(), init, java.util.Arrays.stream(latencyBatches).boxed().toList(), log);
        if (donor.isEmpty()) {
            return Optional.empty();
        }
        checkEnvironment(0, MAIN, s.trainConfig().batch());
        DenseRoundDonor.Found d = donor.get();
        RoundResult r = d.result();
        RoundResult res = new RoundResult(0, MAIN, p == null ? "dense" : ExperimentRunner.methodLabel(s),
                r.layerDensity(), r.weightsRemaining(), r.weightsTotal(), r.density(), r.earlyStop(), r.last(),
                r.seconds(), r.kernels(), r.curve(), r.cost(), latencyBatches.length > 0 ? r.latency() : null,
                r.stepSeconds());
        if (p != null && p.resetInstance() instanceof Reset.RewindToIteration) {
            dir.saveCheckpoint("rewind.ckpt", init);
        }
        model.load(d.state());
        dir.saveCheckpoint(ckpt(0), d.state());
        DenseRoundDonor.mark(dir.path(), d);
        dir.saveResult(res);
        log.accept(String.format("round 0 main: the dense network %s trained with these settings and this setup "
                + "(test %.2f%% at early stop), reused rather than trained again", d.dir().getFileName(),
                100 * res.earlyStop().testAccuracy()));
        return Optional.of(new MainRound(res, d.state()));
    }

    private MainRound runMain(int r) {
        List<Trainer.Hook> hooks = new ArrayList<>();
        Supplier<String> method = () -> p == null ? "dense" : ExperimentRunner.methodLabel(s);
        boolean policyKernels = true;
        if (s.sparseTraining() != null) {
            model.load(init);
            SparseMethod.Prepared prepared = method().prepare(model, methodContext());
            hooks.addAll(prepared.hooks());
            method = prepared.label();
            policyKernels = prepared.policyKernels();
        } else if (r == 0) {
            DenseRoundDonor.unmark(dir.path());
            model.load(init);
            if (p != null && p.scaleL1() > 0) {
                hooks.add(new ScaleL1Penalty(p.scaleL1(), s.learningRateSchedule()));
            }
            if (p != null && p.regularise() != null) {
                // round 0 ends in the method's mask, so its checkpoint is the pruned network
                hooks.add(new SparsityRegulariser(model, p.regularise().form(data.train().size()), s.optimiser(),
                        s.roundLearningRate(0), s.roundConfig(0).iterations()));
            }
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
            ScoringContext ctx = scoring(r);
            if (schedule instanceof Schedule.Gradual g) {
                model.load(init);
                hooks.add(new GradualPruning(g, p.scorer(), p.scopeInstance(), ctx, policy,
                        s.trainConfig().batch(), log));
            } else {
                if (p.regularise() != null) {
                    // the regularised round 0 ended in its mask: keep it, score nothing
                    model.load(dir.checkpoint(ckpt(r - 1)).orElseThrow(() -> new IllegalStateException(
                            "the checkpoint of round " + (r - 1) + " disappeared from " + dir.path()
                                    + " while this run held it; resume to redo it")));
                } else if (p.when().equals("init")) {
                    model.load(init);
                    Pruner.prune(ctx, p.scorer(), p.scopeInstance(), schedule.density(r), p.scoreSteps());
                } else {
                    // ensureMain(r - 1) ran just before and left this checkpoint intact
                    model.load(dir.checkpoint(ckpt(r - 1)).orElseThrow(() -> new IllegalStateException(
                            "the checkpoint of round " + (r - 1) + " disappeared from " + dir.path()
                                    + " while this run held it; resume to redo it")));
                    Pruner.prune(ctx, p.scorer(), p.scopeInstance(), schedule.density(r) / schedule.density(r - 1),
                            p.scoreSteps());
                }
                p.resetInstance().apply(model, resetContext(r));
            }
        }
        RoundResult res = train(r, MAIN, method, s.roundConfig(r), hooks, policyKernels);
        ModelState state = model.state();
        dir.saveCheckpoint(ckpt(r), state);
        dir.saveResult(res);
        return new MainRound(res, state);
    }

    private RoundResult runControl(int r, String control, Map<String, Mask> masks) {
        Rng rng = new Rng(s.seed()).split(1000 + r);
        model.load(init);
        TrainConfig cfg = s.roundConfig(r);
        String method;
        switch (control) {
            case "reinit" -> {
                model.setMasks(masks);
                model.initialise(rng);
                method = "random reinit";
            }
            case "random" -> {
                Map<Parameter, Mask> byWeight = new LinkedHashMap<>();
                for (Parameter w : model.prunable()) {
                    if (masks.get(w.name()) != null) {
                        byWeight.put(w, masks.get(w.name()));
                    }
                }
                Map<String, Mask> random = new LinkedHashMap<>();
                Map<Parameter, Mask> drawn = s.pruning().structureInstance().randomLike(model.prunable(), byWeight, rng);
                for (Parameter w : model.prunable()) {
                    random.put(w.name(), drawn.get(w));
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
        String label = method;
        RoundResult res = train(r, control, () -> label, cfg, List.of(), true);
        dir.saveResult(res);
        return res;
    }

    RoundResult train(int r, String branch, Supplier<String> method, TrainConfig cfg,
            List<Trainer.Hook> hooks, boolean policyKernels) {
        checkEnvironment(r, branch, cfg.batch());
        ChannelCompaction compaction = compactsChannels(policyKernels) ? ChannelCompaction.of(model) : null;
        Model trained = compaction != null && compaction.removedAny() ? compaction.compact() : model;
        List<String> kernels = new ArrayList<>(policyKernels ? trained.chooseKernels(policy, cfg.batch())
                : List.of("every layer on the dense path: the mask is learned over every connection and changes "
                        + "every step"));
        if (trained != model) {
            kernels.add(0, compaction.describe());
        }
        // said once per round, and again only when a branch's choice differs (results keep every one)
        if (r != kernelsLoggedRound || !kernels.equals(kernelsLogged)) {
            kernels.forEach(l -> log.accept("round " + r + " " + branch + ": " + l));
            kernelsLogged = List.copyOf(kernels);
            kernelsLoggedRound = r;
        }
        String task = String.format("round %d %s %.1f%%", r, branch, 100 * model.density());
        Distillation distillation = p != null && p.distill() != null && r >= 1
                ? new Distillation(teacher(), p.distill().temperature(), p.distill().weight()) : null;
        TrainResult t;
        try {
            t = new Trainer(backend, progress).train(trained, s.optimiser(), s.roundLearningRate(r), data, cfg, task,
                    hooks, distillation != null ? distillation : Objective.CROSS_ENTROPY);
        } finally {
            if (distillation != null) {
                distillation.close();
            }
        }
        // inference as deployed: the compacted network for channel rounds, each layer on the
        // kernel that measures faster for its forward product at that batch
        List<org.prune4j.bench.InferenceBench.Row> latency = latencyBatches.length == 0 ? null
                : org.prune4j.bench.InferenceBench.run(backend, trained, latencyBatches, LATENCY_RUNS,
                        line -> log.accept("round " + r + " " + branch + " inference: " + line));
        if (latency != null) {
            trained.release();
        }
        if (trained != model) {
            compaction.copyBackInto(model);
        }
        Map<String, Double> layers = new LinkedHashMap<>();
        for (Parameter w : model.prunable()) {
            layers.put(w.name(), w.density());
        }
        RoundResult res = new RoundResult(r, branch, method.get(), layers, model.aliveWeights(), model.weightCount(),
                model.density(), t.earlyStop(), t.last(), t.seconds(), kernels, t.curve(), NetworkCost.of(model),
                latency, t.stepSeconds());
        log.accept(String.format("round %d %-9s %6.2f%% weights: test %.2f%% at early stop (iteration %d), final"
                + " %.2f%%, %.0f s%s", r, branch, 100 * res.density(), 100 * res.earlyStop().testAccuracy(),
                res.earlyStop().iteration(), 100 * res.last().testAccuracy(), res.seconds(), Double.isNaN(
                res.msPerStep()) ? "" : " (" + Figures.threeDigits(res.msPerStep())
                + " ms per training step)"));
        return res;
    }

    /**
     * Channel-pruned rounds train the smaller dense network with the dead channels removed, not
     * the masked full one; a gradual schedule prunes while training, so it keeps the full shapes.
     */
    private boolean compactsChannels(boolean policyKernels) {
        return policyKernels && p != null && p.structureInstance() instanceof ChannelStructure
                && !p.schedule().equals("gradual");
    }

    /** Compares the backend and kernel thresholds with what the run recorded; refuses a silent mix. */
    private void checkEnvironment(int r, String branch, int batch) {
        RunEnvironment now = environment(batch);
        Optional<RunEnvironment> recorded = dir.environment();
        if (recorded.isEmpty()) {
            dir.saveEnvironment(now);
            return;
        }
        List<String> conflicts = recorded.get().conflicts(now);
        if (conflicts.isEmpty()) {
            RunEnvironment merged = recorded.get().merge(now, null);
            if (!merged.equals(recorded.get())) {
                dir.saveEnvironment(merged);
            }
            return;
        }
        String change = "round " + r + " " + branch + " onward: " + String.join("; ", conflicts);
        if (!acceptChanges) {
            throw new IllegalStateException(dir.path() + " was run with another setup than this resume would use ("
                    + String.join("; ", conflicts) + "): its results would mix the numerics of both. Resume with "
                    + "the backend and kernel choice it had (--backend, --sparse-below, --calibration), or pass "
                    + "--accept-changes to go on and record the change in environment.json");
        }
        log.accept("WARNING " + change + " (accepted with --accept-changes; recorded in environment.json)");
        RunEnvironment merged = recorded.get().merge(now, change);
        dir.saveEnvironment(merged);
        machine.put("changes", merged.changes());
    }

    private RunEnvironment environment() {
        return environment(s.trainConfig().batch());
    }

    private RunEnvironment environment(int batch) {
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (Map.Entry<WeightedLayer, LayerShape> e : model.layerShapes(batch).entrySet()) {
            thresholds.put(e.getKey().weight().name() + " " + e.getValue(), policy.threshold(e.getValue()));
        }
        return new RunEnvironment(backend.name(), policyDescription(), thresholds, List.of());
    }

    private ScoringContext scoring(int r) {
        return new ScoringContext(model, backend, data, p.scoreBatches(), p.scoreBatchSize(),
                new Rng(s.seed()).split(5000 + r));
    }

    private Reset.Context resetContext(int r) {
        return new Reset.Context(init, dir.checkpoint("rewind.ckpt").orElse(null), new Rng(s.seed()).split(2000 + r));
    }

    static String ckpt(int round) {
        return String.format("round-%02d/main.ckpt", round);
    }

    private String policyDescription() {
        return policy.crossovers() != null ? policy.source()
                : "sparse below density " + policy.sparseBelowDensity() + " (" + policy.source() + ")";
    }

    private Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prune4j", BuildInfo.current().version());
        m.put("commit", BuildInfo.current().commit());
        m.put("backend", backend.description());
        m.put("kernelPolicy", policyDescription());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version"));
        m.put("started", java.time.Instant.now().toString());
        return m;
    }

    Backend backend() {
        return backend;
    }

    @Override
    public void close() {
        if (opened != null) {
            opened.close();
            opened = null;
        }
    }
}
