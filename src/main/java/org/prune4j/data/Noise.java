package org.prune4j.data;

import java.util.Locale;
import org.prune4j.tensor.Rng;

/**
 * Test-time corruption of images at a level, for the noise-robustness comparison of Ahmad and
 * Scheinkman 2019 ("How can we be so dense?"). Levels are in units of the data's pixel range
 * ({@link PixelRange}: the training images' smallest and largest value, raw pixels 0 and 1 of
 * an MNIST-format file however the data were standardised):
 * <ul>
 * <li>{@link Kind#GAUSSIAN}: every pixel plus level x range x N(0, 1);
 * <li>{@link Kind#UNIFORM}: every pixel plus level x range x U(-1, 1);
 * <li>{@link Kind#PIXELS}: the paper's noise, floor(level x pixels) pixels of each image, chosen
 * at random, set to "white", the training mean plus two standard deviations (their MNIST code's
 * value); a level is then the fraction of pixels overwritten.
 * </ul>
 * The additive kinds are clipped to the range by default: the images stay images a sensor could
 * have produced, and on Fashion-MNIST's black backgrounds (most pixels are 0) unclipped
 * zero-mean noise would be half invisible darkening below black that no real image has.
 * Each example draws from its own stream of {@code seed} ({@link Rng#split} by its index), and
 * the same draws at every level scaled by the level (the same pixels, first ones first, for
 * {@code PIXELS}), so the levels corrupt one image progressively and two models at one seed
 * see identical inputs.
 */
public record Noise(Kind kind, double level, boolean clip) {

    public enum Kind {
        GAUSSIAN, UNIFORM, PIXELS;

        public static Kind named(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown noise '" + name + "'; choose gaussian, uniform or pixels");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The training images' value range and the paper's white value (mean + 2 std), in the units
     * the data set holds its pixels in.
     */
    public record PixelRange(float lo, float hi, float white) {
        public PixelRange {
            if (!(hi > lo) || !Float.isFinite(lo) || !Float.isFinite(hi) || !Float.isFinite(white)) {
                throw new IllegalArgumentException("a pixel range needs finite lo < hi, got " + lo + ".." + hi);
            }
        }

        public static PixelRange of(Dataset training) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            double sum = 0, sq = 0;
            for (float v : training.pixels()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                sum += v;
                sq += (double) v * v;
            }
            int n = training.pixels().length;
            double mean = sum / n, std = Math.sqrt(Math.max(0, sq / n - mean * mean));
            if (!(hi > lo)) {
                throw new IllegalArgumentException(training.name() + ": every pixel is " + lo + ", so there is no "
                        + "range to scale noise to");
            }
            return new PixelRange(lo, hi, (float) (mean + 2 * std));
        }
    }

    public Noise {
        java.util.Objects.requireNonNull(kind, "kind");
        if (!(level >= 0) || !Double.isFinite(level) || (kind == Kind.PIXELS && level > 1)) {
            throw new IllegalArgumentException(kind.label() + " noise level must be " + (kind == Kind.PIXELS
                    ? "a fraction of the pixels in [0, 1]" : "finite and at least 0 (a fraction of the pixel range)")
                    + ", got " + level);
        }
    }

    /** A corrupted copy of {@code clean}; level 0 returns it unchanged. */
    public Dataset apply(Dataset clean, PixelRange range, long seed) {
        if (level == 0) {
            return clean;
        }
        int f = clean.features();
        float[] src = clean.pixels(), px = src.clone();
        double scale = level * (range.hi() - range.lo());
        int[] order = kind == Kind.PIXELS ? new int[f] : null;
        int overwrite = (int) Math.floor(level * f);
        Rng root = new Rng(seed);
        for (int e = 0; e < clean.size(); e++) {
            Rng rng = root.split(e);
            int off = e * f;
            if (kind == Kind.PIXELS) {
                java.util.Arrays.setAll(order, i -> i);
                rng.shuffle(order);
                for (int j = 0; j < overwrite; j++) {
                    px[off + order[j]] = range.white();
                }
                continue;
            }
            for (int i = 0; i < f; i++) {
                double z = kind == Kind.GAUSSIAN ? rng.nextGaussian() : 2 * rng.nextFloat() - 1;
                double v = src[off + i] + scale * z;
                px[off + i] = (float) (clip ? Math.min(range.hi(), Math.max(range.lo(), v)) : v);
            }
        }
        return new Dataset(clean.name() + " + " + this, px, clean.labels(), clean.channels(), clean.height(),
                clean.width(), clean.classes());
    }

    @Override
    public String toString() {
        return kind.label() + " noise " + level + (kind == Kind.PIXELS || clip ? "" : " unclipped");
    }
}
