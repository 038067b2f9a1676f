package org.prune4j.bench;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prune4j.backend.Backends;
import org.prune4j.train.StepCalibration;

/**
 * Fuzzing of both calibration files: {@code bench --calibrate}'s, which must read or fail with
 * the file named, and the whole-step cache, which must read or be set aside and measured again,
 * never fail.
 */
class CalibrationFuzzTest {
    @FuzzTest(maxDuration = "8s")
    void readsOrRefuses(byte[] input) throws IOException {
        Path f = Files.createTempFile("fuzz", ".json");
        try {
            Files.write(f, input);
            try {
                Calibration c = Calibration.read(f);
                c.entries().forEach(e -> c.find(e.backend(), e.family(), e.structure()));
            } catch (UncheckedIOException expected) {
                if (!expected.getMessage().contains(f.toString())) {
                    throw new IllegalStateException("the error does not name the file: " + expected.getMessage());
                }
            }
            new StepCalibration(Backends.host(), f, 1, line -> { }).entries();
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
