package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.tensor.Rng;
import org.prune4j.testing.TinyCifar;

/** CIFAR's binary batches read byte for byte, standardised per channel, and refused when damaged. */
class CifarBinaryTest {
    @TempDir
    Path tmp;

    private final long seed = System.nanoTime();

    /** Every image of {@code files} as raw bytes, in order, and its label: the format read by hand. */
    private static int[][] raw(Path dir, int labelBytes, String... files) throws IOException {
        int record = labelBytes + 3072;
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (String f : files) {
            byte[] b = Files.readAllBytes(dir.resolve(f));
            for (int r = 0; r < b.length / record; r++) {
                int[] img = new int[3073];
                img[0] = b[r * record + labelBytes - 1] & 0xff;
                for (int i = 0; i < 3072; i++) {
                    img[1 + i] = b[r * record + labelBytes + i] & 0xff;
                }
                out.add(img);
            }
        }
        return out.toArray(new int[0][]);
    }

    @Test
    void cifar10IsReadStandardisedPerChannelFromItsArchiveFolder() throws IOException {
        Path dir = TinyCifar.write(tmp.resolve("cifar-10-batches-bin"), 5, 17, 13, seed);
        // the folder given may be the one the archive unpacks into
        ImageData d = ImageData.load(tmp, 0, 5);
        assertEquals(85, d.train().size());
        assertEquals(13, d.test().size());
        assertEquals(3, d.train().channels());
        assertEquals(32, d.train().height());
        assertEquals(10, d.train().classes());
        int[][] train = raw(dir, 1, "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin");
        int[][] test = raw(dir, 1, "test_batch.bin");
        // per-channel statistics of the training bytes, in double
        double[] mean = new double[3], sq = new double[3];
        for (int[] img : train) {
            for (int i = 0; i < 3072; i++) {
                double v = img[1 + i] / 255.0;
                mean[i / 1024] += v;
                sq[i / 1024] += v * v;
            }
        }
        double n = train.length * 1024.0;
        double[] std = new double[3];
        for (int c = 0; c < 3; c++) {
            mean[c] /= n;
            std[c] = Math.sqrt(sq[c] / n - mean[c] * mean[c]);
        }
        // with no validation split the training set keeps every example; the shuffle only reorders
        java.util.Map<Integer, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < test.length; i++) {
            assertEquals(test[i][0], d.test().labels()[i]);
            for (int p = 0; p < 3072; p += 97) {
                double expect = (test[i][1 + p] / 255.0 - mean[p / 1024]) / std[p / 1024];
                assertEquals(expect, d.test().pixels()[i * 3072 + p], 1e-4, "test image " + i + " value " + p);
            }
        }
        for (int[] img : train) {
            seen.merge(img[0], 1, Integer::sum);
        }
        for (int y : d.train().labels()) {
            seen.merge(y, -1, Integer::sum);
        }
        seen.values().forEach(v -> assertEquals(0, v));
        // a black pixel is where crops pad: -mean / std per channel
        Augmentation a = d.augmentation().named("crop-flip");
        String text = a.toString();
        String[] levels = text.substring(text.indexOf('[') + 1, text.indexOf(']')).split(",\\s*");
        for (int c = 0; c < 3; c++) {
            assertEquals(-mean[c] / std[c], Double.parseDouble(levels[c]), 1e-4, "black level of channel " + c);
        }
    }

    @Test
    void cifar100ReadsTheFineLabel() throws IOException {
        Rng rng = new Rng(seed);
        Files.write(tmp.resolve("train.bin"), TinyCifar.records(40, 2, 100, rng.split(1)));
        Files.write(tmp.resolve("test.bin"), TinyCifar.records(10, 2, 100, rng.split(2)));
        ImageData d = ImageData.load(tmp, 5, 1);
        assertEquals(100, d.train().classes());
        int[][] test = raw(tmp, 2, "test.bin");
        for (int i = 0; i < test.length; i++) {
            assertEquals(test[i][0], d.test().labels()[i]);
        }
        assertEquals(35, d.train().size());
        assertEquals(5, d.validation().size());
    }

    @Test
    void damagedFilesAreRefusedWithTheFix() throws IOException {
        Path dir = TinyCifar.write(tmp.resolve("c"), 5, 5, 5, seed);
        byte[] b = Files.readAllBytes(dir.resolve("data_batch_2.bin"));
        Files.write(dir.resolve("data_batch_2.bin"), java.util.Arrays.copyOf(b, b.length - 100));
        String m = assertThrows(MalformedDataException.class, () -> ImageData.load(dir, 0, 1)).getMessage();
        assertTrue(m.contains("data_batch_2.bin") && m.contains("3073-byte records") && m.contains("download"), m);

        Files.write(dir.resolve("data_batch_2.bin"), b);
        b[TinyCifar.RECORD * 3] = 10;
        Files.write(dir.resolve("data_batch_2.bin"), b);
        m = assertThrows(MalformedDataException.class, () -> ImageData.load(dir, 0, 1)).getMessage();
        assertTrue(m.contains("record 3 has label 10"), m);

        Files.delete(dir.resolve("test_batch.bin"));
        m = assertThrows(MalformedDataException.class, () -> ImageData.load(dir, 0, 1)).getMessage();
        assertTrue(m.contains("test_batch.bin") && m.contains("cifar.html"), m);

        Files.write(dir.resolve("test_batch.bin"), b);
        Files.delete(dir.resolve("data_batch_4.bin"));
        m = assertThrows(MalformedDataException.class, () -> ImageData.load(dir, 0, 1)).getMessage();
        assertTrue(m.contains("data_batch_4.bin") && m.contains("data_batch_5.bin"), m);
    }

    @Test
    void anEmptyFolderNamesBothFormats() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        String m = assertThrows(MalformedDataException.class, () -> ImageData.load(tmp.resolve("empty"), 0, 1))
                .getMessage();
        assertTrue(m.contains("train-images-idx3-ubyte"), m);
        String missing = assertThrows(MalformedDataException.class, () -> ImageData.load(tmp.resolve("nope"), 0, 1))
                .getMessage();
        assertTrue(missing.contains("data_batch_1.bin"), missing);
    }

    @Test
    void imagesKeepTheirShapeThroughTheLoader() throws IOException {
        Path dir = TinyCifar.write(tmp.resolve("s"), 5, 4, 2, seed);
        ImageData d = ImageData.load(dir, 0, 1);
        assertArrayEquals(new int[] {2, 3, 32, 32}, d.test().images(new int[] {0, 1}, 0, 2).shape());
    }
}
