package org.prune4j.data;

import java.util.Arrays;
import org.prune4j.tensor.Tensor;

/**
 * Labelled images held as one float array, image after image, each {@code channels x height x
 * width}. Immutable by convention: nothing in the project writes into {@link #pixels()} after
 * construction.
 */
public record Dataset(String name, float[] pixels, int[] labels, int channels, int height, int width, int classes) {

    public Dataset {
        int features = channels * height * width;
        if (features <= 0) {
            throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width + " is empty");
        }
        if ((long) labels.length * features != pixels.length) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels but " + pixels.length
                    + " pixels; expected " + features + " pixels per image");
        }
        for (int i = 0; i < pixels.length; i++) {
            if (!Float.isFinite(pixels[i])) {
                throw new IllegalArgumentException(name + ": pixel " + i % features + " of example " + i / features
                        + " is " + pixels[i] + "; data must be finite");
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of example " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int features() {
        return channels * height * width;
    }

    /** The examples at {@code indices[from..to)} as an {@code n x C x H x W} tensor. */
    public Tensor images(int[] indices, int from, int to) {
        int f = features();
        float[] out = new float[(to - from) * f];
        for (int i = from; i < to; i++) {
            System.arraycopy(pixels, indices[i] * f, out, (i - from) * f, f);
        }
        return Tensor.wrap(out, to - from, channels, height, width);
    }

    public int[] labels(int[] indices, int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = labels[indices[i]];
        }
        return out;
    }

    /** A new data set holding the given examples, in that order. */
    public Dataset subset(String subsetName, int[] indices) {
        int f = features();
        float[] px = new float[indices.length * f];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * f, px, i * f, f);
        }
        return new Dataset(subsetName, px, labels(indices, 0, indices.length), channels, height, width, classes);
    }

    /** The first {@code n} examples (all of them when n exceeds the size). */
    public Dataset head(int n) {
        int[] idx = new int[Math.min(n, size())];
        Arrays.setAll(idx, i -> i);
        return n >= size() ? this : subset(name, idx);
    }
}
