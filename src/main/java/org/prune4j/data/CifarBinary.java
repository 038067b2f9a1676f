package org.prune4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.prune4j.guard.HostMemory;
import org.prune4j.guard.IoErrors;

/**
 * The binary version of CIFAR-10 and CIFAR-100 (Krizhevsky 2009, from
 * https://www.cs.toronto.edu/~kriz/cifar.html, "CIFAR-10 binary version"): records of one label
 * byte (CIFAR-100: a coarse and a fine label byte) and 3072 pixel bytes, the red, green and blue
 * 32x32 planes row by row, which is already channels x height x width. CIFAR-10 splits its
 * training set over {@code data_batch_1.bin .. data_batch_5.bin} beside {@code test_batch.bin};
 * CIFAR-100 has {@code train.bin} and {@code test.bin} and is read with its 100 fine labels.
 * Either may sit in the folder given or in the {@code cifar-10-batches-bin} /
 * {@code cifar-100-binary} folder that the archive unpacks to.
 */
final class CifarBinary {
    static final int SIDE = 32;
    static final int PIXELS = 3 * SIDE * SIDE;

    /** Where the files are and how their records look. */
    private record Layout(Path dir, List<Path> train, Path test, int labelBytes, int classes, String name) {
    }

    private CifarBinary() {
    }

    /** Whether {@code dir} (or the folder its archive unpacks to) holds CIFAR binary files. */
    static boolean present(Path dir) {
        return layout(dir) != null;
    }

    /** The training and test splits, pixels in [0, 1]. */
    static Dataset[] read(Path dir) {
        Layout l = layout(dir);
        if (l == null) {
            throw new MalformedDataException(dir, "holds no CIFAR binary files (data_batch_1.bin and test_batch.bin,"
                    + " or train.bin and test.bin)");
        }
        long bytes = 0;
        List<Path> all = new ArrayList<>(l.train());
        all.add(l.test());
        for (Path f : all) {
            bytes += size(f);
        }
        // each pixel byte becomes a float several times over while the splits are built
        HostMemory.require(HostMemory.bytes(bytes, 13), "loading " + l.name() + " from " + l.dir());
        List<byte[]> trainFiles = new ArrayList<>();
        for (Path f : l.train()) {
            trainFiles.add(records(f, l));
        }
        return new Dataset[] {dataset(l, l.name() + "/train", trainFiles, l.train()),
            dataset(l, l.name() + "/test", List.of(records(l.test(), l)), List.of(l.test()))};
    }

    private static Layout layout(Path dir) {
        for (Path d : List.of(dir, dir.resolve("cifar-10-batches-bin"), dir.resolve("cifar-100-binary"))) {
            if (Files.isRegularFile(d.resolve("data_batch_1.bin"))) {
                // a half-unpacked archive would otherwise train on part of the data without a word
                List<Path> train = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    train.add(required(d, "data_batch_" + i + ".bin"));
                }
                return new Layout(d, train, required(d, "test_batch.bin"), 1, 10, "cifar-10");
            }
            if (Files.isRegularFile(d.resolve("train.bin")) && Files.exists(d.resolve("test.bin"))) {
                return new Layout(d, List.of(d.resolve("train.bin")), required(d, "test.bin"), 2, 100, "cifar-100");
            }
        }
        return null;
    }

    private static Path required(Path dir, String name) {
        Path p = dir.resolve(name);
        String notFile = IoErrors.notRegularFile(p);
        if (notFile != null) {
            throw new MalformedDataException(p, "is " + notFile + "; a CIFAR-10 folder has data_batch_1.bin .. "
                    + "data_batch_5.bin and test_batch.bin (unpack the whole binary version from "
                    + "https://www.cs.toronto.edu/~kriz/cifar.html)");
        }
        return p;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw IoErrors.wrap("read CIFAR file", f, e);
        }
    }

    private static byte[] records(Path f, Layout l) {
        int record = l.labelBytes() + PIXELS;
        long size = size(f);
        if (size == 0 || size % record != 0) {
            throw new MalformedDataException(f, size + " bytes is not a whole number of " + record + "-byte records ("
                    + l.labelBytes() + " label byte" + (l.labelBytes() > 1 ? "s" : "") + " and 3x32x32 pixels); the"
                    + " file is truncated or not " + l.name() + "'s binary version: download it again");
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new MalformedDataException(f, "is larger than 2 GB; a CIFAR batch file is about 30 MB");
        }
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw IoErrors.wrap("read CIFAR file", f, e);
        }
    }

    private static Dataset dataset(Layout l, String name, List<byte[]> files, List<Path> paths) {
        int record = l.labelBytes() + PIXELS;
        int n = 0;
        for (byte[] b : files) {
            n += b.length / record;
        }
        float[] px = new float[n * PIXELS];
        int[] labels = new int[n];
        int at = 0;
        for (int fi = 0; fi < files.size(); fi++) {
            byte[] b = files.get(fi);
            for (int r = 0; r < b.length / record; r++, at++) {
                int base = r * record;
                // CIFAR-100 records start with the coarse label; the fine one is the task
                int y = b[base + l.labelBytes() - 1] & 0xff;
                if (y >= l.classes()) {
                    throw new MalformedDataException(paths.get(fi), "record " + r + " has label " + y + "; "
                            + l.name() + " labels are 0.." + (l.classes() - 1) + " (is this the right data set?)");
                }
                labels[at] = y;
                int src = base + l.labelBytes(), dst = at * PIXELS;
                for (int i = 0; i < PIXELS; i++) {
                    px[dst + i] = (b[src + i] & 0xff) / 255f;
                }
            }
        }
        return new Dataset(name, px, labels, 3, SIDE, SIDE, l.classes());
    }
}
