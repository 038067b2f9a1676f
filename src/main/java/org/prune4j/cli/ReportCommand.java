package org.prune4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.prune4j.bench.BenchSweep;
import org.prune4j.bench.SweepFiles;
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RoundResult;
import org.prune4j.report.ExperimentReport;
import org.prune4j.report.Plots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code prune4j report}: redraws the CSV, Markdown, plots and HTML of a finished run from its
 * JSON, on any machine with the full build: GPU hosts run the bundle, which writes results but
 * leaves the charting libraries out.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Redraw reports and plots from an experiment folder (results.json) or a bench sweep .json file.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", description = "A run folder holding results.json, or a sweep's .json file.")
    Path path;

    @picocli.CommandLine.Option(names = "--calibration", description = "For a sweep: also write its calibration here.")
    Path calibration;

    @Override
    public Integer call() throws Exception {
        if (!Plots.available()) {
            throw new IllegalStateException("this Java runtime cannot draw (no java.desktop or XChart); run the report "
                    + "command from the full build (./prune4j), not the GPU bundle");
        }
        if (Files.isDirectory(path)) {
            Path json = path.resolve("results.json");
            if (!Files.exists(json)) {
                throw new IllegalArgumentException(path + " has no results.json; is it a run folder?");
            }
            JsonNode root = Json.PRETTY.readTree(json.toFile());
            ExperimentSettings settings = Json.PRETTY.treeToValue(root.get("settings"), ExperimentSettings.class);
            List<RoundResult> results = new ArrayList<>();
            for (JsonNode r : root.get("results")) {
                results.add(Json.PRETTY.treeToValue(r, RoundResult.class));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> machine = Json.PRETTY.treeToValue(root.get("machine"), Map.class);
            ExperimentReport.write(path, settings, results, machine);
            System.out.println("redrew " + path.resolve("results.csv") + ", accuracy.png, curves.png");
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
}
