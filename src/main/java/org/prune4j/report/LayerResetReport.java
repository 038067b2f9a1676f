package org.prune4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.LayerReset;

/**
 * Writes a {@link LayerReset} measurement: {@code layer-reset.json} (the numbers),
 * {@code .csv} (one row per layer and reset), {@code .md} (a table like the paper's figure)
 * and {@code .png} (the heat map: rows are layers, columns the checkpoint each layer was reset
 * to, then a fresh random draw; cells are test accuracy in %).
 */
public final class LayerResetReport {
    private LayerResetReport() {
    }

    public static List<Path> write(LayerReset r, Path dir, String heading) {
        try {
            Files.createDirectories(dir);
            List<Path> out = new ArrayList<>();
            Path json = dir.resolve("layer-reset.json");
            Json.PRETTY.writeValue(json.toFile(), r);
            out.add(json);
            StringBuilder csv = new StringBuilder("layer,reset_to,test_accuracy,change\n");
            r.rows().forEach(m -> csv.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f%n", m.get("layer"),
                    m.get("reset_to"), (double) m.get("test_accuracy"), (double) m.get("change"))));
            Path csvFile = dir.resolve("layer-reset.csv");
            Files.writeString(csvFile, csv);
            out.add(csvFile);
            Path md = dir.resolve("layer-reset.md");
            Files.writeString(md, markdown(r, heading));
            out.add(md);
            if (Plots.available()) {
                Path png = dir.resolve("layer-reset.png");
                List<String> columns = new ArrayList<>(r.checkpoints().stream().map(c -> "it " + c).toList());
                columns.add("random");
                double[][] v = new double[r.layers().size()][columns.size()];
                double min = 100 * r.trained();
                for (int i = 0; i < v.length; i++) {
                    for (int j = 0; j < r.checkpoints().size(); j++) {
                        v[i][j] = 100 * r.reinitialised()[i][j];
                        min = Math.min(min, v[i][j]);
                    }
                    v[i][columns.size() - 1] = 100 * r.rerandomised()[i];
                    min = Math.min(min, v[i][columns.size() - 1]);
                }
                Plots.heatMap(png, heading + ": test accuracy (%) with one layer reset (trained: "
                        + String.format(Locale.ROOT, "%.2f", 100 * r.trained()) + ")", "reset to", "layer",
                        columns, r.layers(), v, min, 100 * r.trained());
                out.add(png);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the layer-reset results to " + dir + ": "
                    + org.prune4j.guard.IoErrors.reason(e), e);
        }
    }

    /** The table of {@code layer-reset.md}, like the paper's figure in numbers. */
    public static String markdown(LayerReset r, String heading) {
        StringBuilder b = new StringBuilder("# ").append(heading).append("\n\n");
        b.append(String.format(Locale.ROOT, "Test accuracy of the trained network: %.2f%%. Each cell: the test accuracy "
                + "with that one layer reset to its parameters at that training iteration (0: the initialisation) or "
                + "to a fresh random draw, every other layer trained.%n%n", 100 * r.trained()));
        b.append("| layer |");
        r.checkpoints().forEach(c -> b.append(" it ").append(c).append(" |"));
        b.append(" random |\n|---|");
        r.checkpoints().forEach(c -> b.append("---:|"));
        b.append("---:|\n");
        for (int i = 0; i < r.layers().size(); i++) {
            b.append("| ").append(r.layers().get(i)).append(" |");
            for (int j = 0; j < r.checkpoints().size(); j++) {
                b.append(String.format(Locale.ROOT, " %.2f |", 100 * r.reinitialised()[i][j]));
            }
            b.append(String.format(Locale.ROOT, " %.2f |%n", 100 * r.rerandomised()[i]));
        }
        return b.toString();
    }
}
