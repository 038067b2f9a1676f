package org.prune4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where sparse beats dense, per backend, shape family and structure: the density below which
 * the sparse kernel was faster than the dense vendor baseline, the median over the family's
 * workloads (interpolated between measured sparsities; 0 when it never won). Written by
 * {@code bench --calibrate}, read by training to choose kernels.
 */
public record Calibration(String date, String machine, List<Entry> entries) {

    /** Every entry is complete, so a file that reads is a file that can be used. */
    public Calibration {
        if (entries == null || entries.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("a calibration needs a list of entries");
        }
        entries = List.copyOf(entries);
    }

    /** One crossover; {@code workloads} is how many shapes it is the median of. */
    public record Entry(String backend, String family, String structure, double sparseBelowDensity, int workloads) {
        public Entry {
            if (backend == null || family == null || structure == null) {
                throw new IllegalArgumentException("a calibration entry needs a backend, a family and a structure");
            }
            if (!(sparseBelowDensity >= 0 && sparseBelowDensity <= 1) || workloads < 0) {
                throw new IllegalArgumentException("a calibration entry needs a density in [0, 1] and a workload count"
                        + " >= 0, got " + sparseBelowDensity + " and " + workloads);
            }
        }
    }

    /** The default file: {@code ~/.prune4j/calibration.json}. */
    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".prune4j", "calibration.json");
    }

    public static Calibration from(BenchSweep.Report report) {
        Map<String, List<Double>> byKey = new LinkedHashMap<>();
        Map<String, List<SweepResult>> series = new LinkedHashMap<>();
        for (SweepResult r : report.results()) {
            // Real patterns come at one sparsity each: no crossover can be read off them.
            if (r.ok() && (r.backend().startsWith("cpu sparse") || r.backend().startsWith("gpu sparse "))
                    && !r.fromFile()) {
                series.computeIfAbsent(r.backend() + "|" + r.family() + "|" + r.structure() + "|" + r.workload(),
                        k -> new ArrayList<>()).add(r);
            }
        }
        series.forEach((key, rs) -> {
            rs.sort(java.util.Comparator.comparingDouble(SweepResult::sparsity));
            String[] p = key.split("\\|");
            byKey.computeIfAbsent(p[0] + "|" + p[1] + "|" + p[2], k -> new ArrayList<>()).add(1 - crossover(rs));
        });
        List<Entry> entries = new ArrayList<>();
        byKey.forEach((key, ds) -> {
            String[] p = key.split("\\|");
            List<Double> sorted = ds.stream().sorted().toList();
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : 0.5 * (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2));
            String backend = p[0].equals("cpu sparse") ? "cpu" : p[0].substring("gpu sparse ".length());
            entries.add(new Entry(backend, p[1], p[2], median, ds.size()));
        });
        return new Calibration(report.date(), report.cpu(), entries);
    }

    /**
     * The sparsity at which the series first runs faster than its baseline, interpolated in
     * speedup between the bracketing points; 1 when it never does (so the density is 0).
     */
    static double crossover(List<SweepResult> rs) {
        for (int i = 0; i < rs.size(); i++) {
            if (rs.get(i).speedup() >= 1) {
                if (i == 0) {
                    return rs.get(0).sparsity();
                }
                SweepResult a = rs.get(i - 1), b = rs.get(i);
                double f = (1 - a.speedup()) / (b.speedup() - a.speedup());
                return a.sparsity() + f * (b.sparsity() - a.sparsity());
            }
        }
        return 1.0;
    }

    public Optional<Entry> find(String backend, String family, String structure) {
        return entries.stream().filter(e -> e.backend().equals(backend) && e.family().equals(family)
                && e.structure().equals(structure)).findFirst();
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write calibration " + file + ": " + org.prune4j.guard.IoErrors.reason(e), e);
        }
    }

    public static Calibration read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Calibration.class);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not a calibration file (" + org.prune4j.guard.IoErrors.reason(e)
                    + "); rerun 'prune4j bench --calibrate' or delete it", e);
        }
    }
}
