package org.prune4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CrossoverTest {
    private static SpmmCrossoverBench.SparseResult point(double sparsity, double ms) {
        return new SpmmCrossoverBench.SparseResult("x", 1, 1, 1, sparsity, 1, new Timing(ms, ms, ms, 1), 0, 0, 0, 0,
                "ok", "");
    }

    @Test
    void interpolatesBetweenTheBracketingSparsities() {
        // Dense takes 10 ms; CSR takes 20 ms at 80% and 5 ms at 90%: crosses where 20 -> 10 is 2/3 of the way.
        var sweep = List.of(point(0.5, 40), point(0.8, 20), point(0.9, 5));
        assertEquals(0.8 + (10.0 / 15.0) * 0.1, SpmmCrossoverBench.crossover(sweep, 10), 1e-12);
        assertEquals(0.5, SpmmCrossoverBench.crossover(sweep, 100), 1e-12);
        assertTrue(Double.isNaN(SpmmCrossoverBench.crossover(sweep, 1)));
    }

    @Test
    void aMismatchedPointIsLeftOutOfTheInterpolation() {
        // the 80% point disagreed with the dense product and has no time: the crossover is read
        // between 50% (40 ms) and 90% (5 ms) alone
        var bad = new SpmmCrossoverBench.SparseResult("x", 1, 1, 1, 0.8, 1, new Timing(Double.NaN, Double.NaN,
                Double.NaN, 0), Double.NaN, 0, 0, 0.5, "mismatch", "relative error 0.5");
        var sweep = List.of(point(0.5, 40), bad, point(0.9, 5));
        assertEquals(0.5 + (30.0 / 35.0) * 0.4, SpmmCrossoverBench.crossover(sweep, 10), 1e-12);
    }
}
