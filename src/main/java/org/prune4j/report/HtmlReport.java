package org.prune4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RoundResult;

/**
 * report.html in a run folder: what ran (settings and provenance), every round and branch in
 * one table, and the run's charts, in one page that opens from the folder with no server and
 * no scripts.
 */
public final class HtmlReport {
    /** The charts a run may have, in the order the page shows them, with their captions. */
    private static final List<String[]> CHARTS = List.of(
            new String[] {"accuracy", "Test accuracy at the early-stopping point against weights remaining"},
            new String[] {"early-stop", "Early-stopping iteration against weights remaining"},
            new String[] {"layers", "Weights kept per layer, main branch"},
            new String[] {"untrained", "Masks evaluated without training"},
            new String[] {"curves-accuracy", "Validation and test accuracy during training, one panel per round"},
            new String[] {"curves-loss", "Training and validation loss during training, one panel per round"});

    private HtmlReport() {
    }

    public static void write(Path dir, ExperimentSettings settings, List<RoundResult> rows, Map<String, Object> machine) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc(settings.runName())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;"
                        + "max-width:1200px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
                        + "padding:3px 8px;text-align:right}th{background:#eee}td.l,th.l{text-align:left}"
                        + "img{max-width:100%;border:1px solid #ddd}pre{background:#f6f6f6;padding:1em;overflow:auto}"
                        + "</style></head><body>\n");
        h.append("<h1>").append(esc(settings.runName())).append("</h1>\n<p>").append(esc(settings.kind()))
                .append(" of ").append(esc(settings.model())).append(" on ").append(esc(settings.data()))
                .append(", seed ").append(settings.seed()).append("</p>\n");
        h.append("<h2>Results</h2>\n<table><tr><th>round</th><th class=\"l\">branch</th><th class=\"l\">method</th>"
                + "<th>weights remaining</th><th>early-stop iteration</th><th>test accuracy at early stop</th>"
                + "<th>final test accuracy</th><th>seconds</th><th>ms per training step</th></tr>\n");
        for (RoundResult r : rows) {
            h.append("<tr><td>").append(r.round()).append("</td><td class=\"l\">").append(esc(r.branch()))
                    .append("</td><td class=\"l\">").append(esc(r.method())).append("</td><td>")
                    .append(pct(r.density())).append("</td><td>").append(r.earlyStop().iteration()).append("</td><td>")
                    .append(pct(r.earlyStop().testAccuracy())).append("</td><td>").append(pct(r.last().testAccuracy()))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.1f", r.seconds())).append("</td><td>")
                    .append(Figures.threeDigits(r.msPerStep()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (String[] c : CHARTS) {
            if (Files.exists(dir.resolve(c[0] + ".png"))) {
                h.append("<figure><img src=\"").append(c[0]).append(".png\" alt=\"").append(esc(c[1]))
                        .append("\"><figcaption>").append(esc(c[1]));
                if (Files.exists(dir.resolve(c[0] + ".svg"))) {
                    h.append(" (<a href=\"").append(c[0]).append(".svg\">SVG</a>)");
                }
                h.append("</figcaption></figure>\n");
            }
        }
        h.append("<h2>Provenance</h2>\n<table>\n");
        machine.forEach((k, v) -> h.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td class=\"l\">")
                .append(esc(String.valueOf(v))).append("</td></tr>\n"));
        h.append("</table>\n<h2>Settings</h2>\n<pre>");
        try {
            h.append(esc(Json.PRETTY.writeValueAsString(settings)));
            h.append("</pre>\n<p>Files: <a href=\"results.json\">results.json</a>, <a href=\"results.csv\">results.csv"
                    + "</a>, <a href=\"settings.json\">settings.json</a>.</p>\n</body></html>\n");
            ExperimentReport.atomically(dir.resolve("report.html"), h.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("report.html") + ": "
                    + org.prune4j.guard.IoErrors.reason(e), e);
        }
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
