package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.tensor.Rng;

class IdxFileTest {
    @TempDir
    Path dir;

    static byte[] idx(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.write(new byte[] {0, 0, 8, (byte) dims.length});
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(values);
        return b.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        Rng rng = new Rng(System.nanoTime());
        byte[] v = new byte[3 * 4 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) rng.nextInt(256);
        }
        Files.write(dir.resolve("a"), idx(new int[] {3, 4, 5}, v));
        Files.write(dir.resolve("b.gz"), gzip(idx(new int[] {3, 4, 5}, v)));
        for (String f : new String[] {"a", "b.gz"}) {
            IdxFile x = IdxFile.read(dir.resolve(f));
            assertArrayEquals(new int[] {3, 4, 5}, x.dims());
            assertArrayEquals(v, x.values());
            assertEquals(v[7] & 0xff, x.unsigned(7));
        }
    }

    private String error(byte[] content) throws IOException {
        Path f = dir.resolve("bad");
        Files.write(f, content);
        return assertThrows(MalformedDataException.class, () -> IdxFile.read(f)).getMessage();
    }

    @Test
    void malformedFilesNameTheProblem() throws IOException {
        assertTrue(error(new byte[] {1, 2}).contains("shorter than the 4-byte IDX header"));
        assertTrue(error(new byte[] {'P', 'K', 3, 4, 0, 0}).contains("bad IDX magic"));
        assertTrue(error(new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0}).contains("element type 0x0d"));
        assertTrue(error(new byte[] {0, 0, 8, 2, 0, 0, 0, 3}).contains("header ends after 1 of 2 dimensions"));
        String truncated = error(idx(new int[] {10, 10}, new byte[60]));
        assertTrue(truncated.contains("truncated") && truncated.contains("promises 100 values") && truncated.contains("60"),
                truncated);
        assertTrue(error(idx(new int[] {2}, new byte[5])).contains("bytes after the 2 values"));
        byte[] gz = gzip(idx(new int[] {1000}, new byte[1000]));
        String cut = error(Arrays.copyOf(gz, gz.length / 2));
        assertTrue(cut.contains("truncated") || cut.contains("ends"), cut);
        assertTrue(assertThrows(MalformedDataException.class, () -> IdxFile.read(dir.resolve("missing")))
                .getMessage().contains("--data"));
    }

    @Test
    void missingDataFolderSaysHowToGetIt() {
        String m = assertThrows(MalformedDataException.class,
                () -> ImageData.load(dir.resolve("nothing-here"), 10, 1)).getMessage();
        assertTrue(m.contains("--data DIR"), m);
        String empty = assertThrows(MalformedDataException.class, () -> ImageData.load(dir, 10, 1)).getMessage();
        assertTrue(empty.contains("missing train-images-idx3-ubyte"), empty);
    }

    @Test
    void loadsAnMnistFolderWithSplitAndStandardisation() throws IOException {
        int n = 50, t = 20;
        Rng rng = new Rng(3);
        byte[] px = new byte[n * 4 * 4], tp = new byte[t * 4 * 4], lab = new byte[n], tl = new byte[t];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) rng.nextInt(256);
        }
        for (int i = 0; i < n; i++) {
            lab[i] = (byte) (i % 10);
        }
        for (int i = 0; i < t; i++) {
            tl[i] = (byte) (i % 10);
        }
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idx(new int[] {n, 4, 4}, px)));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(new int[] {n}, lab));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(new int[] {t, 4, 4}, tp));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idx(new int[] {t}, tl)));
        ImageData d = ImageData.load(dir, 10, 7);
        assertEquals(40, d.train().size());
        assertEquals(10, d.validation().size());
        assertEquals(20, d.test().size());
        double sum = 0, sq = 0;
        for (float v : d.train().pixels()) {
            sum += v;
            sq += v * v;
        }
        int m = d.train().pixels().length;
        assertEquals(0, sum / m, 1e-4, "training pixels have mean 0");
        assertEquals(1, sq / m, 1e-3, "and unit variance");
        // the split is a permutation: every training label count is preserved
        int[] counts = new int[10];
        for (int y : d.train().labels()) {
            counts[y]++;
        }
        for (int y : d.validation().labels()) {
            counts[y]++;
        }
        for (int c : counts) {
            assertEquals(5, c);
        }
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idx(new int[] {t - 1}, Arrays.copyOf(tl, t - 1))));
        String mismatch = assertThrows(MalformedDataException.class, () -> ImageData.load(dir, 10, 7)).getMessage();
        assertTrue(mismatch.contains("19 labels for 20 images"), mismatch);
    }

    @Test
    void batchOrderIsAFreshPermutationPerEpochAndReproducible() {
        BatchOrder a = new BatchOrder(100, 30, 9), b = new BatchOrder(100, 30, 9);
        assertEquals(3, a.batchesPerEpoch());
        int[] e0 = a.order(0).clone(), e1 = a.order(3).clone();
        assertArrayEquals(e0, b.order(2));
        assertTrue(!Arrays.equals(e0, e1));
        int[] sorted = e1.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
        assertEquals(60, a.offset(5));
        assertThrows(IllegalArgumentException.class, () -> new BatchOrder(10, 11, 1));
    }
}
