package org.prune4j.nn;

import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.tensor.Tensor;

/**
 * Mean softmax cross-entropy over a batch, its gradient, and the count of correct predictions.
 * Training computes it on its backend ({@link Backend#softmaxCrossEntropy}), keeping the sums
 * on the device; {@link #of} is the host form for one batch.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** Loss and gradient of one batch; the gradient is already divided by the batch size. */
    public record Result(double loss, Tensor grad, int correct) {
    }

    /** One host batch on the CPU backend. */
    public static Result of(Tensor logits, int[] labels) {
        if (!logits.isMatrix()) {
            throw new IllegalArgumentException("logits must be batch x classes, got " + logits.shapeString());
        }
        int n = logits.rows();
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " rows of logits but " + labels.length + " labels");
        }
        Tensor host = logits.isHost() ? logits : logits.toHost();
        Tensor grad = Tensor.zeros(host.shape());
        Tensor stats = Tensor.zeros(3);
        Backends.host().softmaxCrossEntropy(host, labelTensor(labels), grad, stats);
        float[] s = stats.data();
        if (s[2] > 0) {
            throw new ArithmeticException("non-finite logits in " + (int) s[2] + " of " + n
                    + " rows; training diverged: lower the learning rate");
        }
        return new Result(n == 0 ? 0 : s[0] / (double) n, grad, (int) s[1]);
    }

    /** Class indices as the float tensor the loss kernels read. */
    public static Tensor labelTensor(int[] labels) {
        float[] f = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            f[i] = labels[i];
        }
        return Tensor.wrap(f, Math.max(labels.length, 0));
    }
}
