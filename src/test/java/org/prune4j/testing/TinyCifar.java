package org.prune4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prune4j.tensor.Rng;

/**
 * Small files in the CIFAR-10 (or CIFAR-100) binary format: records of a label byte (CIFAR-100:
 * coarse then fine) and 3 x 32 x 32 pixel bytes, red plane, green plane, blue plane. Each class
 * tints its image with its own colour over noise, so a network can tell them apart.
 */
public final class TinyCifar {
    public static final int RECORD = 1 + 3 * 32 * 32;

    private TinyCifar() {
    }

    /** Writes {@code batches} training files of {@code perBatch} records and a test file of {@code test}; returns {@code dir}. */
    public static Path write(Path dir, int batches, int perBatch, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        Rng rng = new Rng(seed);
        for (int b = 1; b <= batches; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), records(perBatch, 1, 10, rng.split(b)));
        }
        Files.write(dir.resolve("test_batch.bin"), records(test, 1, 10, rng.split(0)));
        return dir;
    }

    /** {@code n} records with {@code labelBytes} label bytes (the last one the class, below {@code classes}). */
    public static byte[] records(int n, int labelBytes, int classes, Rng rng) {
        int record = labelBytes + 3 * 32 * 32;
        byte[] out = new byte[n * record];
        for (int i = 0; i < n; i++) {
            int y = i % classes;
            int base = i * record;
            for (int l = 0; l < labelBytes - 1; l++) {
                out[base + l] = (byte) (y / 5);
            }
            out[base + labelBytes - 1] = (byte) y;
            for (int c = 0; c < 3; c++) {
                int tint = ((y >> c) & 1) * 120 + (c == 0 ? y * 12 : 0);
                for (int p = 0; p < 1024; p++) {
                    out[base + labelBytes + c * 1024 + p] = (byte) Math.min(255, tint + rng.nextInt(110));
                }
            }
        }
        return out;
    }
}
