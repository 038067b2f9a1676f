package org.prune4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.prune4j.exchange.ModelFiles;
import org.prune4j.experiment.Checkpoints;
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RoundResult;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prune4j export}: a trained round of a run as safetensors or .npz. */
@Command(name = "export", mixinStandardHelpOptions = true, description = {
    "Write the trained network of a run's round as safetensors or NumPy .npz (chosen by --out's extension):",
    "every parameter dense, each mask as 0/1 bytes, the CSR parts of layers that trained sparse, and metadata",
    "(architecture, per-layer format and density, a checksum). 'prune4j import' reads it back bit for bit."})
public final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "A run folder (with settings.json and round-NN/main.ckpt).")
    Path run;

    @Option(names = "--out", required = true, description = "The file to write: NAME.safetensors or NAME.npz.")
    Path out;

    @Option(names = "--round", description = "Which round's trained network (default: the last with a checkpoint).")
    Integer round;

    @Option(names = "--input", defaultValue = "1x28x28", description = "Input shape CxHxW the model was built for "
            + "(default ${DEFAULT-VALUE}, Fashion-MNIST).")
    String input;

    @Option(names = "--classes", defaultValue = "10", description = "Output classes (default ${DEFAULT-VALUE}).")
    int classes;

    @Override
    public Integer call() throws IOException {
        ModelFiles.Format.of(out);
        Path settingsFile = run.resolve("settings.json");
        if (!Files.isRegularFile(settingsFile)) {
            throw new IllegalArgumentException(run + " is not a run folder: it has no settings.json");
        }
        ExperimentSettings s = Json.PRETTY.readValue(settingsFile.toFile(), ExperimentSettings.class);
        int r = round != null ? round : lastRound();
        Path ckpt = run.resolve(String.format("round-%02d/main.ckpt", r));
        if (!Files.isRegularFile(ckpt)) {
            throw new IllegalArgumentException(run + " has no checkpoint for round " + r + " (" + ckpt.getFileName()
                    + "); finish the round with --resume, or choose another with --round");
        }
        int[] in = shape(input);
        Model model = Models.create(s.model(), in[0], in[1], in[2], classes, new Rng(0));
        try {
            model.load(Checkpoints.read(ckpt));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ckpt + " does not fit a " + s.model() + " on " + input + " input with "
                    + classes + " classes (" + e.getMessage() + "); pass --input and --classes of the run's data", e);
        }
        Path resultFile = run.resolve(String.format("round-%02d/main.json", r));
        if (Files.isRegularFile(resultFile)) {
            RoundResult res = Json.PRETTY.readValue(resultFile.toFile(), RoundResult.class);
            for (WeightedLayer l : model.weightedLayers()) {
                String name = l.weight().name() + ":";
                l.useSparseKernel(res.kernels().stream().anyMatch(k -> k.startsWith(name) && k.contains("CSR")));
            }
        }
        ModelFiles.write(model, out);
        System.out.printf("wrote %s: %s round %d, %d of %d weights (%.2f%%)%n", out, s.model(), r,
                model.aliveWeights(), model.weightCount(), 100 * model.density());
        return 0;
    }

    private int lastRound() throws IOException {
        try (Stream<Path> dirs = Files.list(run)) {
            return dirs.filter(d -> d.getFileName().toString().matches("round-\\d+")
                    && Files.isRegularFile(d.resolve("main.ckpt")))
                    .mapToInt(d -> Integer.parseInt(d.getFileName().toString().substring(6))).max()
                    .orElseThrow(() -> new IllegalArgumentException(run + " has no finished round yet"));
        }
    }

    static int[] shape(String text) {
        String[] p = text.split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("--input takes CxHxW, such as 1x28x28; got '" + text + "'");
        }
        int[] s = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                s[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--input takes CxHxW, such as 1x28x28; '" + p[i] + "' is not a size");
            }
            if (s[i] <= 0) {
                throw new IllegalArgumentException("--input sizes must be positive, got '" + text + "'");
            }
        }
        return s;
    }
}
