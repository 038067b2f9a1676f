package org.prune4j.cli;

import java.util.List;
import org.prune4j.experiment.PruningSettings;
import org.prune4j.prune.Structure;
import picocli.CommandLine.Option;

/** The score x scope x schedule x reset options of {@code prune} (and {@code lottery}'s overrides). */
final class PruningOptions {
    @Option(names = "--score", description = "magnitude (Han et al. 2015; Frankle & Carbin 2019), random, obd "
            + "(Optimal Brain Damage, LeCun et al. 1990, with Hutchinson's estimate of the Hessian diagonal), obd-lecun "
            + "(OBD as LeCun et al. computed it: a backward pass of diagonal second derivatives), snip (Lee et al. "
            + "2019), grasp (Wang et al. 2020, at their softmax temperature 200), synflow (Tanaka et al. 2020) or "
            + "bn-scale (network slimming, Liu et al. 2017: channels by their BatchNorm scale).")
    String score;

    @Option(names = "--scope", description = "layerwise, global, erk, or han: Han et al. 2015's per-layer threshold "
            + "of --han-quality standard deviations of the layer's weights (the threshold, not --rate, sets how much "
            + "each round prunes).")
    String scope;

    @Option(names = "--han-quality", description = "With --scope han: prune weights below this many standard "
            + "deviations of their layer's live weights, each round.")
    Double hanQuality;

    @Option(names = "--retrain-lr", description = "Rounds after the dense round 0 train at this learning rate (same "
            + "schedule shape), as Han et al. retrain lower; default: round 0's.")
    Double retrainLr;

    @Option(names = "--retrain-iterations", description = "With --retrain-lr: iterations of each later round "
            + "(default: --iterations).")
    Long retrainIterations;

    @Option(names = "--structure", description = "What is pruned together: unstructured (default), block:RxC (R, C "
            + "in 1, 2, 4, 8, 16, 32), nm:N:M (N of every M inputs, M <= 8; one-shot at sparsity 1-N/M) or channels "
            + "(neurons and filters; the output layer keeps its classes). Composes with every score and scope.")
    String structure;

    @Option(names = "--scale-l1", description = "Network slimming (Liu et al. 2017): L1 penalty "
            + "on the BatchNorm scales while the dense round 0 trains (the paper: 1e-4; 0: none); rank channels by "
            + "them with --score bn-scale --structure channels. Needs a model with BatchNorm (mlp-bn).")
    Double scaleL1;

    @Option(names = "--distill", description = "Knowledge distillation (Hinton et al. 2015) at this softmax "
            + "temperature: every round after the dense round 0 trains as a student of round 0's trained network "
            + "(Hinton et al. use 1-20; try 4).")
    Double distill;

    @Option(names = "--distill-weight", description = "With --distill: the share of the soft (teacher) loss; the rest "
            + "is cross-entropy with the labels (default 0.9).")
    Double distillWeight;

    @Option(names = "--regularise", description = "Train round 0 with a regularisation route to sparsity that ends "
            + "in its own mask, which round 1 keeps and fine-tunes (one-shot; the mask, not --sparsity, sets how much "
            + "goes): targeted-dropout (Gomez et al. 2019, \"Learning Sparse Networks Using Targeted Dropout\"; "
            + "--td-gamma, --td-alpha) or variational-dropout (sparse variational dropout, Molchanov et al. 2017, "
            + "\"Variational Dropout Sparsifies Deep Neural Networks\": a log sigma^2 per weight, local "
            + "reparameterisation, their KL approximation; weights with log alpha > 3 are pruned) or l0 (L0 "
            + "regularisation with hard-concrete gates, Louizos et al. 2018, \"Learning Sparse Neural Networks "
            + "through L0 Regularization\": a gate per weight, --l0-lambda; gates zero at test time are pruned).")
    String regularise;

    @Option(names = "--l0-lambda", description = "With --regularise l0 (Louizos et al. 2018): the penalty per "
            + "expected non-zero gate, divided by the training-set size (their LeNet-300-100: 0.1; default 0.1).")
    Double l0Lambda;

    @Option(names = "--td-gamma", converter = Fraction.class, description = "With --regularise targeted-dropout "
            + "(Gomez et al. 2019): the fraction of each unit's weights, smallest magnitude first, targeted for "
            + "dropout; round 0 ends with them pruned, so it is the sparsity reached.")
    Double tdGamma;

    @Option(names = "--td-alpha", converter = Fraction.class, description = "With --regularise targeted-dropout "
            + "(Gomez et al. 2019): the probability that a targeted weight is dropped in a step (default 0.5).")
    Double tdAlpha;

    @Option(names = "--output-rate-scale", description = "Layerwise: the output layer prunes this fraction of the "
            + "others' rate (the LTH paper: 0.5). Global: 0 leaves the output layer dense, out of the ranking "
            + "(OpenLTH's CIFAR ResNets), any other value ranks it with the rest.")
    Double outputRateScale;

    @Option(names = "--conv-rate-scale", description = "Layerwise: convolutions prune this fraction of the fully "
            + "connected layers' rate (Frankle & Carbin 2019: 0.5 for Conv-2 and Conv-4, 0.75 for Conv-6) (default 1, "
            + "or the preset's).")
    Double convRateScale;

    @Option(names = "--schedule", description = "oneshot, iterative or gradual.")
    String schedule;

    @Option(names = "--rounds", description = "Iterative: number of pruning rounds.")
    Integer rounds;

    @Option(names = "--rate", converter = Fraction.class, description = "Iterative: fraction of live weights pruned per round.")
    Double rate;

    @Option(names = "--sparsity", converter = Fraction.class, description = "One-shot and gradual: target sparsity.")
    Double sparsity;

    @Option(names = "--gradual", split = ",", description = "Gradual: START,END,EVERY iterations (default 10%%,60%% of "
            + "training, every 100).")
    List<Long> gradual;

    @Option(names = "--reset", description = "rewind, rewind:K, finetune, reinit or signed-constant.")
    String reset;

    @Option(names = "--when", description = "Score after training ('trained') or at initialisation ('init').")
    String when;

    @Option(names = "--score-steps", description = "Sub-steps per pruning event (SynFlow: 100).")
    Integer scoreSteps;

    @Option(names = "--score-batches", defaultValue = "8", description = "Batches averaged by data-driven scores.")
    int scoreBatches;

    @Option(names = "--score-batch-size", defaultValue = "100")
    int scoreBatchSize;

    @Option(names = "--controls", split = ",", description = "Control branches at each sparsity: reinit, random, "
            + "supermask.")
    List<String> controls;

    PruningSettings settings(String defScore, String defWhen, Preset preset, long iterations, List<String> defControls) {
        PruningSettings.Regularise reg = regularisation();
        if (reg != null) {
            rejectWithRegulariser();
            if (schedule == null) {
                schedule = "oneshot";
            }
        }
        String sc = ExperimentCommands.or(score, defScore);
        // N:M fixes its own sparsity and prunes once, so those are its defaults
        Structure st = structure == null ? null : Structure.parse(structure);
        java.util.OptionalDouble fixed = st == null ? java.util.OptionalDouble.empty() : st.fixedDensity();
        if (st != null) {
            rejectUnused(st);
        }
        String sched = ExperimentCommands.or(schedule, fixed.isPresent() ? "oneshot" : "iterative");
        if (PruningSettings.HAN.equals(scope) && (rate != null || sparsity != null)) {
            throw new IllegalArgumentException("--scope han prunes what falls below --han-quality standard deviations "
                    + "each round, so " + (rate != null ? "--rate" : "--sparsity") + " would be ignored; leave it out "
                    + "and set --rounds and --han-quality");
        }
        rejectIgnored(sched, preset);
        List<Long> g = gradual != null ? gradual : List.of(iterations / 10, iterations * 6 / 10, 100L);
        if (g.size() != 3) {
            throw new IllegalArgumentException("--gradual takes START,END,EVERY, got " + g);
        }
        String w = ExperimentCommands.or(when, defWhen != null ? defWhen
                : List.of("snip", "grasp", "synflow").contains(sc) ? "init" : "trained");
        // SynFlow prunes in 100 sub-steps, but a structure rounds each to whole groups: one step there
        boolean grouped = st != null && !(st instanceof org.prune4j.prune.Unstructured);
        int steps = ExperimentCommands.or(scoreSteps, sc.equals("synflow") && !grouped ? 100 : 1);
        String sco = ExperimentCommands.or(scope, preset.scope());
        // a preset's convolution rate belongs to its layerwise scope; another scope chosen here drops it
        if (convRateScale != null && !(convRateScale > 0 && convRateScale <= 1)) {
            throw new IllegalArgumentException("--conv-rate-scale must be in (0, 1], got " + convRateScale
                    + "; to leave convolutions nearly dense give a small fraction such as 0.01");
        }
        double conv = convRateScale != null ? convRateScale : sco.equals("layerwise") ? preset.convRateScale() : 1;
        return new PruningSettings(sc, sco,
                ExperimentCommands.or(outputRateScale, preset.outputRateScale()), sched,
                ExperimentCommands.or(rounds, preset.rounds()), ExperimentCommands.or(rate, preset.rate()),
                ExperimentCommands.or(sparsity, fixed.isPresent() ? 1 - fixed.getAsDouble() : 0.9), g.get(0), g.get(1), g.get(2),
                ExperimentCommands.or(reset, preset.reset()), w, steps, scoreBatches, scoreBatchSize,
                ExperimentCommands.or(controls, defControls), structure, ExperimentCommands.or(scaleL1, 0.0),
                distillation(), ExperimentCommands.or(hanQuality, 0.0), retraining(iterations),
                conv, reg);
    }

    private PruningSettings.Regularise regularisation() {
        if (regularise == null) {
            String stray = tdGamma != null ? "--td-gamma" : tdAlpha != null ? "--td-alpha"
                    : l0Lambda != null ? "--l0-lambda" : null;
            if (stray != null) {
                throw new IllegalArgumentException(stray + " only applies with --regularise; add --regularise "
                        + (stray.startsWith("--td") ? "targeted-dropout" : "l0") + " or leave it out");
            }
            return null;
        }
        boolean td = regularise.equals(org.prune4j.prune.Regularisers.TARGETED_DROPOUT);
        if (!td && (tdGamma != null || tdAlpha != null)) {
            throw new IllegalArgumentException((tdGamma != null ? "--td-gamma" : "--td-alpha") + " applies to "
                    + "--regularise targeted-dropout, not " + regularise + "; leave it out");
        }
        if (td && tdGamma == null) {
            throw new IllegalArgumentException("--regularise targeted-dropout needs --td-gamma, the fraction of each "
                    + "unit's weights to target (and prune at the end), e.g. --td-gamma 0.9");
        }
        boolean l0 = regularise.equals(org.prune4j.prune.Regularisers.L0);
        if (!l0 && l0Lambda != null) {
            throw new IllegalArgumentException("--l0-lambda applies to --regularise l0, not " + regularise
                    + "; leave it out");
        }
        return new PruningSettings.Regularise(regularise, td ? tdGamma : 0, td ? ExperimentCommands.or(tdAlpha, 0.5) : 0,
                l0 ? ExperimentCommands.or(l0Lambda, 0.1) : 0);
    }

    /** What the regulariser's own mask replaces: a run must be what its command line says. */
    private void rejectWithRegulariser() {
        String[][] given = {{score != null ? "--score" : null, "it scores nothing"},
            {scope != null ? "--scope" : null, "it allocates nothing"},
            {sparsity != null ? "--sparsity" : null, "its mask sets the sparsity"},
            {rate != null ? "--rate" : null, "its mask sets the sparsity"},
            {rounds != null ? "--rounds" : null, "it prunes once, at the end of round 0"},
            {when != null ? "--when" : null, "it prunes at the end of its training"},
            {scoreSteps != null ? "--score-steps" : null, "it scores nothing"},
            {outputRateScale != null ? "--output-rate-scale" : null, "its mask sets every layer's sparsity"},
            {convRateScale != null ? "--conv-rate-scale" : null, "its mask sets every layer's sparsity"},
            {gradual != null ? "--gradual" : null, "it prunes once, at the end of round 0"},
            {structure != null ? "--structure" : null, "it masks single weights"},
            {hanQuality != null ? "--han-quality" : null, "its mask sets the sparsity"},
            {scaleL1 != null ? "--scale-l1" : null, "round 0 trains under the regulariser alone"}};
        for (String[] g : given) {
            if (g[0] != null) {
                throw new IllegalArgumentException(g[0] + " does not apply with --regularise " + regularise + ": "
                        + g[1] + "; leave " + g[0] + " out");
            }
        }
    }

    private PruningSettings.Retrain retraining(long iterations) {
        if (retrainLr == null) {
            if (retrainIterations != null) {
                throw new IllegalArgumentException("--retrain-iterations only applies with --retrain-lr");
            }
            return null;
        }
        return new PruningSettings.Retrain(retrainLr, ExperimentCommands.or(retrainIterations, iterations));
    }

    private PruningSettings.Distill distillation() {
        if (distill == null) {
            if (distillWeight != null) {
                throw new IllegalArgumentException("--distill-weight only applies with --distill TEMPERATURE");
            }
            return null;
        }
        return new PruningSettings.Distill(distill, ExperimentCommands.or(distillWeight, 0.9));
    }

    /**
     * Options the schedule would ignore are errors, not silent no-ops: a run must be what its
     * command line says. The message says what the schedule does use.
     */
    private void rejectIgnored(String sched, Preset preset) {
        switch (sched) {
            case "iterative" -> {
                if (sparsity != null) {
                    int r = ExperimentCommands.or(rounds, preset.rounds());
                    double perRound = 1 - Math.pow(1 - sparsity, 1.0 / Math.max(1, r));
                    throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "--sparsity applies to "
                            + "--schedule oneshot or gradual; the iterative schedule (the default) prunes --rate of "
                            + "what is left in each of --rounds rounds. To reach %.3g sparsity in %d rounds pass --rate "
                            + "%.4f, or pass --schedule oneshot", sparsity, r, perRound));
                }
                reject(gradual != null, "--gradual", "iterative", "--rounds and --rate");
            }
            case "oneshot" -> {
                reject(rounds != null, "--rounds", "oneshot", "--sparsity");
                reject(rate != null, "--rate", "oneshot", "--sparsity");
                reject(gradual != null, "--gradual", "oneshot", "--sparsity");
            }
            case "gradual" -> {
                reject(rounds != null, "--rounds", "gradual", "--sparsity and --gradual");
                reject(rate != null, "--rate", "gradual", "--sparsity and --gradual");
                reject(reset != null, "--reset", "gradual (it prunes while training once from the initial weights,"
                        + " so nothing is reset)", "--sparsity and --gradual");
                reject(when != null, "--when", "gradual (it scores during training)", "--sparsity and --gradual");
                reject(scoreSteps != null, "--score-steps", "gradual", "--sparsity and --gradual");
            }
            default -> {
                // PruningSettings names the valid schedules
            }
        }
    }

    /** Options a structure would ignore: N:M allocates nothing, channels never prune the output layer. */
    private void rejectUnused(Structure st) {
        if (st instanceof org.prune4j.prune.NmStructure && scope != null) {
            throw new IllegalArgumentException("--scope does not apply to --structure " + st.name() + ", which keeps "
                    + "N of every M weights in every layer; leave --scope out");
        }
        if ((st instanceof org.prune4j.prune.NmStructure || st instanceof org.prune4j.prune.ChannelStructure)
                && outputRateScale != null) {
            throw new IllegalArgumentException("--output-rate-scale does not apply to --structure " + st.name()
                    + (st instanceof org.prune4j.prune.ChannelStructure ? ", which never prunes the output layer's "
                            + "classes" : ", which prunes every layer alike") + "; leave it out");
        }
    }

    private static void reject(boolean given, String option, String schedule, String uses) {
        if (given) {
            throw new IllegalArgumentException(option + " does not apply to --schedule " + schedule + ", which uses "
                    + uses + "; leave " + option + " out or choose the schedule it belongs to");
        }
    }
}
