package org.prune4j.wann;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RunDirectory;
import org.prune4j.guard.IoErrors;

/**
 * Replicates of one search pooled: each seed's champion measured as {@link WannReport} does,
 * then the mean and standard deviation over seeds of each of the paper's columns, written as
 * {@code comparison.md} and {@code comparison.json} in {@code <first run>-seeds}.
 */
public final class WannSeeds {
    private WannSeeds() {
    }

    private record Column(String name, ToDoubleFunction<WannReport> value) {
    }

    private static List<Column> columns(boolean ensemble) {
        List<Column> c = new ArrayList<>(List.of(new Column("random weights", WannReport::randomWeightsMean),
                new Column("random shared weight", WannReport::randomSharedMean),
                new Column("tuned shared weight", WannReport::tunedScore)));
        if (ensemble) {
            c.add(new Column("ensemble of the search weights", r -> r.ensembleScore()));
        }
        c.add(new Column("champion's connections", WannReport::connections));
        return c;
    }

    /** The pooled table; {@code seeds} in the order of {@code reports}. */
    public static String markdown(List<Long> seeds, List<WannReport> reports) {
        List<Column> cols = columns(reports.stream().allMatch(r -> r.ensembleScore() != null));
        StringBuilder md = new StringBuilder("| seed |");
        cols.forEach(c -> md.append(' ').append(c.name()).append(" |"));
        md.append("\n|---|").append("---:|".repeat(cols.size())).append('\n');
        for (int i = 0; i < reports.size(); i++) {
            md.append("| ").append(seeds.get(i)).append(" |");
            for (Column c : cols) {
                md.append(String.format(Locale.ROOT, " %.2f |", c.value().applyAsDouble(reports.get(i))));
            }
            md.append('\n');
        }
        md.append("| mean ± sd over ").append(reports.size()).append(" seeds |");
        for (Column c : cols) {
            double[] v = reports.stream().mapToDouble(c.value()).toArray();
            md.append(String.format(Locale.ROOT, " %.2f ± %.2f |", WannSearch.mean(v), WannReport.sd(v)));
        }
        return md.append('\n').toString();
    }

    /** Writes the pooled table and the reports into {@code dir}; returns the Markdown file. */
    public static Path write(Path dir, String task, String scoreLabel, List<Long> seeds, List<WannReport> reports) {
        Path md = dir.resolve("comparison.md"), json = dir.resolve("comparison.json");
        try {
            String text = "# WANN replicates: " + task + "\n\nScores: " + scoreLabel + ". Each seed's columns are "
                    + "as in its run's results.md.\n\n" + markdown(seeds, reports);
            RunDirectory.writeAtomically(md, text.getBytes(StandardCharsets.UTF_8));
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("seeds", seeds);
            all.put("reports", reports);
            RunDirectory.writeAtomically(json, Json.PRETTY.writeValueAsBytes(all));
        } catch (IOException e) {
            throw IoErrors.wrap("write", dir, e);
        }
        return md;
    }
}
