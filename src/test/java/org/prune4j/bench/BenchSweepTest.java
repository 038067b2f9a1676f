package org.prune4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.cli.Main;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.io.MatrixMarket;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** A CI-sized sweep from the command line: the files exist and agree with each other (speed is not checked). */
class BenchSweepTest {
    @TempDir
    Path dir;

    @Test
    void quickSweepWritesConsistentFilesAndACalibration() throws Exception {
        Rng rng = new Rng(System.nanoTime());
        Path mtx = dir.resolve("pattern.mtx");
        MatrixMarket.write(CsrMatrix.fromDense(Tensor.uniform(rng, -1, 1, 40, 50), Mask.random(40, 50, 0.2, rng)), mtx);
        Path cal = dir.resolve("cal.json");
        int code = Main.run("bench", "--quick", "--structures", "csr,bsr4,2:4,channels", "--out", dir.toString(),
                "--name", "s", "--calibrate", "--calibration", cal.toString(), mtx.toString());
        assertEquals(0, code);

        List<String> csv = Files.readAllLines(dir.resolve("s.csv"));
        assertEquals(SweepFiles.CSV_HEADER, csv.get(0));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("s.json").toFile());
        JsonNode results = json.get("report").get("results");
        assertEquals(csv.size() - 1, results.size(), "one CSV row per JSON result");
        String md = Files.readString(dir.resolve("s.md"));
        long mdRows = md.lines().filter(l -> l.startsWith("| lenet") || l.startsWith("| pattern")).count();
        assertEquals(results.size(), mdRows, "one markdown row per result");

        Map<String, List<JsonNode>> series = new HashMap<>();
        boolean sawFile = false;
        for (JsonNode r : results) {
            double ms = r.get("medianMs").asDouble();
            long nnz = r.get("nnz").asLong();
            int m = r.get("m").asInt(), k = r.get("k").asInt(), n = r.get("n").asInt();
            String st = r.get("structure").asText();
            double sp = r.get("sparsity").asDouble();
            assertEquals(r.get("baselineMs").asDouble() / ms, r.get("speedup").asDouble(), 1e-9, "speedup = baseline / time");
            double flops = st.equals("dense") ? 2.0 * m * k * n : 2.0 * nnz * n;
            assertEquals(flops / (ms * 1e6), r.get("gflops").asDouble(), 1e-6 * r.get("gflops").asDouble());
            assertTrue(r.get("runs").asInt() >= 3);
            assertTrue(r.get("minMs").asDouble() <= ms && ms <= r.get("maxMs").asDouble());
            if (!st.equals("dense")) {
                assertTrue(r.get("relError").asDouble() < 1e-4, "checked against dense: " + r);
            }
            if (st.equals("csr") && r.get("family").asText().equals("lenet")) {
                assertEquals(Math.round((1 - sp) * m * k), nnz, "nnz agrees with the sparsity");
            }
            if (st.equals("2:4")) {
                assertEquals(0.5, sp);
            }
            if (r.get("family").asText().equals("file")) {
                sawFile = true;
                assertEquals("csr", st.equals("dense") ? "csr" : st);
            }
            if (!st.equals("dense") && r.get("family").asText().equals("lenet")) {
                series.computeIfAbsent(st + "|" + r.get("workload").asText(), x -> new ArrayList<>()).add(r);
            }
        }
        assertTrue(sawFile, "the .mtx given on the command line was measured");

        String html = Files.readString(dir.resolve("s.html"));
        for (String png : List.of("s-speedup-csr.png", "s-speedup-bsr4.png", "s-speedup-2-4.png",
            "s-speedup-channels.png", "s-roofline.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
            assertTrue(html.contains("src=\"" + png + "\""), "report shows " + png);
        }

        // the report command redraws the same files from the JSON alone
        String mdBefore = Files.readString(dir.resolve("s.md"));
        String csvBefore = Files.readString(dir.resolve("s.csv"));
        Files.delete(dir.resolve("s.md"));
        Files.delete(dir.resolve("s.csv"));
        Files.delete(dir.resolve("s-roofline.png"));
        assertEquals(0, Main.run("report", dir.resolve("s.json").toString()));
        assertEquals(mdBefore, Files.readString(dir.resolve("s.md")));
        assertEquals(csvBefore, Files.readString(dir.resolve("s.csv")));
        assertTrue(Files.size(dir.resolve("s-roofline.png")) > 1000);

        // the calibration's CSR entry is the median over the LeNet shapes of where speedup crosses 1
        JsonNode c = new ObjectMapper().readTree(cal.toFile());
        List<Double> densities = new ArrayList<>();
        series.forEach((key, pts) -> {
            if (key.startsWith("csr|")) {
                pts.sort(java.util.Comparator.comparingDouble(p -> p.get("sparsity").asDouble()));
                double cross = 1;
                for (int i = 0; i < pts.size(); i++) {
                    double s1 = pts.get(i).get("speedup").asDouble();
                    if (s1 >= 1) {
                        if (i == 0) {
                            cross = pts.get(0).get("sparsity").asDouble();
                        } else {
                            double s0 = pts.get(i - 1).get("speedup").asDouble();
                            double x0 = pts.get(i - 1).get("sparsity").asDouble(), x1 = pts.get(i).get("sparsity").asDouble();
                            cross = x0 + (1 - s0) / (s1 - s0) * (x1 - x0);
                        }
                        break;
                    }
                }
                densities.add(1 - cross);
            }
        });
        densities.sort(null);
        double want = densities.get(densities.size() / 2);
        boolean found = false;
        for (JsonNode e : c.get("entries")) {
            if (e.get("family").asText().equals("lenet") && e.get("structure").asText().equals("csr")) {
                assertEquals(want, e.get("sparseBelowDensity").asDouble(), 1e-9);
                assertEquals(3, e.get("workloads").asInt());
                found = true;
            }
        }
        assertTrue(found, "calibration has lenet/csr: " + c);
    }
}
