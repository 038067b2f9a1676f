package org.prune4j.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.nn.Model;
import org.prune4j.nn.ModelState;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

class CheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsValuesAndMasksAndDetectsDamage() throws IOException {
        Rng rng = new Rng(System.nanoTime());
        Model m = Models.create("mlp-bn", 1, 5, 5, 10, rng);
        Parameter fc2 = m.parameter("fc2.weight");
        fc2.setMask(Mask.random(fc2.value().rows(), fc2.value().cols(), 0.37, rng));
        ModelState s = m.state();
        Path f = dir.resolve("x/model.ckpt");
        Checkpoints.write(f, s);
        ModelState back = Checkpoints.read(f);
        assertEquals(s.values().keySet(), back.values().keySet());
        for (String k : s.values().keySet()) {
            assertArrayEquals(s.values().get(k), back.values().get(k), k);
        }
        assertEquals(s.masks(), back.masks());
        Model m2 = Models.create("mlp-bn", 1, 5, 5, 10, rng.split(5));
        m2.load(back);
        assertEquals(fc2.mask(), m2.parameter("fc2.weight").mask());
        assertArrayEquals(fc2.value().data(), m2.parameter("fc2.weight").value().data());

        byte[] bytes = Files.readAllBytes(f);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        Files.write(f, flipped);
        assertTrue(assertThrows(IllegalStateException.class, () -> Checkpoints.read(f)).getMessage()
                .contains("corrupt"));
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 20));
        assertTrue(assertThrows(IllegalStateException.class, () -> Checkpoints.read(f)).getMessage()
                .contains("truncated"));
        assertTrue(Files.list(f.getParent()).noneMatch(p -> p.toString().endsWith(".tmp")));
    }
}
