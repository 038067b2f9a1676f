package org.prune4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows on disk as they are measured; an empty run never replaces an earlier result. */
class ResultsCsvTest {
    @TempDir
    Path dir;

    @Test
    void eachRowIsOnDiskBeforeTheNextIsMeasured() throws Exception {
        Path f = dir.resolve("t.csv");
        ResultsCsv csv = ResultsCsv.open(f, "a,b");
        csv.append("1,2", true);
        assertEquals(List.of("a,b", "1,2"), Files.readAllLines(csv.partialFile()), "flushed at once");
        csv.append("x,\"error, with a comma\"", false);
        assertEquals(f, csv.finish());
        assertEquals(3, Files.readAllLines(f).size());
        assertFalse(Files.exists(csv.partialFile()));
    }

    @Test
    void aRunThatMeasuredNothingLeavesTheEarlierResultAlone() throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "a,b\nearlier,result\n");
        ResultsCsv csv = ResultsCsv.open(f, "a,b");
        csv.append("cuBLAS,fault CUDA_ERROR_ILLEGAL_ADDRESS", false);
        assertNull(csv.finish());
        assertEquals("a,b\nearlier,result\n", Files.readString(f));
        assertTrue(Files.readString(csv.partialFile()).contains("fault"), "the errors stay beside it");
    }

    @Test
    void fieldsWithCommasOrQuotesAreQuoted() {
        assertEquals("plain", ResultsCsv.field("plain"));
        assertEquals("\"a, b\"", ResultsCsv.field("a, b"));
        assertEquals("\"say \"\"x\"\"\"", ResultsCsv.field("say \"x\""));
        assertEquals("one line", ResultsCsv.field("one\nline"));
        assertEquals("", ResultsCsv.field(null));
    }
}
