package org.prune4j.exchange;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prune4j.guard.HostMemory;

/**
 * Fuzzing of the model-file readers (safetensors and NumPy .npz): any bytes either read or fail
 * with a {@link ModelFileException}.
 */
class ModelFileFuzzTest {
    @FuzzTest(maxDuration = "8s")
    void readsOrRefuses(byte[] input) throws IOException {
        boolean npz = input.length > 1 && input[0] == 'P' && input[1] == 'K'; // a zip, as .npz files are
        Path f = Files.createTempFile("fuzz", npz ? ".npz" : ".safetensors");
        try {
            Files.write(f, input);
            if (npz) {
                Npz.read(f);
            } else {
                SafeTensors.read(f);
            }
        } catch (ModelFileException | HostMemory.TooLarge expected) {
            // a clear refusal is the contract
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
