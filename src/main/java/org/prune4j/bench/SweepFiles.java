package org.prune4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.prune4j.report.Plots;

/**
 * Writes a sweep as {@code <name>.json} (everything), {@code .csv} (one row per point),
 * {@code .md} (summary and full tables), PNG plots (speedup vs sparsity per structure, one line
 * per backend and shape family; achieved GFLOP/s against the roofline) and a one-page
 * {@code .html} report that shows them together.
 */
public final class SweepFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SweepFiles() {
    }

    /** Writes every file; returns the paths written. */
    public static List<Path> write(BenchSweep.Report r, String command, Path dir, String name) {
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("command", command);
            json.put("report", r);
            out.add(write(dir.resolve(name + ".json"), JSON.writeValueAsString(json)));
            out.add(write(dir.resolve(name + ".csv"), csv(r)));
            out.add(write(dir.resolve(name + ".md"), markdown(r, command)));
            List<String> images = Plots.available() ? plots(r, dir, name) : List.of();
            images.forEach(i -> out.add(dir.resolve(i)));
            out.add(write(dir.resolve(name + ".html"), html(r, command, images, name)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results in " + dir + ": " + org.prune4j.guard.IoErrors.reason(e), e);
        }
        return out;
    }

    private static Path write(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardCharsets.UTF_8);
        return f;
    }

    public static final String CSV_HEADER = "family,workload,m,k,n,structure,sparsity,precision,backend,nnz,median_ms,"
            + "min_ms,max_ms,runs,gflops,bytes,gbs,intensity,roofline_fraction,baseline,baseline_ms,speedup,rel_error,"
            + "host_us,status,note";

    static String csv(BenchSweep.Report r) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (SweepResult x : r.results()) {
            sb.append(csvRow(x)).append('\n');
        }
        return sb.toString();
    }

    /** One result as a CSV line (no newline), the same whether streamed or written at the end. */
    public static String csvRow(SweepResult x) {
        return String.join(",", x.family(), quote(x.workload()), "" + x.m(), "" + x.k(), "" + x.n(), x.structure(),
                f(x.sparsity()), x.precision(), quote(x.backend()), "" + x.nnz(), f(x.medianMs()), f(x.minMs()),
                f(x.maxMs()), "" + x.runs(), f(x.gflops()), f(x.bytes()), f(x.gbs()), f(x.intensity()),
                f(x.rooflineFraction()), quote(x.baseline()), f(x.baselineMs()), f(x.speedup()), f(x.relError()),
                f(x.hostUs()), x.ok() ? "ok" : x.status(), ResultsCsv.field(x.note()));
    }

    /**
     * Median speedup over the workloads of each backend, structure and sparsity (to the nearest
     * percent), sparse kernels only; {@code files} selects the real patterns or the drawn ones.
     */
    static Map<String, Map<Double, Double>> summary(BenchSweep.Report r, boolean files) {
        Map<String, Map<Double, List<Double>>> acc = new LinkedHashMap<>();
        for (SweepResult x : r.results()) {
            if (x.ok() && !x.structure().equals("dense") && x.fromFile() == files) {
                String key = x.backend().equals("cpu sparse") ? x.structure() : x.structure() + " (" + x.backend()
                        + (x.precision().equals("fp32") ? "" : ", " + x.precision()) + ")";
                acc.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(Math.round(x.sparsity() * 100) / 100.0,
                        k -> new ArrayList<>()).add(x.speedup());
            }
        }
        Map<String, Map<Double, Double>> out = new LinkedHashMap<>();
        acc.forEach((s, m) -> {
            Map<Double, Double> med = new TreeMap<>();
            m.forEach((sp, v) -> med.put(sp, median(v)));
            out.put(s, med);
        });
        return out;
    }

    static String markdown(BenchSweep.Report r, String command) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Sparse vs dense sweep\n\n");
        sb.append("- date: ").append(r.date()).append("\n- machine: ").append(r.cpu()).append("; ")
                .append(r.machine()).append("\n- command: `").append(command).append("`\n");
        sb.append(String.format(Locale.ROOT, "- CPU: measured peak %.0f GFLOP/s (FMA loop), bandwidth %.1f GB/s (triad)%n",
                r.peakGflops(), r.bandwidthGBs()));
        sb.append(r.gpu() == null || r.gpu().equals("none") ? "- GPU: none\n" : String.format(Locale.ROOT,
                "- GPU: %s; roofline from the measured SGEMM rate %.0f GFLOP/s (4096^3) and copy bandwidth %.0f GB/s%n",
                r.gpu(), r.gpuPeakGflops(), r.gpuBandwidthGBs()));
        sb.append("- every point: median of its runs after warm-up, activations rotated past the last-level cache, "
                + "checked against the dense product of the same masked weight\n");
        for (String s : r.skipped()) {
            sb.append("- not measured: ").append(s).append('\n');
        }
        summaryTable(sb, "Median speedup over the dense baseline: drawn masks, LeNet, ResNet-50 and Transformer shapes",
                summary(r, false));
        Map<String, Map<Double, Double>> real = summary(r, true);
        if (!real.isEmpty()) {
            summaryTable(sb, "Median speedup over the dense baseline: real pruned patterns (DLMC and files), CSR",
                    real);
        }
        sb.append("\n## All points\n\n| workload | m x k x n | structure | sparsity | precision | backend | ms (min-max)"
                + " | GFLOP/s | GB/s | roofline | speedup |\n|---|---|---|---:|---|---|---|---:|---:|---:|---:|\n");
        for (SweepResult x : r.results()) {
            if (!x.ok() && Double.isNaN(x.medianMs())) {
                sb.append(String.format(Locale.ROOT, "| %s | %dx%dx%d | %s | %.0f%% | %s | %s | %s: %s | | | | |%n",
                        x.workload(), x.m(), x.k(), x.n(), x.structure(), 100 * x.sparsity(), x.precision(),
                        x.backend(), x.status(), x.note() == null ? "" : x.note().replace("|", "/")));
                continue;
            }
            sb.append(String.format(Locale.ROOT, "| %s | %dx%dx%d | %s | %.0f%% | %s | %s | %.3f (%.3f-%.3f)%s | %.1f"
                    + " | %.1f | %.0f%% | %.2fx |%n", x.workload(), x.m(), x.k(), x.n(), x.structure(), 100 * x.sparsity(),
                    x.precision(), x.backend(), x.medianMs(), x.minMs(), x.maxMs(), x.ok() ? "" : " " + x.status(),
                    x.gflops(), x.gbs(), 100 * x.rooflineFraction(), x.speedup()));
        }
        return sb.toString();
    }

    private static void summaryTable(StringBuilder sb, String title, Map<String, Map<Double, Double>> sum) {
        TreeSet<Double> sps = new TreeSet<>();
        sum.values().forEach(m -> sps.addAll(m.keySet()));
        sb.append("\n## ").append(title).append("\n\n| structure |");
        sps.forEach(s -> sb.append(String.format(Locale.ROOT, " %.0f%% |", 100 * s)));
        sb.append("\n|---|");
        sps.forEach(s -> sb.append("---:|"));
        sb.append('\n');
        sum.forEach((st, m) -> {
            sb.append("| ").append(st).append(" |");
            sps.forEach(s -> sb.append(m.containsKey(s) ? String.format(Locale.ROOT, " %.2fx |", m.get(s)) : " |"));
            sb.append('\n');
        });
    }

    private static List<String> plots(BenchSweep.Report r, Path dir, String name) {
        List<String> images = new ArrayList<>();
        Map<String, Map<String, Map<Double, List<Double>>>> byStructure = new LinkedHashMap<>();
        for (SweepResult x : r.results()) {
            if (x.structure().equals("dense") || !x.ok()) {
                continue;
            }
            byStructure.computeIfAbsent(x.structure(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(x.backend() + ", " + x.family(), k -> new TreeMap<>())
                    .computeIfAbsent((double) Math.round(100 * x.sparsity()), k -> new ArrayList<>()).add(x.speedup());
        }
        byStructure.forEach((st, lines) -> {
            List<Plots.Series> series = new ArrayList<>();
            lines.forEach((label, pts) -> {
                double[] xs = pts.keySet().stream().mapToDouble(Double::doubleValue).toArray();
                double[] ys = pts.values().stream().mapToDouble(SweepFiles::median).toArray();
                series.add(new Plots.Series(label, xs, ys));
            });
            String file = name + "-speedup-" + st.replace(':', '-') + ".png";
            Plots.line(dir.resolve(file), st + ": median speedup over the dense baseline", "sparsity (%)",
                    "speedup (x)", series, false);
            images.add(file);
        });
        Map<String, List<double[]>> pts = new LinkedHashMap<>();
        for (SweepResult x : r.results()) {
            if (x.ok()) {
                pts.computeIfAbsent(x.structure(), k -> new ArrayList<>()).add(new double[] {x.intensity(), x.gflops()});
            }
        }
        List<Plots.Series> series = new ArrayList<>();
        pts.forEach((st, list) -> series.add(new Plots.Series(st, list.stream().mapToDouble(p -> p[0]).toArray(),
                list.stream().mapToDouble(p -> p[1]).toArray())));
        double[] ai = {0.05, r.peakGflops() / r.bandwidthGBs(), 1000};
        series.add(new Plots.Series("roofline", ai, new double[] {ai[0] * r.bandwidthGBs(), r.peakGflops(),
            r.peakGflops()}));
        if (Double.isFinite(r.gpuPeakGflops())) {
            double[] g = {0.05, r.gpuPeakGflops() / r.gpuBandwidthGBs(), 1000};
            series.add(new Plots.Series("roofline gpu", g, new double[] {g[0] * r.gpuBandwidthGBs(), r.gpuPeakGflops(),
                r.gpuPeakGflops()}));
        }
        String roof = name + "-roofline.png";
        Plots.scatter(dir.resolve(roof), "achieved GFLOP/s against the roofline", "flops per byte", "GFLOP/s", series);
        images.add(roof);
        return images;
    }

    static String html(BenchSweep.Report r, String command, List<String> images, String name) {
        StringBuilder sb = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Prune4J sweep "
                + r.date() + "</title><style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                + "img{max-width:49%}</style></head><body>");
        sb.append("<h1>Sparse vs dense sweep</h1><p>").append(esc(r.cpu())).append("; ").append(esc(r.machine()))
                .append("<br>").append(r.date()).append("<br><code>").append(esc(command)).append("</code><br>")
                .append(String.format(Locale.ROOT, "peak %.0f GFLOP/s, bandwidth %.1f GB/s", r.peakGflops(),
                        r.bandwidthGBs())).append("</p>");
        Map<String, Map<Double, Double>> sum = summary(r, false);
        TreeSet<Double> sps = new TreeSet<>();
        sum.values().forEach(m -> sps.addAll(m.keySet()));
        sb.append("<h2>Median speedup over the dense baseline</h2><table><tr><th>structure</th>");
        sps.forEach(s -> sb.append(String.format(Locale.ROOT, "<th>%.0f%%</th>", 100 * s)));
        sb.append("</tr>");
        sum.forEach((st, m) -> {
            sb.append("<tr><th>").append(esc(st)).append("</th>");
            sps.forEach(s -> sb.append("<td>").append(m.containsKey(s) ? String.format(Locale.ROOT, "%.2fx", m.get(s))
                    : "").append("</td>"));
            sb.append("</tr>");
        });
        sb.append("</table>");
        for (String img : images) {
            sb.append("<img src=\"").append(img).append("\" alt=\"").append(img).append("\">");
        }
        if (!r.skipped().isEmpty()) {
            sb.append("<h2>Not measured</h2><ul>");
            r.skipped().forEach(s -> sb.append("<li>").append(esc(s)).append("</li>"));
            sb.append("</ul>");
        }
        sb.append("<p>All ").append(r.results().size()).append(" points: <a href=\"").append(name)
                .append(".csv\">CSV</a>, <a href=\"").append(name).append(".json\">JSON</a>, <a href=\"").append(name)
                .append(".md\">Markdown</a>.</p></body></html>\n");
        return sb.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : 0.5 * (s.get(n / 2 - 1) + s.get(n / 2));
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String quote(String s) {
        return s.contains(",") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
