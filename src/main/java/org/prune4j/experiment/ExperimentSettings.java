package org.prune4j.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.prune4j.data.Augmentation;
import org.prune4j.data.ImageData;
import org.prune4j.dynamic.SparseTrainingSettings;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Optimizer;
import org.prune4j.tensor.Rng;
import org.prune4j.train.TrainConfig;

/**
 * Everything that determines an experiment's result. Its hash names the run directory, so the
 * same settings resume the same run and different settings never mix. The backend and kernel
 * choice are left out on purpose: they change speed, not the experiment.
 */
public record ExperimentSettings(String kind, String model, String data, int validation, int trainLimit,
        int testLimit, String optimizer, double learningRate, double momentum, double weightDecay, String lrSchedule,
        int batch, long iterations, int evalEvery, long seed, PruningSettings pruning,
        @JsonInclude(JsonInclude.Include.NON_NULL) SparseTrainingSettings sparseTraining,
        @JsonInclude(JsonInclude.Include.NON_NULL) String augment) {

    /** Experiments that prune (or only train) a dense network. */
    public static final List<String> PRUNING_KINDS = List.of("train", "prune", "lottery");

    public ExperimentSettings {
        data = normalisedDataPath(data);
        // "none" and no augmentation at all are one experiment, with the hash runs had before the option existed
        if (augment != null) {
            Augmentation.none(new float[0]).named(augment);
            augment = augment.equals("none") ? null : augment;
        }
        boolean sparseKind = SparseTrainingSettings.METHODS.contains(kind);
        if (!(PRUNING_KINDS.contains(kind) || sparseKind)) {
            throw new IllegalArgumentException("unknown experiment kind " + kind);
        }
        if (sparseKind != (sparseTraining != null) || (sparseKind && !sparseTraining.method().equals(kind))) {
            throw new IllegalArgumentException("a " + kind + " experiment needs " + (sparseKind ? kind + " method "
                    + "settings" : "no sparse-training settings"));
        }
        if (sparseKind && sparseTraining.updateEvery() > 0) {
            // an explicit interval is checked against the run's length now; once per epoch waits for the data
            sparseTraining.schedule(iterations, batch, 1);
        }
        if (sparseKind && pruning != null) {
            throw new IllegalArgumentException(kind + " trains sparse from the start; it takes no pruning settings");
        }
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("subset sizes must be >= 0 (0 means all)");
        }
        // Accessors return null inside a compact constructor, so validate the parameters directly.
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--weight-decay must be finite and >= 0, got " + weightDecay);
        }
        Optimizer.named(optimizer, momentum, weightDecay);
        schedule(lrSchedule, learningRate, iterations);
        new TrainConfig(iterations, batch, evalEvery, seed);
        if (pruning != null && "channels".equals(pruning.structure()) && model.startsWith("resnet")) {
            throw new IllegalArgumentException("--structure channels removes whole channels, but a residual block "
                    + "adds its shortcut to its output channel by channel, so " + model + "'s channels cannot be "
                    + "removed one layer at a time; prune it unstructured, in blocks (block:RxC) or 2:4 (nm:2:4)");
        }
        if (!kind.equals("train") && !sparseKind && pruning == null) {
            throw new IllegalArgumentException(kind + " needs pruning settings");
        }
    }

    public Optimizer optimiser() {
        return Optimizer.named(optimizer, momentum, weightDecay);
    }

    public LearningRate learningRateSchedule() {
        return schedule(lrSchedule, learningRate, iterations);
    }

    /** The training of round {@code r}: round 0's settings, or the pruning settings' retraining for later rounds. */
    public TrainConfig roundConfig(int r) {
        PruningSettings.Retrain rt = pruning == null || r == 0 ? null : pruning.retrain();
        return rt == null ? trainConfig() : new TrainConfig(rt.iterations(), batch, evalEvery, seed);
    }

    /** The learning-rate schedule of round {@code r}: the same shape at the retraining rate after round 0. */
    public LearningRate roundLearningRate(int r) {
        PruningSettings.Retrain rt = pruning == null || r == 0 ? null : pruning.retrain();
        return rt == null ? learningRateSchedule() : schedule(lrSchedule, rt.learningRate(), rt.iterations());
    }

    private static LearningRate schedule(String lrSchedule, double learningRate, long iterations) {
        String[] p = lrSchedule.split(":", -1);
        return switch (p[0]) {
            case "constant" -> {
                if (p.length != 1) {
                    throw new IllegalArgumentException("the constant schedule takes no parameters, got '" + lrSchedule
                            + "'");
                }
                yield LearningRate.constant(learningRate);
            }
            case "cosine" -> {
                if (p.length > 2) {
                    throw new IllegalArgumentException("cosine schedule is cosine[:WARMUP], got '" + lrSchedule + "'");
                }
                yield LearningRate.cosine(learningRate, p.length > 1 ? parseLong(p[1], "cosine warm-up", lrSchedule)
                        : 0, Math.max(iterations, 1));
            }
            case "steps" -> {
                if (p.length != 3) {
                    throw new IllegalArgumentException("step schedule is steps:GAMMA:M1,M2,..., got " + lrSchedule);
                }
                String[] ms = p[2].split(",");
                long[] m = new long[ms.length];
                for (int i = 0; i < ms.length; i++) {
                    m[i] = parseLong(ms[i].trim(), "milestone", lrSchedule);
                }
                double gamma;
                try {
                    gamma = Double.parseDouble(p[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("step schedule '" + lrSchedule + "': gamma '" + p[1]
                            + "' is not a number");
                }
                yield LearningRate.steps(learningRate, gamma, m);
            }
            default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + lrSchedule
                    + "'; use constant, cosine[:WARMUP] or steps:GAMMA:M1,M2");
        };
    }

    private static long parseLong(String s, String what, String schedule) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("learning-rate schedule '" + schedule + "': " + what + " '" + s
                    + "' is not a whole number of iterations");
        }
    }

    /**
     * The data folder as an absolute, normalised path with symbolic links resolved, so
     * {@code data/small}, {@code data/small/}, {@code ./data/small} and {@code /abs/data/small}
     * name one run, not four. A folder that does not exist yet is only made absolute.
     */
    static String normalisedDataPath(String data) {
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("--data needs a folder");
        }
        Path p;
        try {
            p = Path.of(data).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("--data '" + data + "' is not a valid path: " + e.getReason());
        }
        try {
            return p.toRealPath().toString();
        } catch (java.io.IOException e) {
            return p.toString();
        }
    }

    /** The last round: the pruning rounds, a SupSup run's last task, else 0. */
    public int lastRound() {
        if (sparseTraining != null && sparseTraining.method().equals("supsup")) {
            return sparseTraining.tasks() - 1;
        }
        return pruning == null ? 0 : pruning.scheduleInstance().rounds();
    }

    /**
     * This experiment's network for {@code data}, initialised from random stream
     * {@code stream} of its seed; stream 1 is the initialisation every run of these settings
     * starts from, other streams are independent draws.
     */
    public Model newModel(ImageData data, int stream) {
        return Models.create(model, data.train().channels(), data.train().height(), data.train().width(),
                data.train().classes(), new Rng(seed).split(stream));
    }

    public TrainConfig trainConfig() {
        return new TrainConfig(iterations, batch, evalEvery, seed);
    }

    public ImageData loadData() {
        ImageData d = ImageData.load(Path.of(data), validation, seed);
        if (augment != null) {
            d = d.withAugmentation(augment);
        }
        if (trainLimit > 0 || testLimit > 0) {
            d = d.head(trainLimit > 0 ? trainLimit : d.train().size(), d.validation().size(),
                    testLimit > 0 ? testLimit : d.test().size());
        }
        return d;
    }

    /**
     * The first 12 hex digits of the SHA-256 of the canonical JSON form, with the number of
     * rounds left out: round r of an iterative run does not depend on how many follow, so a
     * finished run can be extended with more rounds and {@code --resume}.
     */
    public String hash() {
        return Json.hash12(canonicalJson());
    }

    /**
     * Round 0 of this run as the plain dense training it is, when it is one: the pruning
     * settings act from round 1 on, except a BatchNorm-scale penalty and a sparsity regulariser,
     * which train round 0 differently; sparse training has no dense round at all. Two runs with
     * equal dense rounds train the same network in round 0 (see {@link DenseRoundDonor}).
     */
    public java.util.Optional<ExperimentSettings> denseRound() {
        if (sparseTraining != null || (pruning != null && (pruning.scaleL1() > 0 || pruning.regularise() != null))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new ExperimentSettings("train", model, data, validation, trainLimit, testLimit,
                optimizer, learningRate, momentum, weightDecay, lrSchedule, batch, iterations, evalEvery, seed, null,
                null, augment));
    }

    /** The same experiment with another seed: a replicate, in a run folder of its own. */
    public ExperimentSettings withSeed(long newSeed) {
        return new ExperimentSettings(kind, model, data, validation, trainLimit, testLimit, optimizer, learningRate,
                momentum, weightDecay, lrSchedule, batch, iterations, evalEvery, newSeed, pruning, sparseTraining, augment);
    }

    /** The same settings with a different number of pruning rounds. */
    public ExperimentSettings withRounds(int rounds) {
        PruningSettings p = pruning;
        return p == null ? this : new ExperimentSettings(kind, model, data, validation, trainLimit, testLimit, optimizer,
                learningRate, momentum, weightDecay, lrSchedule, batch, iterations, evalEvery, seed,
                new PruningSettings(p.score(), p.scope(), p.outputRateScale(), p.schedule(), rounds, p.rate(),
                        p.sparsity(), p.gradualStart(), p.gradualEnd(), p.gradualEvery(), p.reset(), p.when(),
                        p.scoreSteps(), p.scoreBatches(), p.scoreBatchSize(), p.controls(), p.structure(), p.scaleL1(),
                        p.distill(), p.hanQuality(), p.retrain(), p.convRateScale(), p.regularise()),
                sparseTraining, augment);
    }

    /** Directory name: kind, model, hash. */
    public String runName() {
        return kind + "-" + model + "-" + hash();
    }

    /** Canonical JSON of everything that identifies the run: all settings but the round count. */
    String canonicalJson() {
        try {
            return new String(Json.CANONICAL.writeValueAsBytes(withRounds(1)), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
