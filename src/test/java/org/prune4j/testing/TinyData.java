package org.prune4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prune4j.tensor.Rng;

/**
 * A small MNIST-format data set that a network can learn in a few hundred steps: ten classes,
 * each a bright block at its own place on a noisy {@code side x side} image. Tests that need a
 * whole run (resume, kill -9, locks) use it so they take seconds, not minutes.
 */
public final class TinyData {
    private TinyData() {
    }

    /** Writes train (n) and test (n / 5) files into {@code dir}; returns {@code dir}. */
    public static Path write(Path dir, int n, int side, long seed) throws IOException {
        Files.createDirectories(dir);
        Rng rng = new Rng(seed);
        write(dir, "train", n, side, rng.split(1));
        write(dir, "t10k", Math.max(10, n / 5), side, rng.split(2));
        return dir;
    }

    private static void write(Path dir, String prefix, int n, int side, Rng rng) throws IOException {
        byte[] px = new byte[n * side * side];
        byte[] labels = new byte[n];
        int cell = Math.max(1, side / 4);
        for (int i = 0; i < n; i++) {
            int y = i % 10;
            labels[i] = (byte) y;
            int r0 = (y / 4) * cell, c0 = (y % 4) * cell;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    boolean on = r >= r0 && r < r0 + cell && c >= c0 && c < c0 + cell;
                    int v = (on ? 160 : 0) + rng.nextInt(90);
                    px[i * side * side + r * side + c] = (byte) v;
                }
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), idx(new int[] {n, side, side}, px));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), idx(new int[] {n}, labels));
    }

    /**
     * 240 noisy 6x6 images of four classes, each lit on every fourth pixel from its own offset,
     * split 160 / 40 / 40: learnable in a few dozen steps, with no file behind it.
     */
    public static org.prune4j.data.ImageData fourStripes() {
        Rng rng = new Rng(9);
        int n = 240, f = 36;
        float[] px = new float[n * f];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
            for (int j = 0; j < f; j++) {
                px[i * f + j] = (j % 4 == y[i] ? 1.5f : 0f) + rng.uniform(-0.5f, 0.5f);
            }
        }
        org.prune4j.data.Dataset d = new org.prune4j.data.Dataset("synthetic", px, y, 1, 6, 6, 4);
        return new org.prune4j.data.ImageData(d.head(160), d.subset("val",
                java.util.stream.IntStream.range(160, 200).toArray()), d.subset("test",
                java.util.stream.IntStream.range(200, 240).toArray()));
    }

    /** An IDX file of unsigned bytes. */
    public static byte[] idx(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.write(new byte[] {0, 0, 8, (byte) dims.length});
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(values);
        return b.toByteArray();
    }
}
