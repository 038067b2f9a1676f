package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.backend.Backends;
import org.prune4j.data.ImageData;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RoundResult;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Sgd;
import org.prune4j.tensor.Rng;
import org.prune4j.testing.TinyData;

/**
 * A round's step time counts what a step does (batch, step, hooks after it) and none of the
 * evaluations, so milliseconds per step stay a speed even where evaluating dominates the round.
 */
class TrainerStepTimeTest {
    @TempDir
    Path tmp;

    @Test
    void stepTimeLeavesOutEvaluationsAndKeepsWhatRunsBesideTheSteps() throws Exception {
        ImageData data = ImageData.load(TinyData.write(tmp.resolve("data"), 400, 10, 2), 100, 1);
        // 5 ms after each of 20 steps belongs to the steps; 200 ms before each of the three
        // evaluations (0, 10, 20) does not
        Trainer.Hook slow = new Trainer.Hook() {
            public void afterStep(long iteration, Model model) {
                sleep(5);
            }

            public void beforeEvaluation(long iteration, Model model) {
                sleep(200);
            }
        };
        Model m = Models.create("lenet300", 1, 10, 10, 10, new Rng(1));
        TrainResult t = new Trainer(Backends.host(), Progress.NONE).train(m, new Sgd(0.9, false, 0),
                LearningRate.constant(0.05), data, new TrainConfig(20, 10, 10, 1), "t", List.of(slow));
        assertTrue(t.stepSeconds() >= 0.100, "the hooks' 100 ms after steps count: " + t.stepSeconds());
        assertTrue(t.seconds() - t.stepSeconds() >= 0.600, "the evaluations' 600 ms do not: " + t);
    }

    @Test
    void msPerStepIsStepTimeOverIterationsAndAbsentInOlderResults() throws Exception {
        EvalPoint last = new EvalPoint(400, 0.1, 0.2, 0.9, 0.2, 0.9);
        RoundResult r = new RoundResult(1, "main", "m", Map.of(), 10, 100, 0.1, last, last, 9.0, List.of(),
                List.of(last), null, null, 2.0);
        assertEquals(5.0, r.msPerStep(), 1e-12, "2 s over 400 steps");
        String json = Json.PRETTY.writeValueAsString(r);
        assertEquals(5.0, Json.PRETTY.readValue(json, RoundResult.class).msPerStep(), 1e-12);
        String older = json.replaceAll(",\\s*\"stepSeconds\"\\s*:\\s*2\\.0", "");
        assertTrue(!older.contains("stepSeconds"), older);
        assertTrue(Double.isNaN(Json.PRETTY.readValue(older, RoundResult.class).msPerStep()),
                "a result written before step times has none");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
