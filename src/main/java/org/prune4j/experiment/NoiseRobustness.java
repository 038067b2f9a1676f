package org.prune4j.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.data.Dataset;
import org.prune4j.data.ImageData;
import org.prune4j.data.Noise;
import org.prune4j.guard.IoErrors;
import org.prune4j.nn.Model;
import org.prune4j.train.Evaluation;

/**
 * Test accuracy of trained networks under added noise at increasing levels: the comparison of
 * Ahmad and Scheinkman 2019 ("How can we be so dense?", Figure 5), where networks with sparse
 * weights and k-winners activations keep their accuracy under noise much longer than dense ones.
 * Every network sees the same corrupted images at a given level and seed ({@link Noise}).
 */
public final class NoiseRobustness {
    private NoiseRobustness() {
    }

    /** One network's accuracy at each level. */
    public record Curve(String label, String run, long seed, double density, double[] levels, double[] accuracy) {
    }

    /**
     * Test accuracy of {@code model} on {@code test} corrupted at each level; the range the noise
     * scales to comes from {@code training}.
     */
    public static double[] accuracies(Model model, Dataset training, Dataset test, Noise.Kind kind, double[] levels,
            boolean clip, long seed, Backend backend) {
        Noise.PixelRange range = Noise.PixelRange.of(training);
        double[] acc = new double[levels.length];
        for (int i = 0; i < levels.length; i++) {
            Dataset noisy = new Noise(kind, levels[i], clip).apply(test, range, seed);
            acc[i] = Evaluation.of(model, noisy, backend).accuracy();
        }
        return acc;
    }

    /** A network a run trained: its settings, the round it comes from, and that round's checkpoint. */
    public record TrainedRun(Path dir, ExperimentSettings settings, int round, RoundResult result) {

        /**
         * Reads {@code dir}'s settings and the main branch of {@code round} (negative: the last
         * round that has a result and a checkpoint).
         */
        public static TrainedRun read(Path dir, int round) {
            Path settingsFile = dir.resolve(RunDirectory.SETTINGS);
            if (!Files.isRegularFile(settingsFile)) {
                throw new IllegalArgumentException(dir + " is not a run folder (no " + RunDirectory.SETTINGS
                        + "); pass folders that train, prune or lottery wrote, such as runs/train-kwta-mlp-<hash>");
            }
            ExperimentSettings s;
            try {
                s = Json.PRETTY.readValue(settingsFile.toFile(), ExperimentSettings.class);
            } catch (IOException e) {
                throw new IllegalStateException(settingsFile + " cannot be read (" + IoErrors.reason(e) + ")", e);
            }
            int r = round;
            if (r < 0) {
                r = -1;
                for (int i = 0; i <= s.lastRound(); i++) {
                    if (Files.isRegularFile(dir.resolve(ExperimentRun.ckpt(i)))
                            && Files.isRegularFile(dir.resolve(String.format("round-%02d/main.json", i)))) {
                        r = i;
                    }
                }
                if (r < 0) {
                    throw new IllegalArgumentException(dir + " has no finished round yet; let its run finish (or "
                            + "--resume it) first");
                }
            }
            Path json = dir.resolve(String.format("round-%02d/main.json", r));
            if (!Files.isRegularFile(json) || !Files.isRegularFile(dir.resolve(ExperimentRun.ckpt(r)))) {
                throw new IllegalArgumentException(dir + " has no result and checkpoint for round " + r + " (it runs"
                        + " rounds 0.." + s.lastRound() + "); choose a finished round");
            }
            try {
                return new TrainedRun(dir, s, r, Json.PRETTY.readValue(json.toFile(), RoundResult.class));
            } catch (IOException e) {
                throw new IllegalStateException(json + " cannot be read (" + IoErrors.reason(e) + ")", e);
            }
        }

        /** The model as the round left it, masks and buffers included. */
        public Model model(ImageData data) {
            Model m = settings.newModel(data, 1);
            m.load(Checkpoints.read(dir.resolve(ExperimentRun.ckpt(round))));
            return m;
        }

        /**
         * What tells this network apart from the others of a comparison, the same for every seed
         * of it: the model, and for a pruned round its method.
         */
        public String label() {
            if (round == 0 || settings.pruning() == null) {
                return settings.model();
            }
            return String.format(java.util.Locale.ROOT, "%s, %s pruning to %.1f%%", settings.model(),
                    settings.pruning().score(), 100 * result.density());
        }
    }

    /**
     * Measures each run's network on its own data (the test set standardised as it was for
     * training), at the same levels and noise seed.
     */
    public static List<Curve> measure(List<TrainedRun> runs, Noise.Kind kind, double[] levels, boolean clip,
            long seed, Backend backend, java.util.function.Consumer<String> log) {
        List<Curve> out = new ArrayList<>();
        for (TrainedRun r : runs) {
            ImageData data = r.settings().loadData();
            Model m = r.model(data);
            double[] acc = accuracies(m, data.train(), data.test(), kind, levels, clip, seed, backend);
            out.add(new Curve(r.label(), r.dir().getFileName().toString(), r.settings().seed(), m.density(),
                    levels.clone(), acc));
            log.accept(String.format(java.util.Locale.ROOT, "%s (%s, seed %d): %s", r.label(), r.dir().getFileName(),
                    r.settings().seed(), java.util.Arrays.toString(acc)));
        }
        return out;
    }
}
