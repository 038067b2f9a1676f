package org.prune4j.wann;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.prune4j.experiment.BuildInfo;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RunDirectory;
import org.prune4j.experiment.RunLock;
import org.prune4j.guard.IoErrors;
import org.prune4j.report.Plots;

/**
 * A WANN search in its own run folder ({@code out/wann-<task>-<hash of the settings>}): locked
 * while it runs, resumable from its checkpoint, and finished by measuring the champion and
 * writing results.json, results.md, progress.csv, the champion's genome and drawing, and the
 * charts.
 */
public final class WannRun {
    /** Whether a folder may exist already. */
    public enum Mode {
        START, RESUME, RESUME_OR_START
    }

    private WannRun() {
    }

    /** The task the settings name: the paper's swing-up, or Fashion-MNIST shrunk as the settings say. */
    public static WannTask task(WannSettings s) {
        if (s.task().equals("swingup")) {
            return new SwingUpTask(CartPoleSwingUp.PAPER, s.episodes(), 16);
        }
        try {
            return DownsampledImages.load(Path.of(s.data()), s.imageSide(), VALIDATION, s.batch(), s.seed());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("validation size")) {
                throw new IllegalArgumentException("wann holds out " + VALIDATION + " training images to choose the "
                        + "tuned weight, and " + s.data() + " has too few: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Training images held out to choose the tuned shared weight. */
    static final int VALIDATION = 5000;

    public static Path folder(Path out, WannSettings s) {
        try {
            return out.resolve("wann-" + s.task() + "-" + Json.hash12(Json.CANONICAL.writeValueAsString(s)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static WannReport run(Path out, WannSettings s, Mode mode, int threads, Consumer<String> log) {
        Path dir = folder(out, s);
        boolean exists = Files.exists(dir.resolve(WannSearch.CHECKPOINT));
        if (exists && mode == Mode.START) {
            throw new IllegalArgumentException(dir + " already holds this search; pass --resume to continue it or "
                    + "--resume-or-start");
        }
        if (!exists && mode == Mode.RESUME) {
            throw new IllegalArgumentException("--resume: " + dir + " has no checkpoint of this search (its first "
                    + "checkpoint comes after " + s.checkpointEvery() + " generations); use --resume-or-start");
        }
        WannTask task = task(s);
        try (RunLock lock = RunLock.acquire(dir)) {
            write(dir.resolve("settings.json"), Json.PRETTY.writeValueAsString(s));
            log.accept("WANN search on " + task.name() + " in " + dir);
            WannSearch.Outcome o = new WannSearch(s, task, threads, log).run(dir);
            WannReport r = WannReport.measure(o.champion(), o.championFitness(), task, s, machine(threads));
            writeResults(dir, s, o, r);
            log.accept("wrote " + dir.resolve("results.md"));
            return r;
        } catch (IOException e) {
            throw IoErrors.wrap("write", dir, e);
        }
    }

    private static void writeResults(Path dir, WannSettings s, WannSearch.Outcome o, WannReport r) throws IOException {
        write(dir.resolve("results.json"), Json.PRETTY.writeValueAsString(r));
        write(dir.resolve("champion.json"), Json.PRETTY.writeValueAsString(o.champion()));
        write(dir.resolve("champion.svg"), TopologySvg.draw(o.champion(), "WANN champion, " + r.task()));
        StringBuilder csv = new StringBuilder("generation,best_mean,best_max,median_mean,best_connections,best_hidden,"
                + "mean_connections,seconds\n");
        for (WannSearch.Generation g : o.history()) {
            csv.append(g.generation()).append(',').append(g.bestMean()).append(',').append(g.bestMax()).append(',')
                    .append(g.medianMean()).append(',').append(g.bestConnections()).append(',')
                    .append(g.bestHidden()).append(',').append(g.meanConnections()).append(',').append(g.seconds())
                    .append('\n');
        }
        write(dir.resolve("progress.csv"), csv.toString());
        write(dir.resolve("results.md"), "# WANN search: " + r.task() + "\n\nSettings: " + s + "\n\n" + r.markdown());
        if (Plots.available()) {
            int n = o.history().size();
            double[] x = new double[n], best = new double[n], median = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = o.history().get(i).generation() + 1;
                best[i] = o.history().get(i).bestMean();
                median[i] = o.history().get(i).medianMean();
            }
            Plots.line(dir.resolve("progress.png"), "WANN search, " + r.task(), "generation",
                    "fitness: " + r.fitnessLabel(), List.of(new Plots.Series("best mean over the weights", x, best),
                            new Plots.Series("population median", x, median)), false);
            double[] flat = new double[r.sweepWeights().length];
            java.util.Arrays.fill(flat, r.randomWeightsMean());
            List<Plots.Series> sweep = new ArrayList<>();
            sweep.add(new Plots.Series("one shared weight", r.sweepWeights(), r.sweepScores()));
            sweep.add(new Plots.Series("random weights per connection (mean of " + r.randomDraws() + ")",
                    r.sweepWeights(), flat));
            Plots.line(dir.resolve("weight-sweep.png"), "WANN champion, " + r.task(), "shared weight",
                    r.scoreLabel(), sweep, false);
        }
    }

    private static Map<String, Object> machine(int threads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prune4j", BuildInfo.current().version());
        m.put("commit", BuildInfo.current().commit());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("threads", threads);
        m.put("java", System.getProperty("java.version"));
        m.put("finished", java.time.Instant.now().toString());
        return m;
    }

    private static void write(Path file, String text) throws IOException {
        RunDirectory.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
