package org.prune4j.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.bench.InferenceBench;
import org.prune4j.exchange.ModelFiles;
import org.prune4j.nn.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prune4j infer}: an exported model's inference speed, pruned against dense. */
@Command(name = "infer", mixinStandardHelpOptions = true, description = {
    "Run an exported model (.safetensors or .npz) at several batch sizes, each layer on the kernel that measured",
    "faster for its forward product at that batch, against the same model all dense: latency and throughput."})
public final class InferCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--backend", defaultValue = "auto", description = "Backend (default ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--batches", split = ",", defaultValue = "1,16,256,4096",
            description = "Batch sizes (default ${DEFAULT-VALUE}).")
    int[] batches;

    @Option(names = "--runs", defaultValue = "10", description = "At least this many timed passes per row.")
    int runs;

    @Override
    public Integer call() {
        for (int b : batches) {
            if (b <= 0) {
                throw new IllegalArgumentException("--batches takes positive sizes, got " + Arrays.toString(batches));
            }
        }
        if (runs <= 0) {
            throw new IllegalArgumentException("--runs must be positive, got " + runs);
        }
        Model m = ModelFiles.read(file);
        try (Backend b = Backends.routed(Backends.open(backend))) {
            System.out.println(file + ": " + m.describe() + String.format(" at %.2f%% density", 100 * m.density())
                    + " on " + b.description());
            InferenceBench.run(b, m, batches, runs, System.out::println);
        }
        return 0;
    }
}
