package org.prune4j.sparse.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.prune4j.guard.HostMemory;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.tensor.Rng;

/**
 * Fuzzing of the Matrix Market reader: any text reads as a matrix that writes back and reads
 * again to the same matrix, or fails with {@link MalformedMatrixFileException} naming the line.
 */
class MatrixMarketFuzzTest {
    @FuzzTest(maxDuration = "8s")
    void readsOrRefuses(byte[] input) throws IOException {
        Path f = Files.createTempFile("fuzz", ".mtx");
        Path back = Files.createTempFile("fuzz-back", ".mtx");
        try {
            Files.write(f, input);
            CsrMatrix m = MatrixMarket.read(f, new Rng(1));
            MatrixMarket.write(m, back);
            CsrMatrix again = MatrixMarket.read(back, new Rng(2));
            if (m.rows() != again.rows() || m.cols() != again.cols() || !Arrays.equals(m.rowPtr(), again.rowPtr())
                    || !Arrays.equals(m.colIdx(), again.colIdx()) || !Arrays.equals(m.values(), again.values())) {
                throw new IllegalStateException("a matrix read, written and read again changed");
            }
        } catch (MalformedMatrixFileException | HostMemory.TooLarge expected) {
            // a clear refusal is the contract
        } finally {
            Files.deleteIfExists(f);
            Files.deleteIfExists(back);
        }
    }
}
