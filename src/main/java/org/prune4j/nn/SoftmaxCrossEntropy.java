package org.prune4j.nn;

import org.prune4j.tensor.Tensor;

/** Mean softmax cross-entropy over a batch, its gradient, and the count of correct predictions. */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** Loss and gradient of one batch; the gradient is already divided by the batch size. */
    public record Result(double loss, Tensor grad, int correct) {
    }

    public static Result of(Tensor logits, int[] labels) {
        int n = logits.rows(), k = logits.cols();
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " rows of logits but " + labels.length + " labels");
        }
        float[] z = logits.data();
        float[] g = new float[z.length];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int row = i * k;
            float max = Float.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < k; j++) {
                if (z[row + j] > max) {
                    max = z[row + j];
                    arg = j;
                }
            }
            if (!Float.isFinite(max)) {
                throw new ArithmeticException("non-finite logits in row " + i
                        + "; training diverged: lower the learning rate");
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[row + j] - max);
            }
            int y = labels[i];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("label " + y + " outside 0.." + (k - 1));
            }
            loss += Math.log(sum) - (z[row + y] - max);
            for (int j = 0; j < k; j++) {
                g[row + j] = (float) (Math.exp(z[row + j] - max) / sum / n);
            }
            g[row + y] -= 1f / n;
            if (arg == y) {
                correct++;
            }
        }
        return new Result(loss / n, Tensor.wrap(g, n, k), correct);
    }
}
