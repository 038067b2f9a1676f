package org.prune4j.train;

import org.prune4j.backend.Backend;
import org.prune4j.data.Dataset;
import org.prune4j.nn.Model;
import org.prune4j.nn.Pass;
import org.prune4j.nn.SoftmaxCrossEntropy;
import org.prune4j.tensor.Tensor;

/** Mean loss and accuracy of a model on a data set, in evaluation mode. */
public record Evaluation(double loss, double accuracy) {
    private static final int BATCH = 1000;

    public static Evaluation of(Model model, Dataset data, Backend backend) {
        int n = data.size();
        if (n == 0) {
            return new Evaluation(Double.NaN, Double.NaN);
        }
        int[] all = new int[n];
        java.util.Arrays.setAll(all, i -> i);
        double loss = 0;
        long correct = 0;
        Pass pass = Pass.eval(backend);
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            Tensor logits = model.forward(data.images(all, from, to), pass);
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.of(logits, data.labels(all, from, to));
            loss += r.loss() * (to - from);
            correct += r.correct();
        }
        return new Evaluation(loss / n, correct / (double) n);
    }
}
