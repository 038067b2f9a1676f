package org.prune4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RoundResult;
import org.prune4j.guard.IoErrors;

/** A finished (or partly finished) run read back from its folder's results.json. */
public record RunResults(Path dir, ExperimentSettings settings, List<RoundResult> results, Map<String, Object> machine) {

    public RunResults {
        results = List.copyOf(results);
    }

    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("results.json"));
    }

    public static RunResults read(Path dir) {
        Path json = dir.resolve("results.json");
        if (!Files.exists(json)) {
            throw new IllegalArgumentException(dir + " has no results.json; is it a run folder?");
        }
        try {
            JsonNode root = Json.PRETTY.readTree(json.toFile());
            ExperimentSettings settings = Json.PRETTY.treeToValue(root.get("settings"), ExperimentSettings.class);
            List<RoundResult> results = new ArrayList<>();
            for (JsonNode r : root.get("results")) {
                results.add(Json.PRETTY.treeToValue(r, RoundResult.class));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> machine = Json.PRETTY.treeToValue(root.get("machine"), Map.class);
            return new RunResults(dir, settings, results, machine);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + json + ": " + (e instanceof IOException io
                    ? IoErrors.reason(io) : e.getMessage()), e);
        }
    }
}
