package org.prune4j.wann;

import java.nio.file.Path;
import org.prune4j.data.Dataset;
import org.prune4j.data.ImageData;

/**
 * Image data as a {@link ClassificationTask} with fewer inputs: each image is shrunk by
 * averaging square blocks of pixels, e.g. 28x28 Fashion-MNIST to 14x14 (196 inputs) or 7x7, and
 * the training pixels' range is mapped onto [0, 1] (black 0, white 1; validation and test
 * pixels may fall slightly outside), as the WANN paper fed MNIST shrunk to 16x16. The [0, 1] scale matters here: with one shared weight, a standardised image's
 * negative background would add the same large constant to every node it feeds.
 */
public final class DownsampledImages {
    private DownsampledImages() {
    }

    public static ClassificationTask load(Path dir, int side, int validation, int batch, long seed) {
        ImageData data = ImageData.load(dir, validation, seed);
        String name = dir.getFileName() + "-" + side + "x" + side;
        ClassificationTask.Split train = shrink(data.train(), side);
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : train.x()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(hi > lo)) {
            throw new IllegalArgumentException(dir + ": every training pixel has the same value; nothing to classify");
        }
        return new ClassificationTask(name, unit(train, lo, hi), unit(shrink(data.validation(), side), lo, hi),
                unit(shrink(data.test(), side), lo, hi), data.train().classes(), batch);
    }

    /**
     * Maps the training pixels' range onto [0, 1]. {@link ImageData} standardised each channel by
     * an affine map, so this restores the raw pixels' scale (0 to 255 becomes 0 to 1 when the
     * training images hold both black and white).
     */
    static ClassificationTask.Split unit(ClassificationTask.Split s, float lo, float hi) {
        float[] x = s.x().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - lo) / (hi - lo);
        }
        return new ClassificationTask.Split(x, s.labels(), s.features());
    }

    /** Averages {@code height/side x width/side} blocks of every channel-summed image into {@code side x side}. */
    public static ClassificationTask.Split shrink(Dataset d, int side) {
        if (side < 1 || d.height() % side != 0 || d.width() % side != 0) {
            throw new IllegalArgumentException("--image-side " + side + " must divide the " + d.height() + "x"
                    + d.width() + " images (e.g. " + d.height() / 2 + " or " + d.height() / 4 + ")");
        }
        int bh = d.height() / side, bw = d.width() / side, per = d.features(), out = side * side;
        float scale = 1f / (bh * bw * d.channels());
        float[] x = new float[d.size() * out];
        for (int i = 0; i < d.size(); i++) {
            for (int c = 0; c < d.channels(); c++) {
                for (int r = 0; r < d.height(); r++) {
                    for (int col = 0; col < d.width(); col++) {
                        x[i * out + (r / bh) * side + col / bw] += d.pixels()[i * per + (c * d.height() + r) * d.width()
                                + col] * scale;
                    }
                }
            }
        }
        return new ClassificationTask.Split(x, d.labels().clone(), out);
    }
}
