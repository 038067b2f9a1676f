package org.prune4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.prune4j.guard.HostMemory;
import org.prune4j.guard.IoErrors;
import org.prune4j.tensor.Rng;

/**
 * A train / validation / test split of one data set (MNIST format, or CIFAR-10 / CIFAR-100
 * binary), each channel standardised with the training images' mean and standard deviation,
 * and the augmentation its training images get at every step.
 */
public record ImageData(Dataset train, Dataset validation, Dataset test, Augmentation augmentation) {

    /** Without augmentation (a black pixel taken as 0, the mean). */
    public ImageData(Dataset train, Dataset validation, Dataset test) {
        this(train, validation, test, Augmentation.none(new float[train.channels()]));
    }

    /** The same splits with the named augmentation ({@link Augmentation#NAMES}) of training images. */
    public ImageData withAugmentation(String name) {
        return new ImageData(train, validation, test, augmentation.named(name));
    }

    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * Loads {@code dir} (train-images-idx3-ubyte[.gz] and friends, or CIFAR's binary batches),
     * holds out the last {@code validationSize} training examples after a shuffle with
     * {@code seed}, and standardises every split with the statistics of what is left for training.
     */
    public static ImageData load(Path dir, int validationSize, long seed) {
        if (!Files.isDirectory(dir)) {
            throw new MalformedDataException(dir, (Files.exists(dir) ? "is a file, not a folder" : "no such folder")
                    + "; " + (dir.equals(FASHION_MNIST) ? "install it with 'apt-get install dataset-fashion-mnist' or "
                    : "") + "pass --data DIR pointing at a folder with train-images-idx3-ubyte[.gz] and the other"
                    + " MNIST files, or with CIFAR-10's binary batches (data_batch_1.bin .. test_batch.bin)");
        }
        Dataset[] splits = CifarBinary.present(dir) ? CifarBinary.read(dir) : readMnist(dir);
        return split(dir, splits[0], splits[1], validationSize, seed);
    }

    private static Dataset[] readMnist(Path dir) {
        Path trainImages = find(dir, "train-images-idx3-ubyte"), trainLabels = find(dir, "train-labels-idx1-ubyte");
        Path testImages = find(dir, "t10k-images-idx3-ubyte"), testLabels = find(dir, "t10k-labels-idx1-ubyte");
        requireMemory(dir, trainImages, testImages);
        Raw train = read(trainImages, trainLabels), test = read(testImages, testLabels);
        if (train.rows != test.rows || train.cols != test.cols) {
            throw new MalformedDataException(testImages, "test images are " + test.rows + "x" + test.cols + " but the"
                    + " training images in " + trainImages.getFileName() + " are " + train.rows + "x" + train.cols
                    + "; both splits must have one image size");
        }
        int classes = classes(trainLabels, train.labels, testLabels, test.labels);
        Dataset trainAll = new Dataset(dir.getFileName() + "/train", train.pixels, train.labels, 1, train.rows,
                train.cols, classes);
        Dataset testSet = new Dataset(dir.getFileName() + "/test", test.pixels, test.labels, 1, test.rows, test.cols,
                classes);
        return new Dataset[] {trainAll, testSet};
    }

    private static ImageData split(Path dir, Dataset trainAll, Dataset testSet, int validationSize, long seed) {
        String base = trainAll.name().substring(0, trainAll.name().lastIndexOf('/'));
        if (validationSize < 0 || validationSize >= trainAll.size()) {
            throw new IllegalArgumentException("validation size " + validationSize + " must be in 0.."
                    + (trainAll.size() - 1) + " for " + trainAll.size() + " training examples");
        }
        int[] order = new int[trainAll.size()];
        Arrays.setAll(order, i -> i);
        new Rng(seed).split(0x5eed_da7a).shuffle(order);
        int nTrain = trainAll.size() - validationSize;
        Dataset trainSet = trainAll.subset(trainAll.name(), Arrays.copyOfRange(order, 0, nTrain));
        Dataset val = trainAll.subset(base + "/validation", Arrays.copyOfRange(order, nTrain, order.length));
        double[][] stats = meanStd(trainSet);
        float[] black = new float[stats.length];
        for (int c = 0; c < stats.length; c++) {
            if (stats[c][1] < 1e-5) {
                throw new MalformedDataException(dir, String.format(java.util.Locale.ROOT, "every training pixel of "
                        + "channel %d has the value %.4g (the images are blank), so there is nothing to learn; check "
                        + "the files", c, stats[c][0] * 255));
            }
            black[c] = (float) (-stats[c][0] / stats[c][1]);
        }
        return new ImageData(standardise(trainSet, stats), standardise(val, stats), standardise(testSet, stats),
                Augmentation.none(black));
    }

    /** Pixels as floats in [0, 1] and labels of one split, as read. */
    private record Raw(float[] pixels, int[] labels, int rows, int cols) {
    }

    /**
     * Loading holds each image as a byte, then as a float several times over (all pixels, the
     * split, the standardised copy): about 13 bytes per pixel at the peak. Checked from the
     * headers before any value is read.
     */
    private static void requireMemory(Path dir, Path trainImages, Path testImages) {
        long pixels = 0;
        for (Path f : List.of(trainImages, testImages)) {
            long n = 1;
            for (int d : IdxFile.dimensions(f)) {
                n *= d;
            }
            pixels += n;
        }
        HostMemory.require(HostMemory.bytes(pixels, 13), "loading the data set in " + dir + " (" + pixels
                + " pixels)");
    }

    /**
     * The class count: one more than the largest training label. Every class below it must occur
     * in training and every test label must be one of them: a label file with gaps (a stray 255
     * among 0..9) is damaged, and would otherwise build a model with classes it never sees.
     */
    private static int classes(Path trainFile, int[] train, Path testFile, int[] test) {
        int max = -1;
        for (int y : train) {
            max = Math.max(max, y);
        }
        boolean[] seen = new boolean[max + 1];
        for (int y : train) {
            seen[y] = true;
        }
        for (int c = 0; c <= max; c++) {
            if (!seen[c]) {
                int at = 0;
                while (train[at] != max) {
                    at++;
                }
                throw new MalformedDataException(trainFile, "labels run up to " + max + " (example " + at + ") but "
                        + "label " + c + " never occurs; a label file with gaps is damaged (MNIST-format labels are "
                        + "0..classes-1)");
            }
        }
        for (int i = 0; i < test.length; i++) {
            if (test[i] > max) {
                throw new MalformedDataException(testFile, "label " + test[i] + " of test example " + i + " never "
                        + "occurs in the training labels (0.." + max + " in " + trainFile.getFileName() + ")");
            }
        }
        return max + 1;
    }

    /** A smaller copy (first examples of each split), for tests and quick runs. */
    public ImageData head(int trainN, int validationN, int testN) {
        return new ImageData(train.head(trainN), validation.head(validationN), test.head(testN), augmentation);
    }

    private static Raw read(Path images, Path labels) {
        IdxFile img = IdxFile.read(images);
        int[] d = img.dims();
        if (d.length != 3) {
            throw new MalformedDataException(images, "image file has rank " + d.length + "; expected 3 (count, rows, cols)");
        }
        IdxFile lab = IdxFile.read(labels);
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
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.unsigned(i);
        }
        return new Raw(px, y, d[1], d[2]);
    }

    private static Path find(Path dir, String base) {
        for (String name : List.of(base + ".gz", base, base.replace("-idx", ".idx"))) {
            Path p = dir.resolve(name);
            if (Files.exists(p) || Files.isSymbolicLink(p)) {
                String notFile = IoErrors.notRegularFile(p);
                if (notFile != null) {
                    throw new MalformedDataException(p, "is " + notFile + "; the data set needs its " + base
                            + " data here as a file");
                }
                return p;
            }
        }
        String present;
        try (Stream<Path> s = Files.list(dir)) {
            present = s.map(p -> p.getFileName().toString()).sorted().toList().toString();
        } catch (java.io.IOException e) {
            present = "(unreadable)";
        }
        throw new MalformedDataException(dir, "missing " + base + "[.gz]; the folder holds " + present + " (an MNIST-"
                + "format folder has train-images-idx3-ubyte[.gz] and three more files, a CIFAR-10 one data_batch_1.bin "
                + ".. data_batch_5.bin and test_batch.bin)");
    }

    /** Mean and standard deviation of each channel over every training image. */
    private static double[][] meanStd(Dataset d) {
        int c = d.channels(), plane = d.height() * d.width();
        float[] px = d.pixels();
        double[][] out = new double[c][];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0, sq = 0;
            for (int img = 0; img < d.size(); img++) {
                int base = (img * c + ch) * plane;
                for (int i = base; i < base + plane; i++) {
                    float v = px[i];
                    sum += v;
                    sq += (double) v * v;
                }
            }
            long count = (long) d.size() * plane;
            double mean = sum / count;
            out[ch] = new double[] {mean, Math.sqrt(Math.max(sq / count - mean * mean, 1e-12))};
        }
        return out;
    }

    private static Dataset standardise(Dataset d, double[][] stats) {
        float[] px = d.pixels().clone();
        int c = d.channels(), plane = d.height() * d.width();
        for (int i = 0; i < px.length; i++) {
            double[] s = stats[(i / plane) % c];
            px[i] = (px[i] - (float) s[0]) * (float) (1.0 / s[1]);
        }
        return new Dataset(d.name(), px, d.labels(), d.channels(), d.height(), d.width(), d.classes());
    }
}
