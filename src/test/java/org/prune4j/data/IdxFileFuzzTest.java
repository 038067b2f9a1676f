package org.prune4j.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prune4j.guard.HostMemory;

/**
 * Coverage-guided fuzzing of the IDX reader: any bytes either read as an IDX file or fail with
 * {@link MalformedDataException} (or a heap-size refusal); anything else, an out-of-memory or a
 * hang is a finding. CI fuzzes for a few seconds; see docs/reliability.md for longer runs.
 */
class IdxFileFuzzTest {
    @FuzzTest(maxDuration = "8s")
    void readsOrRefuses(byte[] input) throws IOException {
        Path f = Files.createTempFile("fuzz", ".idx");
        try {
            Files.write(f, input);
            IdxFile idx = IdxFile.read(f);
            long n = 1;
            for (int d : idx.dims()) {
                n *= d;
            }
            if (n != idx.values().length) {
                throw new IllegalStateException("dims and values disagree");
            }
        } catch (MalformedDataException | HostMemory.TooLarge expected) {
            // a clear refusal is the contract
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
