package org.prune4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.prune4j.data.ImageData;
import org.prune4j.wann.WannReport;
import org.prune4j.wann.WannRun;
import org.prune4j.wann.WannSeeds;
import org.prune4j.wann.WannSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "wann", mixinStandardHelpOptions = true, description = {
    "Gaier and Ha 2019, \"Weight Agnostic Neural Networks\": searches network topologies whose every connection "
        + "shares one weight. Each generation evaluates every network at each --weights value; networks are ranked "
        + "(NSGA-II) on mean fitness and, per generation, either max fitness or fewer connections, and bred by one "
        + "mutation each (add connection, add node, enable connection, change activation). The champion is then "
        + "measured with random weights, a random shared weight, and a tuned shared weight. Writes "
        + "<out>/wann-<task>-<hash>/ with results.md, results.json, progress.csv/png, weight-sweep.png and "
        + "champion.json/svg; checkpoints every --checkpoint-every generations.",
    "Tasks: swingup (the paper's cart-pole swing-up, simulated in Java) and fashion-mnist (images shrunk to "
        + "--image-side, fitness minus the cross-entropy on --batch training images a generation, as the paper did "
        + "for MNIST).",
    "Example: prune4j wann --task swingup --generations 256"})
public final class WannCommand implements Callable<Integer> {

    @Option(names = "--task", defaultValue = "swingup", description = "swingup or fashion-mnist (default "
            + "${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--data", description = "Image folder for fashion-mnist (default " + "/usr/share/datasets/"
            + "fashion-mnist, Debian's dataset-fashion-mnist).")
    Path data;

    @Option(names = "--population", description = "Networks per generation (default 64 swing-up, 128 images).")
    Integer population;

    @Option(names = "--generations", description = "Generations (default 1024 swing-up, 512 images).")
    Integer generations;

    @Option(names = "--seed", description = "Seed (default 1).")
    Long seed;

    @Option(names = "--seeds", split = ",", description = "Replicates: N searches seeded 1..N, or the seeds listed "
            + "(e.g. 4,7), each its own resumable run, pooled into mean and standard deviation per column in "
            + "<out>/<first run>-seeds/comparison.md.")
    List<Long> seeds;

    @Option(names = "--weights", split = ",", description = "Shared weight values each network is evaluated at "
            + "(default the paper's -2,-1,-0.5,0.5,1,2).")
    double[] weights;

    @Option(names = "--episodes", description = "swingup: episodes per weight per generation (default 3).")
    Integer episodes;

    @Option(names = "--batch", description = "fashion-mnist: training images per generation (default 1000).")
    Integer batch;

    @Option(names = "--image-side", description = "fashion-mnist: side the 28x28 images are shrunk to by "
            + "averaging blocks; must divide 28 (default 14).")
    Integer imageSide;

    @Option(names = "--initial-density", description = "Share of input-output connections enabled at the start "
            + "(default 0.5 swing-up, 0.05 images).")
    Double initialDensity;

    @Option(names = "--mutations", split = ",", description = "Relative odds of add-connection, add-node, enable "
            + "and change-activation (default the paper's 0.20,0.25,0.05,0.50).")
    double[] mutations;

    @Option(names = "--tournament", description = "Tournament size (default 4 swing-up, 8 images).")
    Integer tournament;

    @Option(names = "--elite-ratio", description = "Share carried over unchanged (default 0.05 swing-up, 0.2 "
            + "images).")
    Double eliteRatio;

    @Option(names = "--cull-ratio", description = "Share barred from breeding (default 0.2).")
    Double cullRatio;

    @Option(names = "--complexity-odds", description = "Chance a generation ranks on (mean, fewer connections) "
            + "rather than (mean, max) (default 0.8).")
    Double complexityOdds;

    @Option(names = "--finalists", description = "Best networks of the last generation measured again to pick "
            + "the champion (default 8, or the population when smaller).")
    Integer finalists;

    @Option(names = "--checkpoint-every", description = "Generations between checkpoints (default 8).")
    Integer checkpointEvery;

    @Option(names = "--threads", description = "Worker threads (default: all cores). Results do not depend on it.")
    Integer threads;

    @Option(names = "--out", defaultValue = "runs", description = "Parent folder of the run (default "
            + "${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue the search in its folder from its checkpoint.")
    boolean resume;

    @Option(names = "--resume-or-start", description = "Continue when a checkpoint exists, else start; a "
            + "finished search is measured and written again.")
    boolean resumeOrStart;

    @Override
    public Integer call() {
        WannSettings s = settings();
        if (resume && resumeOrStart) {
            throw new IllegalArgumentException("--resume and --resume-or-start exclude each other: pass one");
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workers < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + workers);
        }
        WannRun.Mode mode = resume ? WannRun.Mode.RESUME
                : resumeOrStart ? WannRun.Mode.RESUME_OR_START : WannRun.Mode.START;
        List<Long> replicates = ExperimentCommands.seeds(seeds, seed != null);
        if (replicates.isEmpty()) {
            WannReport r = WannRun.run(out, s, mode, workers, ExperimentCommands::log);
            System.out.print(r.markdown());
            return 0;
        }
        List<WannReport> reports = new ArrayList<>();
        for (long sd : replicates) {
            ExperimentCommands.log("replicate: seed " + sd + " (" + (reports.size() + 1) + " of " + replicates.size()
                    + ")");
            reports.add(WannRun.run(out, s.withSeed(sd), mode, workers, ExperimentCommands::log));
        }
        Path pooled = out.resolve(WannRun.folder(out, s.withSeed(replicates.getFirst())).getFileName() + "-seeds");
        Path md = WannSeeds.write(pooled, s.task(), reports.getFirst().scoreLabel(), replicates, reports);
        System.out.print(WannSeeds.markdown(replicates, reports));
        ExperimentCommands.log("replicates pooled in " + md);
        return 0;
    }

    WannSettings settings() {
        WannSettings.requireTask(task);
        boolean images = task.equals("fashion-mnist");
        List<String> ignored = new ArrayList<>();
        if (images && episodes != null) {
            ignored.add("--episodes (swing-up only)");
        }
        if (!images && (batch != null || imageSide != null || data != null)) {
            ignored.add("--batch, --image-side and --data (fashion-mnist only)");
        }
        if (!ignored.isEmpty()) {
            throw new IllegalArgumentException("--task " + task + " would ignore " + String.join(", ", ignored)
                    + ": leave them out");
        }
        if (mutations != null && mutations.length != 4) {
            throw new IllegalArgumentException("--mutations takes four odds (add-connection, add-node, enable, "
                    + "change-activation), got " + mutations.length);
        }
        long first = seed == null ? 1 : seed;
        WannSettings d = images ? WannSettings.images((data == null ? ImageData.FASHION_MNIST : data).toString(),
                first) : WannSettings.swingUp(first);
        double[] m = mutations == null ? new double[] {d.addConnection(), d.addNode(), d.enable(),
            d.changeActivation()} : mutations;
        return new WannSettings(d.task(), or(population, d.population()), or(generations, d.generations()), first,
                weights == null ? d.weights() : weights, or(episodes, d.episodes()), or(batch, d.batch()),
                or(imageSide, d.imageSide()), d.data(), or(initialDensity, d.initialDensity()), m[0], m[1], m[2], m[3],
                or(tournament, d.tournament()), or(eliteRatio, d.eliteRatio()), or(cullRatio, d.cullRatio()),
                or(complexityOdds, d.complexityOdds()),
                or(finalists, Math.min(d.finalists(), or(population, d.population()))),
                or(checkpointEvery, d.checkpointEvery()));
    }

    private static <T> T or(T given, T fallback) {
        return given == null ? fallback : given;
    }
}
