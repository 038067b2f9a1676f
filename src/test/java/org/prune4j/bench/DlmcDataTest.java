package org.prune4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The repository's DLMC subset is found from where the classes were loaded, not from the working directory. */
class DlmcDataTest {
    @Test
    void theInstallationsOwnCopyIsFoundAndReadable() throws Exception {
        Path d = DlmcData.installed().orElseThrow(() -> new AssertionError("data/dlmc not found above the classes"));
        assertTrue(d.endsWith(Path.of("data", "dlmc")), d.toString());
        List<Path> files;
        try (Stream<Path> s = Files.walk(d)) {
            files = s.filter(p -> p.toString().endsWith(".smtx")).sorted().toList();
        }
        assertTrue(files.size() >= 6, "the GPU suite reads the first six: " + files.size());
        List<Workload> w = Workloads.fromFiles(d, "dlmc", 16);
        assertEquals(files.size(), w.size());
        for (Workload x : w) {
            assertTrue(x.pattern().sparsity() > 0.85, x + " comes from a 0.9 or 0.98 folder");
        }
        assertTrue(Files.exists(d.resolve("README.md")), "provenance travels with the data");
    }
}
