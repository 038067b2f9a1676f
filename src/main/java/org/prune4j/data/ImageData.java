package org.prune4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.prune4j.tensor.Rng;

/**
 * A train / validation / test split of one MNIST-format data set, standardised with the
 * training images' mean and standard deviation.
 */
public record ImageData(Dataset train, Dataset validation, Dataset test) {

    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * Loads {@code dir} (train-images-idx3-ubyte[.gz] and friends), holds out the last
     * {@code validationSize} training examples after a shuffle with {@code seed}, and
     * standardises every split with the statistics of what is left for training.
     */
    public static ImageData load(Path dir, int validationSize, long seed) {
        if (!Files.isDirectory(dir)) {
            throw new MalformedDataException(dir, "no such folder; "
                    + (dir.equals(FASHION_MNIST) ? "install it with 'apt-get install dataset-fashion-mnist' or " : "")
                    + "pass --data DIR pointing at a folder with train-images-idx3-ubyte[.gz] and the other MNIST files");
        }
        Dataset trainAll = read(dir, "train", dir.getFileName() + "/train");
        Dataset test = read(dir, "t10k", dir.getFileName() + "/test");
        if (validationSize < 0 || validationSize >= trainAll.size()) {
            throw new IllegalArgumentException("validation size " + validationSize + " must be in 0.."
                    + (trainAll.size() - 1) + " for " + trainAll.size() + " training examples");
        }
        int[] order = new int[trainAll.size()];
        Arrays.setAll(order, i -> i);
        new Rng(seed).split(0x5eed_da7a).shuffle(order);
        int nTrain = trainAll.size() - validationSize;
        Dataset train = trainAll.subset(trainAll.name(), Arrays.copyOfRange(order, 0, nTrain));
        Dataset val = trainAll.subset(dir.getFileName() + "/validation", Arrays.copyOfRange(order, nTrain, order.length));
        double[] stats = meanStd(train.pixels());
        return new ImageData(standardise(train, stats), standardise(val, stats), standardise(test, stats));
    }

    /** A smaller copy (first examples of each split), for tests and quick runs. */
    public ImageData head(int trainN, int validationN, int testN) {
        return new ImageData(train.head(trainN), validation.head(validationN), test.head(testN));
    }

    private static Dataset read(Path dir, String prefix, String name) {
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        IdxFile img = IdxFile.read(images);
        IdxFile lab = IdxFile.read(labels);
        int[] d = img.dims();
        if (d.length != 3) {
            throw new MalformedDataException(images, "image file has rank " + d.length + "; expected 3 (count, rows, cols)");
        }
        if (lab.dims().length != 1) {
            throw new MalformedDataException(labels, "label file has rank " + lab.dims().length + "; expected 1");
        }
        if (lab.dims()[0] != d[0]) {
            throw new MalformedDataException(labels, lab.dims()[0] + " labels for " + d[0] + " images in " + images);
        }
        float[] px = new float[img.values().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = img.unsigned(i) / 255f;
        }
        int[] y = new int[d[0]];
        int classes = 0;
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.unsigned(i);
            classes = Math.max(classes, y[i] + 1);
        }
        return new Dataset(name, px, y, 1, d[1], d[2], Math.max(classes, 10));
    }

    private static Path find(Path dir, String base) {
        for (String name : List.of(base + ".gz", base, base.replace("-idx", ".idx"))) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        String present;
        try (Stream<Path> s = Files.list(dir)) {
            present = s.map(p -> p.getFileName().toString()).sorted().toList().toString();
        } catch (java.io.IOException e) {
            present = "(unreadable)";
        }
        throw new MalformedDataException(dir, "missing " + base + "[.gz]; the folder holds " + present);
    }

    private static double[] meanStd(float[] px) {
        double sum = 0, sq = 0;
        for (float v : px) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / px.length;
        double std = Math.sqrt(Math.max(sq / px.length - mean * mean, 1e-12));
        return new double[] {mean, std};
    }

    private static Dataset standardise(Dataset d, double[] stats) {
        float[] px = d.pixels().clone();
        float mean = (float) stats[0], inv = (float) (1.0 / stats[1]);
        for (int i = 0; i < px.length; i++) {
            px[i] = (px[i] - mean) * inv;
        }
        return new Dataset(d.name(), px, d.labels(), d.channels(), d.height(), d.width(), d.classes());
    }
}
