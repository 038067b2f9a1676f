package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.testing.ChildJvm;

/**
 * An OutOfMemoryError that no size check saw coming still ends as one line with the heap size
 * and the PRUNE4J_JAVA_OPTS fix, not a stack trace (issue 13, item 8).
 */
class OutOfMemoryLineTest {
    @TempDir
    Path tmp;

    @Test
    void anUnforeseenOutOfMemoryIsOneLineWithTheFix() throws Exception {
        Path log = tmp.resolve("oom.log");
        // two 64 MiB operands in a 40 MiB heap; each stays just under the size that is checked in advance
        int code = ChildJvm.run(ChildJvm.cli(tmp, "40m", "crossover", "--m", "4096", "--k", "4096", "--n", "4096",
                "--sparsities", "50%", "--runs", "1", "--warmup", "0", "--no-dlmc", "--out", tmp.toString()), log);
        String out = Files.readString(log);
        assertEquals(1, code, out);
        assertTrue(out.contains("prune4j: out of memory (Java heap space) while running 'crossover --m 4096")
                && out.contains("PRUNE4J_JAVA_OPTS=-Xmx"), out);
        assertFalse(out.contains("\tat ") || out.contains("Exception in thread"), "no stack trace: " + out);
    }
}
