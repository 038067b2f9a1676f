package org.prune4j.sparse.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prune4j.guard.HostMemory;
import org.prune4j.tensor.Rng;

/** Fuzzing of the DLMC .smtx reader: a valid CSR pattern or a {@link MalformedMatrixFileException}. */
class SmtxFuzzTest {
    /** The fuzzer's finding: a valid 3 x 881,942,086 pattern whose dense copy no Java array can hold. */
    @org.junit.jupiter.api.Test
    void aDenseCopyTooLargeForAnArrayIsRefusedClearly() throws IOException {
        Path f = Files.createTempFile("huge", ".smtx");
        try {
            Files.writeString(f, "3, 881942086, 2\n0 1 2 2\n5 7\n");
            var m = Smtx.read(f, new Rng(1));
            HostMemory.TooLarge e = org.junit.jupiter.api.Assertions.assertThrows(HostMemory.TooLarge.class,
                    m::toDense);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("more than one Java array holds"),
                    e.getMessage());
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @FuzzTest(maxDuration = "8s")
    void readsOrRefuses(byte[] input) throws IOException {
        Path f = Files.createTempFile("fuzz", ".smtx");
        try {
            Files.write(f, input);
            Smtx.read(f, new Rng(1)).toDense();
        } catch (MalformedMatrixFileException | HostMemory.TooLarge expected) {
            // a clear refusal is the contract
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
