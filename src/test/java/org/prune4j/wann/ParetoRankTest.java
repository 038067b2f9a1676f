package org.prune4j.wann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** NSGA-II fronts against the brute-force definition of dominance. */
class ParetoRankTest {

    @Test
    void frontsFollowDominance() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + rng.nextInt(60);
            double[][] obj = new double[n][2];
            for (double[] o : obj) {
                o[0] = rng.nextInt(8);
                o[1] = rng.nextInt(8);
            }
            int[] front = ParetoRank.fronts(obj);
            for (int i = 0; i < n; i++) {
                boolean dominated = false;
                for (int j = 0; j < n; j++) {
                    boolean jBeatsI = obj[j][0] >= obj[i][0] && obj[j][1] >= obj[i][1]
                            && (obj[j][0] > obj[i][0] || obj[j][1] > obj[i][1]);
                    dominated |= jBeatsI;
                    if (jBeatsI) {
                        assertTrue(front[j] < front[i], j + " dominates " + i + " but is not in an earlier front");
                    }
                }
                assertEquals(!dominated, front[i] == 0, "individual " + i);
                if (front[i] > 0) {
                    final int me = i;
                    boolean byPrevious = java.util.stream.IntStream.range(0, n).anyMatch(j -> front[j] == front[me] - 1
                            && ParetoRank.dominates(obj[j], obj[me]));
                    assertTrue(byPrevious, "front " + front[i] + " member " + i + " is dominated by no one of the "
                            + "front before it");
                }
            }
            int[] order = ParetoRank.order(obj);
            for (int k = 1; k < n; k++) {
                assertTrue(front[order[k - 1]] <= front[order[k]], "order is not by front");
            }
        }
    }

    @Test
    void interiorPointsRankByCrowdingDistance() {
        // one front; hand-worked distances (ranges 4 and 4): (1, 3.5) has 3/4 + 3/4 = 1.5,
        // (3, 1) has 3/4 + 3.5/4 = 1.625, so (3, 1) comes right after the two extremes
        double[][] obj = {{1, 3.5}, {0, 4}, {3, 1}, {4, 0}};
        int[] order = ParetoRank.order(obj);
        assertEquals(java.util.Set.of(1, 3), java.util.Set.of(order[0], order[1]));
        assertEquals(2, order[2]);
        assertEquals(0, order[3]);
    }

    @Test
    void extremesOfAFrontComeBeforeItsInterior() {
        double[][] obj = {{2, 2}, {1, 3}, {3, 1}, {0, 4}, {4, 0}};
        int[] order = ParetoRank.order(obj);
        java.util.Set<Integer> firstTwo = java.util.Set.of(order[0], order[1]);
        assertEquals(java.util.Set.of(3, 4), firstTwo);
    }
}
