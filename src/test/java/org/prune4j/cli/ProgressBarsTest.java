package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The plain progress lines of a background run, on a hand-driven clock. */
class ProgressBarsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void oneLineEvery30SecondsOneAtCompletionNeverTwiceAndNoColour() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        ProgressBars p = new ProgressBars(false, lines::add, now::get);
        p.start("round 0 main 100.0%", 1000);
        p.step(100, "loss 2.0");
        assertEquals(0, lines.size(), "nothing before 30 seconds");
        now.set(31 * SECOND);
        p.step(310, "loss 1.0");
        now.set(40 * SECOND);
        p.step(400, "loss 0.9");
        assertEquals(1, lines.size());
        // 310 steps in 31 s: 10 it/s, 690 left -> 69 s
        assertEquals("round 0 main 100.0%: 310/1000 it (31%), 10.0 it/s, 0:00:31 elapsed, ~0:01:09 left; loss 1.0",
                lines.get(0));
        now.set(100 * SECOND);
        p.step(1000, "loss 0.5");
        p.step(1000, "loss 0.5");
        p.close();
        assertEquals(2, lines.size(), "the completed line once: " + lines);
        assertTrue(lines.get(1).startsWith("round 0 main 100.0%: 1000/1000 it (100%), 10.0 it/s, 0:01:40 elapsed, "
                + "done;"), lines.get(1));
        for (String l : lines) {
            assertFalse(l.contains("\u001b"), "no terminal escape codes: " + l);
        }
        p.start("evaluation only", 0);
        p.step(0, "x");
        p.close();
        assertEquals(2, lines.size(), "no line for a task of no steps");
    }
}
