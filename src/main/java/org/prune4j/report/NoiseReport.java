package org.prune4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prune4j.experiment.NoiseRobustness.Curve;

/**
 * The noise-robustness comparison as files: {@code <name>.csv} (one row per network and level),
 * {@code <name>.md} (accuracy per level, networks of one label pooled over their seeds as mean
 * +- sample deviation) and {@code <name>.png} (accuracy against noise level, a line per label
 * with +- one deviation), the form of Ahmad and Scheinkman's Figure 5B.
 */
public final class NoiseReport {
    private NoiseReport() {
    }

    /** Networks of one label pooled: mean and sample deviation of the accuracy at each level. */
    public record Pooled(String label, int networks, double density, double[] levels, double[] mean, double[] sd) {
    }

    public static List<Pooled> pool(List<Curve> curves) {
        Map<String, List<Curve>> byLabel = new LinkedHashMap<>();
        for (Curve c : curves) {
            byLabel.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(c);
        }
        List<Pooled> out = new ArrayList<>();
        for (var e : byLabel.entrySet()) {
            List<Curve> cs = e.getValue();
            double[] levels = cs.get(0).levels();
            for (Curve c : cs) {
                if (!java.util.Arrays.equals(c.levels(), levels)) {
                    throw new IllegalArgumentException("networks labelled " + e.getKey() + " were measured at "
                            + "different levels; pool only curves of one measurement");
                }
            }
            double[] mean = new double[levels.length], sd = new double[levels.length];
            for (int i = 0; i < levels.length; i++) {
                double s = 0;
                for (Curve c : cs) {
                    s += c.accuracy()[i];
                }
                mean[i] = s / cs.size();
                double v = 0;
                for (Curve c : cs) {
                    v += (c.accuracy()[i] - mean[i]) * (c.accuracy()[i] - mean[i]);
                }
                sd[i] = cs.size() > 1 ? Math.sqrt(v / (cs.size() - 1)) : 0;
            }
            out.add(new Pooled(e.getKey(), cs.size(), cs.get(0).density(), levels, mean, sd));
        }
        return out;
    }

    /** The pooled table in Markdown, accuracies in %. */
    public static String markdown(List<Pooled> pooled, String heading) {
        StringBuilder sb = new StringBuilder("**" + heading + "** (test accuracy, %; mean ± sample deviation over "
                + "seeds)\n\n| network | weights | seeds |");
        double[] levels = pooled.get(0).levels();
        StringBuilder rule = new StringBuilder("|---|---:|---:|");
        for (double l : levels) {
            sb.append(String.format(Locale.ROOT, " %s |", level(l)));
            rule.append("---:|");
        }
        sb.append('\n').append(rule).append('\n');
        for (Pooled p : pooled) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f%% | %d |", p.label(), 100 * p.density(), p.networks()));
            for (int i = 0; i < p.levels().length; i++) {
                sb.append(p.networks() > 1 ? String.format(Locale.ROOT, " %.2f ± %.2f |", 100 * p.mean()[i],
                        100 * p.sd()[i]) : String.format(Locale.ROOT, " %.2f |", 100 * p.mean()[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String level(double l) {
        return l == Math.rint(l) ? String.valueOf((long) l) : String.valueOf(l);
    }

    /** Writes the csv, md and (where this runtime can draw) png; returns the files written. */
    public static List<Path> write(List<Curve> curves, Path dir, String name, String heading, String xLabel) {
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("no networks were measured");
        }
        try {
            Files.createDirectories(dir);
            List<Path> out = new ArrayList<>();
            StringBuilder csv = new StringBuilder("label,run,seed,density,level,test_accuracy\n");
            for (Curve c : curves) {
                for (int i = 0; i < c.levels().length; i++) {
                    csv.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%.6f,%s,%.4f%n", c.label(), c.run(), c.seed(),
                            c.density(), c.levels()[i], c.accuracy()[i]));
                }
            }
            Path csvFile = dir.resolve(name + ".csv");
            Files.writeString(csvFile, csv);
            out.add(csvFile);
            List<Pooled> pooled = pool(curves);
            Path md = dir.resolve(name + ".md");
            Files.writeString(md, markdown(pooled, heading));
            out.add(md);
            if (Plots.available()) {
                List<Plots.Series> series = new ArrayList<>();
                for (Pooled p : pooled) {
                    double[] y = new double[p.levels().length], err = new double[y.length];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = 100 * p.mean()[i];
                        err[i] = 100 * p.sd()[i];
                    }
                    series.add(new Plots.Series(p.label() + (p.networks() > 1 ? " (" + p.networks() + " seeds)" : ""),
                            p.levels(), y, p.networks() > 1 ? err : null));
                }
                Path png = dir.resolve(name + ".png");
                Plots.line(png, heading, xLabel, "test accuracy (%)", series, false);
                out.add(png);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the noise comparison to " + dir + ": " + e.getMessage(), e);
        }
    }
}
