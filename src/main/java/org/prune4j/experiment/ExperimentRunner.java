package org.prune4j.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.prune4j.backend.Backend;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.train.Progress;

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
 *
 * <p>Resuming redoes whatever is missing or damaged: a round's main branch counts as done only
 * when both its result and its checkpoint read back intact (and, for late rewinding, the rewind
 * point too). Training is deterministic, so redoing work gives the same numbers. A device fault
 * (out of GPU memory, a kernel error) leaves every finished branch saved and says so; with a
 * {@link Fallback} the branch is redone on the CPU and the run goes on there.
 */
public final class ExperimentRunner {
    public static final String MAIN = "main";

    /** Where to go on after a device fault: a backend to open and the kernel policy to use on it. */
    public record Fallback(String name, Supplier<Backend> backend, Function<Backend, KernelPolicy> policy) {
    }

    final Backend backend;
    final KernelPolicy policy;
    final Progress progress;
    final Consumer<String> log;
    boolean acceptChanges;
    int[] latencyBatches = new int[0];
    boolean strictResume = true;
    Fallback fallback;

    public ExperimentRunner(Backend backend, KernelPolicy policy, Progress progress, Consumer<String> log) {
        this.backend = backend;
        this.policy = policy;
        this.progress = progress;
        this.log = log;
    }

    /**
     * Whether a resumed run may go on with another backend or other kernel thresholds than it
     * started with (the change is recorded in environment.json and results.json); by default it
     * refuses, since that mixes the numerics of two setups in one result.
     */
    /** Batch sizes whose inference latency each round measures after training; empty: none (the default). */
    public ExperimentRunner latency(int... batches) {
        this.latencyBatches = batches.clone();
        return this;
    }

    public ExperimentRunner acceptChanges(boolean accept) {
        this.acceptChanges = accept;
        return this;
    }

    /**
     * Whether a resume that finds no run with its settings refuses when runs with other
     * settings are there (the default, in case a setting was mistyped) or starts the run (for
     * scripts that go through a sweep and resume whatever is unfinished).
     */
    public ExperimentRunner strictResume(boolean strict) {
        this.strictResume = strict;
        return this;
    }

    /** Continue on this backend after a device fault instead of stopping. */
    public ExperimentRunner fallback(Fallback f) {
        this.fallback = f;
        return this;
    }

    /** Runs (or resumes) the experiment under {@code root}; returns its folder and results. */
    public Outcome run(ExperimentSettings s, Path root, boolean resume) {
        try (RunDirectory dir = RunDirectory.open(root, s, resume, strictResume, log);
                ExperimentRun run = new ExperimentRun(this, s, dir)) {
            return run.execute();
        }
    }

    /** The run folder and every result, in the order they were produced. */
    public record Outcome(Path dir, List<RoundResult> results) {
    }

    /**
     * The main branch's name in results: "rewound IMP (winning ticket)" only for what Frankle &
     * Carbin call that (magnitude scores after training, iterative, rewound), else what it is.
     */
    static String methodLabel(ExperimentSettings s) {
        PruningSettings p = s.pruning();
        boolean imp = p.structure() == null && p.score().equals("magnitude") && p.schedule().equals("iterative")
                && p.when().equals("trained");
        if (s.kind().equals("lottery") && imp && p.reset().equals("rewind")) {
            return "rewound IMP (winning ticket)";
        }
        if (s.kind().equals("lottery") && imp && p.reset().startsWith("rewind:")) {
            return "IMP rewound to iteration " + p.reset().substring("rewind:".length()) + " (winning ticket)";
        }
        return p.label();
    }

}
