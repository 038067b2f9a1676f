package org.prune4j.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.prune4j.data.ImageData;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Optimizer;
import org.prune4j.train.TrainConfig;

/**
 * Everything that determines an experiment's result. Its hash names the run directory, so the
 * same settings resume the same run and different settings never mix. The backend and kernel
 * choice are left out on purpose: they change speed, not the experiment.
 */
public record ExperimentSettings(String kind, String model, String data, int validation, int trainLimit,
        int testLimit, String optimizer, double learningRate, double momentum, double weightDecay, String lrSchedule,
        int batch, long iterations, int evalEvery, long seed, PruningSettings pruning) {

    public ExperimentSettings {
        if (!(kind.equals("train") || kind.equals("prune") || kind.equals("lottery"))) {
            throw new IllegalArgumentException("unknown experiment kind " + kind);
        }
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("subset sizes must be >= 0 (0 means all)");
        }
        // Accessors return null inside a compact constructor, so validate the parameters directly.
        Optimizer.named(optimizer, momentum, weightDecay);
        schedule(lrSchedule, learningRate, iterations);
        new TrainConfig(iterations, batch, evalEvery, seed);
        if (!kind.equals("train") && pruning == null) {
            throw new IllegalArgumentException(kind + " needs pruning settings");
        }
    }

    public Optimizer optimiser() {
        return Optimizer.named(optimizer, momentum, weightDecay);
    }

    public LearningRate learningRateSchedule() {
        return schedule(lrSchedule, learningRate, iterations);
    }

    private static LearningRate schedule(String lrSchedule, double learningRate, long iterations) {
        String[] p = lrSchedule.split(":");
        return switch (p[0]) {
            case "constant" -> LearningRate.constant(learningRate);
            case "cosine" -> LearningRate.cosine(learningRate, p.length > 1 ? Long.parseLong(p[1]) : 0,
                    Math.max(iterations, 1));
            case "steps" -> {
                if (p.length != 3) {
                    throw new IllegalArgumentException("step schedule is steps:GAMMA:M1,M2,..., got " + lrSchedule);
                }
                String[] ms = p[2].split(",");
                long[] m = new long[ms.length];
                for (int i = 0; i < ms.length; i++) {
                    m[i] = Long.parseLong(ms[i].trim());
                }
                yield LearningRate.steps(learningRate, Double.parseDouble(p[1]), m);
            }
            default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + lrSchedule
                    + "'; use constant, cosine[:WARMUP] or steps:GAMMA:M1,M2");
        };
    }

    public TrainConfig trainConfig() {
        return new TrainConfig(iterations, batch, evalEvery, seed);
    }

    public ImageData loadData() {
        ImageData d = ImageData.load(Path.of(data), validation, seed);
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
        try {
            byte[] json = canonicalJson().getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same settings with a different number of pruning rounds. */
    public ExperimentSettings withRounds(int rounds) {
        PruningSettings p = pruning;
        return p == null ? this : new ExperimentSettings(kind, model, data, validation, trainLimit, testLimit, optimizer,
                learningRate, momentum, weightDecay, lrSchedule, batch, iterations, evalEvery, seed,
                new PruningSettings(p.score(), p.scope(), p.outputRateScale(), p.schedule(), rounds, p.rate(),
                        p.sparsity(), p.gradualStart(), p.gradualEnd(), p.gradualEvery(), p.reset(), p.when(),
                        p.scoreSteps(), p.scoreBatches(), p.scoreBatchSize(), p.controls()));
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
