package org.prune4j.sparse.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prune4j.guard.HostMemory;
import org.prune4j.tensor.Rng;

/** Fuzzing of the DLMC .smtx reader: a valid CSR pattern or a {@link MalformedMatrixFileException}. */
class SmtxFuzzTest {
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
