package org.prune4j.backend.cuda.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.cli.Main;

/**
 * The smoke step end to end through real child JVMs, without a GPU: one family's child acts
 * out a sticky CUDA fault, another dies without a word (as a crash in native code does), and
 * the family between them must still run and report, every kernel must get a line, and the
 * faulting families must be left out of the later steps.
 */
class SmokeIsolationTest {
    @TempDir
    Path dir;

    @Test
    void aFaultOrACrashCostsOnlyItsOwnFamily() throws Exception {
        Path out = dir.resolve("smoke.txt"), passed = dir.resolve("passed.txt");
        int code = Main.run("gpu-smoke", "--family", "csr,sddmm,cublas", "--inject", "csr=fault", "--inject",
                "cublas=crash", "--timeout", "60", "--out", out.toString(), "--passed-file", passed.toString());
        assertEquals(1, code, "a fault and a crash fail the step");
        List<String[]> rows = Files.readAllLines(out).stream().skip(1).map(l -> l.split("\\s+", 4)).toList();
        Map<String, List<String>> byFamily = rows.stream().collect(Collectors.groupingBy(r -> r[0],
                Collectors.mapping(r -> r[2], Collectors.toList())));
        for (String f : List.of("csr", "sddmm", "cublas")) {
            assertEquals(SmokeFamilies.cases(f, 0).size(), byFamily.get(f).size(), "one line per " + f + " kernel");
        }
        assertEquals("fault", byFamily.get("csr").get(0));
        assertTrue(rows.get(0)[3].startsWith("CUDA_ERROR_ILLEGAL_ADDRESS"), String.join(" ", rows.get(0)));
        assertTrue(byFamily.get("csr").subList(1, 4).stream().allMatch("not-run"::equals));
        // the family after the fault ran in a clean process: pass on a GPU, skip without one
        assertTrue(byFamily.get("sddmm").stream().allMatch(o -> o.equals("pass") || o.equals("skip")),
                byFamily.get("sddmm").toString());
        assertTrue(byFamily.get("cublas").stream().allMatch("crashed"::equals), byFamily.get("cublas").toString());
        assertTrue(Files.readString(out).contains("exited with status 134"));
        assertEquals("sddmm", Files.readString(passed).trim(), "only the clean family is fit for the later steps");
    }
}
