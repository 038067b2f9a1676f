package org.prune4j.experiment;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prune4j.guard.HostMemory;
import org.prune4j.nn.ModelState;

/**
 * Fuzzing of the checkpoint reader. Random bytes almost never pass the CRC, so most inputs get
 * a valid checksum appended first (the seed is a checkpoint without its checksum) and reach the parser behind it, where every length must be
 * bounded by the file; either a state that writes back to the same bytes, or a
 * {@link CorruptCheckpointException}.
 */
class CheckpointFuzzTest {
    @FuzzTest(maxDuration = "8s")
    void readsOrRefuses(byte[] input) throws IOException {
        Path f = Files.createTempFile("fuzz", ".ckpt");
        Path back = f.resolveSibling(f.getFileName() + ".back");
        try {
            // one input in sixteen keeps its own last 8 bytes as the checksum, so the check itself is fuzzed too
            boolean keepRaw = input.length % 16 == 15;
            byte[] bytes = keepRaw ? input : HostileCheckpointTest.withChecksum(input);
            Files.write(f, bytes);
            ModelState s = Checkpoints.read(f);
            Checkpoints.write(back, s);
            ModelState again = Checkpoints.read(back);
            // values compare by their canonical bits: writing keeps every number but folds NaN payloads into one NaN
            boolean same = s.masks().equals(again.masks()) && s.values().keySet().equals(again.values().keySet())
                    && s.values().keySet().stream().allMatch(k -> sameBits(s.values().get(k), again.values().get(k)));
            if (!same) {
                throw new IllegalStateException("a checkpoint read, written and read again changed");
            }
        } catch (CorruptCheckpointException | HostMemory.TooLarge expected) {
            // a clear refusal is the contract
        } finally {
            Files.deleteIfExists(f);
            Files.deleteIfExists(back);
        }
    }

    private static boolean sameBits(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }
}
