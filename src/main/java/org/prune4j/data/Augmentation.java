package org.prune4j.data;

import java.util.Arrays;
import java.util.List;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Random changes to each training image, drawn afresh at every step: the standard CIFAR
 * augmentation of He et al. (2016) and the lottery-ticket papers, a random crop of the image
 * padded by {@code padding} pixels on every side (the padding black, as torchvision pads the
 * raw image before normalising) and a horizontal flip with probability one half. Applied on the
 * host to the batch before it is copied to the backend; validation and test images are never
 * augmented.
 */
public final class Augmentation {
    /** The names accepted by {@link #named}. */
    public static final List<String> NAMES = List.of("none", "crop-flip");

    private final int padding;
    private final boolean flip;
    private final float[] black;

    private Augmentation(int padding, boolean flip, float[] black) {
        if (padding < 0) {
            throw new IllegalArgumentException("augmentation padding must be >= 0, got " + padding);
        }
        this.padding = padding;
        this.flip = flip;
        this.black = black.clone();
    }

    /** No change; {@code black} is each channel's value of a black pixel after standardisation. */
    public static Augmentation none(float[] black) {
        return new Augmentation(0, false, black);
    }

    /** This data's augmentation of the given name, with the same black level. */
    public Augmentation named(String name) {
        return switch (name) {
            case "none" -> new Augmentation(0, false, black);
            case "crop-flip" -> new Augmentation(4, true, black);
            default -> throw new IllegalArgumentException("unknown augmentation '" + name + "'; use one of " + NAMES
                    + " (crop-flip: random 32x32 crops of the image padded by 4 pixels, and horizontal flips)");
        };
    }

    public boolean isNone() {
        return padding == 0 && !flip;
    }

    public int padding() {
        return padding;
    }

    public boolean flips() {
        return flip;
    }

    /** Changes each image of the host batch {@code images} (n x C x H x W) in place, drawing from {@code rng}. */
    public void apply(Tensor images, Rng rng) {
        if (isNone()) {
            return;
        }
        int[] s = images.shape();
        int n = s[0], c = s[1], h = s[2], w = s[3];
        if (black.length != c) {
            throw new IllegalArgumentException("augmentation made for " + black.length + "-channel images, given "
                    + images.shapeString());
        }
        float[] d = images.data();
        float[] plane = new float[h * w];
        for (int img = 0; img < n; img++) {
            int dy = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
            int dx = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
            boolean mirror = flip && rng.nextBoolean(0.5);
            for (int ch = 0; ch < c; ch++) {
                int base = (img * c + ch) * h * w;
                System.arraycopy(d, base, plane, 0, h * w);
                // output pixel (y, x) shows padded-image pixel (y + padding + dy, x + padding + dx), mirrored after
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    for (int x = 0; x < w; x++) {
                        int sx = (mirror ? w - 1 - x : x) + dx;
                        d[base + y * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? plane[sy * w + sx] : black[ch];
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return isNone() ? "none" : "crop (padding " + padding + ")" + (flip ? " and horizontal flip" : "") + ", black "
                + Arrays.toString(black);
    }
}
