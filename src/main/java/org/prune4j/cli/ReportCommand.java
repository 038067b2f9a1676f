package org.prune4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.prune4j.bench.BenchSweep;
import org.prune4j.bench.SweepFiles;
import org.prune4j.report.Comparison;
import org.prune4j.report.ComparisonFiles;
import org.prune4j.report.ExperimentReport;
import org.prune4j.report.RunResults;
import org.prune4j.report.Plots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code prune4j report}: redraws the CSV, Markdown, plots and HTML of a finished run from its
 * JSON, on any machine with the full build: GPU hosts run the bundle, which writes results but
 * leaves the charting libraries out.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Redraw reports and plots from an experiment folder (results.json) or a bench sweep .json file.",
            "With --compare OUT: several runs (run folders, or folders of run folders) on one chart and in one table,",
            "seeds pooled into mean and standard deviation: comparison.csv, .md, .png, comparison-time.png and "
                + "comparison-pareto.png (accuracy vs milliseconds per training step, or vs training time for runs "
                + "that did not record their steps' time), and for runs made with --latency their inference times and "
                + "comparison-inference.png.",
            "With --step-times RUNS: the step times come from those runs instead (the same networks trained briefly "
                + "on a quiet machine), matched by method, model, weights left, batch size and backend."})
public final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "A run folder holding results.json, or a sweep's "
            + ".json file; with --compare, any number of run folders or folders holding them.")
    List<Path> paths;

    @picocli.CommandLine.Option(names = "--compare", paramLabel = "OUT", description = "Compare the runs and write "
            + "the comparison into OUT.")
    Path compare;

    @picocli.CommandLine.Option(names = "--step-times", paramLabel = "RUNS", split = ",", description = "With "
            + "--compare: take every network's milliseconds per training step from these run folders (or folders "
            + "of them), matched by method, model, weights left, batch size and backend, rather than from the "
            + "compared runs.")
    List<Path> stepTimes;

    Path path;

    @picocli.CommandLine.Option(names = "--calibration", description = "For a sweep: also write its calibration here.")
    Path calibration;

    @Override
    public Integer call() throws Exception {
        if (compare != null) {
            List<Comparison.Row> rows = Comparison.rows(runs(paths));
            if (stepTimes != null) {
                rows = Comparison.withStepTimes(rows, Comparison.rows(runs(stepTimes)));
            }
            ComparisonFiles.write(rows, compare).forEach(f -> System.out.println("wrote " + f));
            return 0;
        }
        if (stepTimes != null) {
            throw new IllegalArgumentException("--step-times only goes with --compare OUT: it times the rows of a "
                    + "comparison");
        }
        if (paths.size() != 1) {
            throw new IllegalArgumentException("one PATH at a time without --compare; to put several runs on one chart, "
                    + "add --compare OUT");
        }
        path = paths.get(0);
        if (!Plots.available()) {
            throw new IllegalStateException("this Java runtime cannot draw (no java.desktop or XChart); run the report "
                    + "command from the full build (./prune4j), not the GPU bundle");
        }
        if (Files.isDirectory(path)) {
            RunResults run = RunResults.read(path);
            ExperimentReport.write(path, run.settings(), run.results(), run.machine());
            System.out.println("redrew " + path.resolve("results.csv") + ", the charts (accuracy, curves, small "
                    + "multiples) and " + path.resolve("report.html"));
            return 0;
        }
        if (!Files.isRegularFile(path) || !path.toString().endsWith(".json")) {
            throw new IllegalArgumentException(path + " is neither a run folder nor a sweep .json file");
        }
        JsonNode root = new ObjectMapper().readTree(path.toFile());
        if (root.get("report") == null) {
            throw new IllegalArgumentException(path + " is not a sweep written by 'prune4j bench'");
        }
        BenchSweep.Report report = new ObjectMapper().treeToValue(root.get("report"), BenchSweep.Report.class);
        String name = path.getFileName().toString().replaceFirst("\\.json$", "");
        Path dir = path.toAbsolutePath().getParent();
        SweepFiles.write(report, root.path("command").asText(""), dir, name).forEach(f -> System.out.println("wrote " + f));
        if (calibration != null) {
            org.prune4j.bench.Calibration.from(report).write(calibration);
            System.out.println("wrote " + calibration);
        }
        return 0;
    }

    /** The runs in {@code folders}: run folders themselves, or folders holding run folders. */
    private static List<RunResults> runs(List<Path> folders) throws java.io.IOException {
        List<RunResults> runs = new ArrayList<>();
        for (Path p : folders) {
            if (RunResults.isRun(p)) {
                runs.add(RunResults.read(p));
            } else if (Files.isDirectory(p)) {
                try (var list = Files.list(p)) {
                    for (Path d : list.sorted().filter(RunResults::isRun).toList()) {
                        runs.add(RunResults.read(d));
                    }
                }
            } else {
                throw new IllegalArgumentException(p + " is neither a run folder nor a folder of runs");
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no run folders (with results.json) in " + folders);
        }
        return runs;
    }
}
