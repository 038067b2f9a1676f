package org.prune4j.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.prune4j.prune.ChannelStructure;
import org.prune4j.prune.NmStructure;
import org.prune4j.prune.Reset;
import org.prune4j.prune.Schedule;
import org.prune4j.prune.Scope;
import org.prune4j.prune.Scopes;
import org.prune4j.prune.Scorer;
import org.prune4j.prune.Scorers;
import org.prune4j.prune.Structure;
import org.prune4j.prune.StructuredScope;
import org.prune4j.prune.Unstructured;

/**
 * The pruning half of an experiment: score x scope x schedule x reset, when the scores are
 * taken ({@code trained}: after each round's training, as IMP; {@code init}: at initialisation,
 * as SNIP, GraSP and SynFlow; gradual schedules prune during training), how many sub-steps each
 * pruning event takes, and the control branches to run at every sparsity.
 *
 * <p>Fields the schedule does not use are normalised (one-shot: 1 round, rate 0, no gradual
 * window; iterative: sparsity 0, no gradual window; gradual: 1 round, rate 0, reset "none", when
 * "during"), so that they change neither the run's hash nor its label: four resets of one
 * gradual run are one run. The command line rejects such options outright.
 *
 * <p>{@code structure} is the granularity ({@link Structure}); unstructured is stored as null
 * and left out of the JSON, so runs from before structures existed keep their hashes.
 * {@code scaleL1} is network slimming's L1 penalty on BatchNorm scales while the dense round 0
 * trains (0: none, also left out of the JSON). {@code distill}, when set, trains every round
 * after the dense round 0 as a student of that trained dense network (knowledge distillation;
 * null: plain cross-entropy, left out of the JSON). {@code regularise}, when set, trains round 0
 * with a regularisation route to sparsity that ends the round in its own mask; the one-shot
 * round 1 keeps that mask (nothing is scored) and applies the reset, usually fine-tuning.
 */
public record PruningSettings(String score, String scope, double outputRateScale, String schedule, int rounds,
        double rate, double sparsity, long gradualStart, long gradualEnd, long gradualEvery, String reset, String when,
        int scoreSteps, int scoreBatches, int scoreBatchSize, List<String> controls,
        @JsonInclude(JsonInclude.Include.NON_NULL) String structure,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double scaleL1,
        @JsonInclude(JsonInclude.Include.NON_NULL) Distill distill,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double hanQuality,
        @JsonInclude(JsonInclude.Include.NON_NULL) Retrain retrain,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double convRateScale,
        @JsonInclude(JsonInclude.Include.NON_NULL) Regularise regularise) {

    /** The scope of Han et al. 2015: a per-layer threshold of {@code hanQuality} standard deviations. */
    public static final String HAN = "han";

    /**
     * How the rounds after the dense round 0 train, when not as round 0 did: their own learning
     * rate (same schedule shape) and iteration budget, as Han et al. retrain at a lower rate.
     */
    public record Retrain(double learningRate, long iterations) {
        public Retrain {
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("--retrain-lr must be positive and finite, got " + learningRate);
            }
            if (iterations < 0) {
                throw new IllegalArgumentException("--retrain-iterations must be >= 0, got " + iterations);
            }
        }
    }

    /**
     * Knowledge distillation from the run's dense round 0 during every later round: the softmax
     * temperature, and the weight of the soft (teacher) loss against the hard (label) loss.
     */
    public record Distill(double temperature, double weight) {
        public Distill {
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("--distill takes a positive, finite temperature (Hinton et al. use "
                        + "1-20), got " + temperature);
            }
            if (!(weight >= 0 && weight <= 1)) {
                throw new IllegalArgumentException("--distill-weight is the share of the soft loss, in [0, 1]; got "
                        + weight);
            }
        }
    }

    /**
     * A regularisation route to sparsity for round 0, which ends the round in the method's mask
     * ({@link org.prune4j.prune.Regularisers}): its name and parameters; a parameter the method
     * does not use is 0.
     */
    public record Regularise(String method, double gamma, double alpha, double lambda) {
        public Regularise {
            org.prune4j.prune.Regularisers.check(method, gamma, alpha, lambda);
        }

        /** The weight form of every layer, for a training set of {@code examples} images. */
        public java.util.function.Function<org.prune4j.nn.WeightedLayer, org.prune4j.nn.WeightForm> form(
                int examples) {
            return org.prune4j.prune.Regularisers.form(method, gamma, alpha, lambda, examples);
        }

        public String label() {
            return org.prune4j.prune.Regularisers.label(method, gamma, alpha, lambda);
        }
    }

    /** Branches that can run beside the main line at each round's sparsity. */
    public static final List<String> CONTROLS = List.of("reinit", "random", "supermask");

    public PruningSettings {
        controls = List.copyOf(controls);
        switch (schedule) {
            case "oneshot" -> {
                rounds = 1;
                rate = 0;
                gradualStart = gradualEnd = gradualEvery = 0;
            }
            case "iterative" -> {
                sparsity = 0;
                gradualStart = gradualEnd = gradualEvery = 0;
            }
            case "gradual" -> {
                rounds = 1;
                rate = 0;
                reset = "none";
                when = "during";
            }
            default -> throw new IllegalArgumentException("unknown schedule '" + schedule
                    + "'; choose oneshot, iterative or gradual");
        }
        boolean han = scope.equals(HAN);
        checkHan(han, hanQuality, score, schedule, scoreSteps);
        if (regularise != null) {
            checkRegularise(schedule, when, structure, scaleL1, han, retrain);
            // the method's mask decides: no score, scope, target or output-layer scaling
            score = "magnitude";
            scope = "layerwise";
            rate = 0;
            sparsity = 0;
            outputRateScale = 1;
            scoreSteps = 1;
        }
        if (han) {
            // the threshold decides how much goes: no rate, no target, no output-layer scaling
            rate = 0;
            sparsity = 0;
            outputRateScale = 1;
        }
        if (retrain != null && schedule.equals("gradual")) {
            throw new IllegalArgumentException("--retrain-lr and --retrain-iterations set how pruned rounds fine-tune; a "
                    + "gradual schedule prunes while it trains from scratch, in one round: leave them out");
        }
        // Accessors return null inside a compact constructor, so validate the parameters directly.
        Scorers.named(score);
        // 0 stands for "as the other layers" (1), so settings without the option keep their hash
        if (!(convRateScale >= 0 && convRateScale <= 1)) {
            throw new IllegalArgumentException("--conv-rate-scale must be in (0, 1], got " + convRateScale);
        }
        convRateScale = convRateScale == 1 ? 0 : convRateScale;
        if (!han) {
            Scopes.named(scope, outputRateScale, convRateScale == 0 ? 1 : convRateScale);
        } else if (convRateScale != 0) {
            throw new IllegalArgumentException("--conv-rate-scale scales the layerwise scope's rate; --scope han "
                    + "prunes by its threshold alone: leave it out");
        }
        boolean decided = han || regularise != null;
        schedule(schedule, rounds, decided ? HAN_RATE : rate, decided ? HAN_SPARSITY : sparsity, gradualStart,
                gradualEnd, gradualEvery);
        if (!schedule.equals("gradual")) {
            Reset.named(reset);
            if (!List.of("trained", "init").contains(when)) {
                throw new IllegalArgumentException("--when must be 'trained' or 'init', got '" + when + "'");
            }
        }
        if (scoreSteps <= 0 || scoreBatches <= 0 || scoreBatchSize <= 0) {
            throw new IllegalArgumentException("score steps, batches and batch size must be positive");
        }
        for (String c : controls) {
            if (!CONTROLS.contains(c)) {
                throw new IllegalArgumentException("unknown control '" + c + "'; choose from " + CONTROLS);
            }
        }
        if (!(scaleL1 >= 0 && scaleL1 < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--scale-l1 must be >= 0 and finite, got " + scaleL1);
        }
        Structure st = structure == null ? new Unstructured() : Structure.parse(structure);
        structure = st instanceof Unstructured ? null : st.name();
        checkStructure(st, score, schedule, sparsity, scoreSteps, when, scaleL1);
        // what a structure does not use is normalised, so one experiment keeps one run folder:
        // N:M allocates nothing (every layer keeps N of M) and channels never prune the output layer
        if (st instanceof NmStructure) {
            scope = "layerwise";
            outputRateScale = 1;
        } else if (st instanceof ChannelStructure) {
            outputRateScale = 1;
        }
    }

    private static void checkRegularise(String schedule, String when, String structure, double scaleL1, boolean han,
            Retrain retrain) {
        if (!schedule.equals("oneshot") || !when.equals("trained")) {
            throw new IllegalArgumentException("--regularise trains round 0 into its own mask, which round 1 keeps and "
                    + "fine-tunes: use --schedule oneshot (the default with --regularise) and --when trained");
        }
        if (structure != null && !Structure.parse(structure).name().equals(new Unstructured().name())) {
            throw new IllegalArgumentException("--regularise masks single weights; leave --structure out");
        }
        if (scaleL1 > 0 || han) {
            throw new IllegalArgumentException("--regularise decides the mask by itself; leave "
                    + (han ? "--scope han" : "--scale-l1") + " out");
        }
    }

    /** What a han run hands the schedule, whose step sizes the threshold scope does not read. */
    private static final double HAN_RATE = 0.5;
    private static final double HAN_SPARSITY = 0.5;

    private static void checkHan(boolean han, double quality, String score, String schedule, int scoreSteps) {
        if (!han) {
            if (quality != 0) {
                throw new IllegalArgumentException("--han-quality sets the threshold of --scope han; pass --scope han "
                        + "or leave it out");
            }
            return;
        }
        if (!(quality > 0) || Double.isInfinite(quality)) {
            throw new IllegalArgumentException("--scope han prunes below --han-quality standard deviations of each "
                    + "layer's weights; pass a positive quality (the paper's LeNets: about 0.7-1.0)");
        }
        if (!score.equals("magnitude")) {
            throw new IllegalArgumentException("--scope han thresholds weight magnitudes against their standard "
                    + "deviation; use --score magnitude");
        }
        if (schedule.equals("gradual") || scoreSteps != 1) {
            throw new IllegalArgumentException("--scope han prunes once per round by its threshold; use --schedule "
                    + "iterative (or oneshot) with one score step");
        }
    }

    private static void checkStructure(Structure st, String score, String schedule, double sparsity, int scoreSteps,
            String when, double scaleL1) {
        if (score.equals("bn-scale") && !(st instanceof ChannelStructure)) {
            throw new IllegalArgumentException("the score bn-scale ranks channels by their BatchNorm scale; pass "
                    + "--structure channels");
        }
        boolean untrained = schedule.equals("gradual") || when.equals("init");
        if (score.equals("bn-scale") && when.equals("init")) {
            throw new IllegalArgumentException("--score bn-scale --when init ranks scales that are all 1 at "
                    + "initialisation; score after training (--when trained)");
        }
        if (scaleL1 > 0 && untrained) {
            throw new IllegalArgumentException("--scale-l1 shapes the scales of the dense round that "
                    + (schedule.equals("gradual") ? "a gradual schedule" : "--when init") + " does not prune from; "
                    + "use --schedule oneshot or iterative with --when trained");
        }
        if (!(st instanceof Unstructured) && scoreSteps != 1) {
            throw new IllegalArgumentException("--structure " + st.name() + " prunes whole groups, and " + scoreSteps
                    + " score steps would each round to whole groups and miss the target; use --score-steps 1");
        }
        if (st.fixedDensity().isPresent()) {
            double density = st.fixedDensity().getAsDouble();
            if (!schedule.equals("oneshot") || Math.abs(sparsity - (1 - density)) > 1e-9) {
                throw new IllegalArgumentException("--structure " + st.name() + " fixes the sparsity at " + (1 - density)
                        + " and prunes once from the dense network: use --schedule oneshot --sparsity "
                        + (1 - density) + " (got schedule " + schedule
                        + (schedule.equals("oneshot") ? ", sparsity " + sparsity : "") + ")");
            }
        }
    }

    /** Unstructured settings, as before structures existed. */
    public PruningSettings(String score, String scope, double outputRateScale, String schedule, int rounds,
            double rate, double sparsity, long gradualStart, long gradualEnd, long gradualEvery, String reset,
            String when, int scoreSteps, int scoreBatches, int scoreBatchSize, List<String> controls) {
        this(score, scope, outputRateScale, schedule, rounds, rate, sparsity, gradualStart, gradualEnd, gradualEvery,
                reset, when, scoreSteps, scoreBatches, scoreBatchSize, controls, null, 0, null, 0, null, 0, null);
    }

    /** Settings with a structure and a slimming penalty, trained on plain cross-entropy. */
    public PruningSettings(String score, String scope, double outputRateScale, String schedule, int rounds,
            double rate, double sparsity, long gradualStart, long gradualEnd, long gradualEvery, String reset,
            String when, int scoreSteps, int scoreBatches, int scoreBatchSize, List<String> controls, String structure,
            double scaleL1) {
        this(score, scope, outputRateScale, schedule, rounds, rate, sparsity, gradualStart, gradualEnd, gradualEvery,
                reset, when, scoreSteps, scoreBatches, scoreBatchSize, controls, structure, scaleL1, null, 0, null, 0, null);
    }

    /** The granularity of every pruning step. */
    public Structure structureInstance() {
        return structure == null ? new Unstructured() : Structure.parse(structure);
    }

    public Scorer scorer() {
        return Scorers.named(score);
    }

    public Scope scopeInstance() {
        Scope inner = scope.equals(HAN) ? new org.prune4j.prune.HanThresholdScope(hanQuality)
                : Scopes.named(scope, outputRateScale, convRateScale == 0 ? 1 : convRateScale);
        return structure == null ? inner : new StructuredScope(structureInstance(), inner);
    }

    public Schedule scheduleInstance() {
        boolean decided = scope.equals(HAN) || regularise != null;
        return schedule(schedule, rounds, decided ? HAN_RATE : rate, decided ? HAN_SPARSITY : sparsity, gradualStart,
                gradualEnd, gradualEvery);
    }

    private static Schedule schedule(String schedule, int rounds, double rate, double sparsity, long gradualStart,
            long gradualEnd, long gradualEvery) {
        return switch (schedule) {
            case "oneshot" -> new Schedule.OneShot(sparsity);
            case "iterative" -> new Schedule.Iterative(rounds, rate);
            case "gradual" -> new Schedule.Gradual(sparsity, gradualStart, gradualEnd, gradualEvery);
            default -> throw new IllegalArgumentException("unknown schedule '" + schedule
                    + "'; choose oneshot, iterative or gradual");
        };
    }

    /** The reset after each pruning step; null for gradual schedules, which prune while training and reset nothing. */
    public Reset resetInstance() {
        return schedule.equals("gradual") ? null : Reset.named(reset);
    }

    /**
     * A one-line name for the main branch, e.g. "magnitude/layerwise/rewind",
     * "magnitude/global/gradual" or "magnitude/layerwise/block:4x4/finetune".
     */
    public String label() {
        if (regularise != null) {
            return regularise.label() + "/" + reset + variants();
        }
        return score + "/" + scope + "/" + (structure == null ? "" : structure + "/")
                + (schedule.equals("gradual") ? "gradual" : reset) + variants();
    }

    /**
     * What sets a run apart beyond score, scope, schedule and reset, for labels: ", scale L1
     * 1e-4", ", distilled (T 4.0, soft 0.9)", ", quality 1.0", ", retrain lr 1e-4 for 10000";
     * empty when none applies.
     */
    public String variants() {
        return (scaleL1 > 0 ? ", scale L1 " + scaleL1 : "")
                + (distill == null ? "" : ", distilled (T " + distill.temperature() + ", soft " + distill.weight() + ")")
                + (scope.equals(HAN) ? ", quality " + hanQuality : "")
                + (retrain == null ? "" : ", retrain lr " + retrain.learningRate() + " for " + retrain.iterations());
    }
}
