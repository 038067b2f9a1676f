package org.prune4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.data.Noise;
import org.prune4j.experiment.NoiseRobustness;
import org.prune4j.report.NoiseReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "noise", mixinStandardHelpOptions = true, description = {
    "Ahmad and Scheinkman 2019, \"How can we be so dense?\": test accuracy of trained networks under noise at "
        + "increasing levels (their Figure 5B), e.g. dense-mlp against kwta-mlp. Each run folder's last finished "
        + "round (or --round) is measured on its own test set; every network sees the same corrupted images. Runs "
        + "of one model and method are pooled over their seeds. Writes <name>.csv, .md and .png into --out.",
    "Example: prune4j noise --noise gaussian --run runs/train-dense-mlp-* runs/train-kwta-mlp-*"})
public final class NoiseCommand implements Callable<Integer> {

    @Option(names = "--run", arity = "1..*", required = true, paramLabel = "DIR",
            description = "Run folders written by train, prune or lottery.")
    List<Path> runs;

    @Option(names = "--noise", defaultValue = "gaussian", description = "gaussian: each pixel plus level x range x "
            + "N(0,1); uniform: plus level x range x U(-1,1) (range: the training pixels' min to max, black to white); "
            + "pixels: the paper's, a level fraction of each image's pixels set to white (training mean + 2 std). "
            + "Default ${DEFAULT-VALUE}.")
    String noise;

    @Option(names = "--levels", split = ",", defaultValue = "0,0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.45,0.5",
            description = "Noise levels (default the paper's: ${DEFAULT-VALUE}).")
    double[] levels;

    @Option(names = "--no-clip", description = "Leave gaussian or uniform noise unclipped; by default noisy pixels "
            + "are clipped to the training pixels' range, so they stay values a real image can hold.")
    boolean noClip;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the noise (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--round", defaultValue = "-1", description = "Round to measure (default: each run's last "
            + "finished round).")
    int round;

    @Option(names = "--out", defaultValue = "runs", description = "Folder for the results (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--name", description = "File name of the results, without extension (default noise-<noise>).")
    String name;

    @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu or cuda.")
    String backend;

    @Override
    public Integer call() {
        Noise.Kind kind = Noise.Kind.named(noise);
        if (noClip && kind == Noise.Kind.PIXELS) {
            throw new IllegalArgumentException("--no-clip applies to gaussian and uniform noise; pixels noise sets "
                    + "pixels to white and has nothing to clip: leave it out");
        }
        if (levels.length == 0) {
            throw new IllegalArgumentException("--levels needs at least one level");
        }
        for (double l : levels) {
            new Noise(kind, l, !noClip);
        }
        if (round < -1) {
            throw new IllegalArgumentException("--round must be 0 or more, got " + round);
        }
        String file = name == null ? "noise-" + kind.label() : name;
        if (file.isBlank() || file.contains("/")) {
            throw new IllegalArgumentException("--name is a file name without folders or extension, got '" + file
                    + "'");
        }
        List<NoiseRobustness.TrainedRun> trained = new ArrayList<>();
        for (Path r : runs) {
            trained.add(NoiseRobustness.TrainedRun.read(r, round));
        }
        try (Backend be = Backends.routed(Backends.open(backend))) {
            ExperimentCommands.log("backend " + be.description());
            List<NoiseRobustness.Curve> curves = NoiseRobustness.measure(trained, kind, levels, !noClip, seed, be,
                    ExperimentCommands::log);
            String heading = "Test accuracy under " + kind.label() + " noise" + (kind == Noise.Kind.PIXELS || !noClip
                    ? "" : ", unclipped") + " (noise seed " + seed + ")";
            String x = kind == Noise.Kind.PIXELS ? "fraction of pixels set to white"
                    : kind == Noise.Kind.GAUSSIAN ? "noise standard deviation (fraction of the pixel range)"
                    : "noise half-width (fraction of the pixel range)";
            NoiseReport.write(curves, out, file, heading, x).forEach(p -> ExperimentCommands.log("wrote " + p));
            System.out.print(NoiseReport.markdown(NoiseReport.pool(curves), heading));
        }
        return 0;
    }
}
