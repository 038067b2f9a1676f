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

    /** The first 12 hex digits of the SHA-256 of the canonical JSON form. */
    public String hash() {
        try {
            byte[] json = Json.CANONICAL.writeValueAsBytes(this);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 12);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Directory name: kind, model, hash. */
    public String runName() {
        return kind + "-" + model + "-" + hash();
    }

    String canonicalJson() {
        try {
            return new String(Json.CANONICAL.writeValueAsBytes(this), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
