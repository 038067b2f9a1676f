package org.prune4j.wann;

import java.util.SplittableRandom;

/**
 * Classification as a search task, as the WANN paper set up MNIST: one input per feature, one
 * output per class, softmax over the outputs. Fitness is minus the mean cross-entropy on a
 * batch of training examples drawn from the seed (the same batch for every network of a
 * generation and every weight); a tuned weight is chosen on the validation split and the
 * report's accuracy is on the test split.
 */
public final class ClassificationTask implements WannTask {
    /** The fitness of a network whose outputs overflow: worse than any finite cross-entropy it could reach. */
    static final double OVERFLOW_FITNESS = -1e6;

    /** Examples row-major ({@code size x features}) with their labels. */
    public record Split(float[] x, int[] labels, int features) {
        public Split {
            if (features < 1 || x.length != labels.length * features) {
                throw new IllegalArgumentException("a split of " + labels.length + " examples with " + features
                        + " features needs " + (long) labels.length * features + " values, got " + x.length);
            }
        }

        public int size() {
            return labels.length;
        }
    }

    private final String name;
    private final Split train;
    private final Split validation;
    private final Split test;
    private final int classes;
    private final int batch;

    public ClassificationTask(String name, Split train, Split validation, Split test, int classes, int batch) {
        if (train.features() != validation.features() || train.features() != test.features()) {
            throw new IllegalArgumentException("train, validation and test must have one feature count");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classification needs at least two classes, got " + classes);
        }
        if (batch < 1 || batch > train.size()) {
            throw new IllegalArgumentException("--batch must be between 1 and the " + train.size()
                    + " training examples, got " + batch);
        }
        if (validation.size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException("validation and test splits must not be empty");
        }
        for (Split s : new Split[] {train, validation, test}) {
            for (int y : s.labels()) {
                if (y < 0 || y >= classes) {
                    throw new IllegalArgumentException("label " + y + " is outside 0.." + (classes - 1));
                }
            }
        }
        this.name = name;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.classes = classes;
        this.batch = batch;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputs() {
        return train.features();
    }

    @Override
    public int outputs() {
        return classes;
    }

    @Override
    public Activation outputActivation() {
        return Activation.LINEAR;
    }

    @Override
    public String fitnessLabel() {
        return "minus the mean cross-entropy on " + batch + " training images";
    }

    @Override
    public String scoreLabel() {
        return "test accuracy (%)";
    }

    @Override
    public double[] fitness(Network net, double[][] weightSets, long seed) {
        Split sample = sample(seed);
        double[] f = new double[weightSets.length];
        for (int w = 0; w < weightSets.length; w++) {
            double ce = crossEntropy(net.evaluateBatch(sample.x(), batch, weightSets[w]), sample.labels(), classes);
            f[w] = Double.isFinite(ce) ? Math.max(-ce, OVERFLOW_FITNESS) : OVERFLOW_FITNESS;
        }
        return f;
    }

    @Override
    public double selectionScore(Network net, double[] weights, long seed) {
        return accuracy(net, weights, validation);
    }

    @Override
    public double score(Network net, double[] weights, long seed) {
        return accuracy(net, weights, test);
    }

    /**
     * Test accuracy of the softmax probabilities averaged over the weight vectors, the class
     * with the largest mean probability predicted (the lowest among equal ones). A weight whose
     * outputs for an example are not all finite abstains on it; an example on which every
     * weight abstains counts as wrong, as {@link #accuracy} counts NaN outputs.
     */
    @Override
    public java.util.OptionalDouble ensembleScore(Network net, double[][] weightSets, long seed) {
        int n = test.size();
        double[] sum = new double[n * classes];
        int[] voters = new int[n];
        for (double[] w : weightSets) {
            double[] out = net.evaluateBatch(test.x(), n, w);
            for (int b = 0; b < n; b++) {
                double max = Double.NEGATIVE_INFINITY;
                boolean finite = true;
                for (int c = 0; c < classes; c++) {
                    double v = out[b * classes + c];
                    finite &= Double.isFinite(v);
                    max = Math.max(max, v);
                }
                if (!finite) {
                    continue;
                }
                double z = 0;
                for (int c = 0; c < classes; c++) {
                    z += Math.exp(out[b * classes + c] - max);
                }
                for (int c = 0; c < classes; c++) {
                    sum[b * classes + c] += Math.exp(out[b * classes + c] - max) / z;
                }
                voters[b]++;
            }
        }
        int correct = 0;
        for (int b = 0; b < n; b++) {
            correct += voters[b] > 0 && argmax(sum, b * classes, classes) == test.labels()[b] ? 1 : 0;
        }
        return java.util.OptionalDouble.of(100.0 * correct / n);
    }

    /** Mean softmax cross-entropy of row-major logits against labels, by log-sum-exp. */
    static double crossEntropy(double[] logits, int[] labels, int classes) {
        double sum = 0;
        for (int b = 0; b < labels.length; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[b * classes + c]);
            }
            double z = 0;
            for (int c = 0; c < classes; c++) {
                z += Math.exp(logits[b * classes + c] - max);
            }
            sum += max + Math.log(z) - logits[b * classes + labels[b]];
        }
        return sum / labels.length;
    }

    /**
     * Percentage of {@code split} whose predicted class is its label: the largest output, the
     * lowest class among equal ones (as argmax picks); an example with a NaN output counts as wrong.
     */
    static double accuracy(Network net, double[] weights, Split split) {
        int correct = 0, chunk = 2000, f = split.features();
        for (int from = 0; from < split.size(); from += chunk) {
            int n = Math.min(chunk, split.size() - from);
            float[] x = java.util.Arrays.copyOfRange(split.x(), from * f, (from + n) * f);
            double[] out = net.evaluateBatch(x, n, weights);
            int classes = net.outputCount();
            for (int b = 0; b < n; b++) {
                boolean nan = false;
                for (int c = 0; c < classes; c++) {
                    nan |= Double.isNaN(out[b * classes + c]);
                }
                correct += !nan && argmax(out, b * classes, classes) == split.labels()[from + b] ? 1 : 0;
            }
        }
        return 100.0 * correct / split.size();
    }

    /**
     * The generation's training batch: {@code batch} examples drawn without replacement from
     * the seed. Every network of a generation asks for the same seed, so the last batch is kept
     * and drawn once per generation rather than once per network.
     */
    private Split sample(long seed) {
        Sample last = lastSample;
        if (last != null && last.seed() == seed) {
            return last.split();
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int n = train.size(), f = train.features();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        float[] x = new float[batch * f];
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            System.arraycopy(train.x(), idx[i] * f, x, i * f, f);
            y[i] = train.labels()[idx[i]];
        }
        Split split = new Split(x, y, f);
        lastSample = new Sample(seed, split);
        return split;
    }

    private record Sample(long seed, Split split) {
    }

    /** The class of the largest of {@code v[from .. from + classes)}, the lowest among equal ones. */
    private static int argmax(double[] v, int from, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            best = v[from + c] > v[from + best] ? c : best;
        }
        return best;
    }

    /** Written by whichever evaluating thread draws a new seed first; a stale read only redraws the same batch. */
    private volatile Sample lastSample;
}
