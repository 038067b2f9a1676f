package org.prune4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.data.ImageData;
import org.prune4j.exchange.ModelFiles;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prune4j import}: reads an exported model, says what it holds, and optionally evaluates it. */
@Command(name = "import", mixinStandardHelpOptions = true, description = {
    "Read a model written by 'prune4j export' (.safetensors or .npz), check it (checksum, format version, shapes",
    "against the architecture, masks), print its layers, and with --data evaluate it on that data set's test split."})
public final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--data", description = "An MNIST-format folder to evaluate the model on (its test split).")
    Path data;

    @Option(names = "--backend", defaultValue = "auto", description = "Backend for --data (default ${DEFAULT-VALUE}).")
    String backend;

    @Override
    public Integer call() {
        Model m = ModelFiles.read(file);
        System.out.println(file + ": " + m.describe());
        for (WeightedLayer l : m.weightedLayers()) {
            Parameter w = l.weight();
            System.out.printf("  %-14s %-12s density %.4f%n", w.name(), w.mask() == null ? "dense"
                    : l.sparseKernel() ? "csr" : "masked-dense", w.density());
        }
        System.out.printf("  %d of %d weights (%.2f%%)%n", m.aliveWeights(), m.weightCount(), 100 * m.density());
        if (data != null) {
            ImageData d = ImageData.load(data, 0, 1);
            try (Backend b = Backends.routed(Backends.open(backend))) {
                Evaluation e = Evaluation.of(m, d.test(), b);
                System.out.printf("  test accuracy %.2f%%, loss %.4f on %d examples of %s (%s)%n", 100 * e.accuracy(),
                        e.loss(), d.test().size(), data, b.name());
            }
        }
        return 0;
    }
}
