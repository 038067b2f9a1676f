package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prune4j.prune.GradualPruning;
import org.prune4j.prune.LayerwiseScope;
import org.prune4j.prune.MagnitudeScore;
import org.prune4j.prune.Schedule;

/** The early stop of a run whose network changes size is chosen where it has its final size. */
class EarlyStopTest {
    private static EvalPoint at(long it, double valLoss) {
        return new EvalPoint(it, 0, valLoss, 0.5, valLoss, 0.5);
    }

    @Test
    void earlyStopLooksOnlyWhereTheNetworkIsSettled() {
        List<EvalPoint> curve = List.of(at(0, Double.NaN), at(100, 0.3), at(200, 0.5), at(300, 0.4), at(400, 0.45));
        assertEquals(100, new TrainResult(curve, 1, 1, 0).earlyStop().iteration(), "fixed network: lowest loss overall");
        assertEquals(300, new TrainResult(curve, 1, 1, 200).earlyStop().iteration(), "lowest loss from 200 on");
        assertEquals(400, new TrainResult(curve, 1, 1, 400).earlyStop().iteration());
        assertEquals(400, new TrainResult(curve, 1, 1, 1000).earlyStop().iteration(), "nothing settled: the last point");
    }

    @Test
    void aGradualScheduleSettlesAtItsEnd() {
        GradualPruning g = new GradualPruning(new Schedule.Gradual(0.9, 5000, 30000, 100), new MagnitudeScore(),
                new LayerwiseScope(1), null, null, 60, line -> { });
        assertEquals(30000, g.settledFrom());
    }
}
