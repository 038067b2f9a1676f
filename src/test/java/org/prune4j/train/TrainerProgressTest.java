package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.backend.Backends;
import org.prune4j.data.ImageData;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Sgd;
import org.prune4j.tensor.Rng;
import org.prune4j.testing.TinyData;

/**
 * Training reports every step to its progress, with the latest evaluation, so that a background
 * log can say where a run is between evaluations that lie many minutes apart (Conv-4 on a CPU).
 */
class TrainerProgressTest {
    @TempDir
    Path tmp;

    @Test
    void everyStepIsReportedWithTheLatestEvaluation() throws Exception {
        ImageData data = ImageData.load(TinyData.write(tmp.resolve("data"), 400, 10, 2), 100, 1);
        List<Long> steps = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        Progress record = new Progress() {
            public void start(String task, long total) {
                assertEquals(25, total);
            }

            public void step(long done, String message) {
                steps.add(done);
                messages.add(message);
            }

            public void close() {
            }
        };
        Model m = Models.create("lenet300", 1, 10, 10, 10, new Rng(1));
        new Trainer(Backends.host(), record).train(m, new Sgd(0.9, false, 0), LearningRate.constant(0.05), data,
                new TrainConfig(25, 20, 10, 1), "t", List.of());
        assertEquals(LongStream.rangeClosed(1, 25).boxed().toList(), steps);
        assertTrue(messages.get(8).endsWith("before training"), messages.get(8));
        assertTrue(messages.get(9).startsWith("loss "), "iteration 10 evaluates: " + messages.get(9));
        assertEquals(messages.get(9), messages.get(18), "until the next evaluation the message stays");
        assertTrue(!messages.get(19).equals(messages.get(18)) && !messages.get(24).equals(messages.get(19)),
                "iterations 20 and 25 (the last) evaluate again");
    }
}
