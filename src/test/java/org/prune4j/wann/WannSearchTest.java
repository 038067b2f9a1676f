package org.prune4j.wann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search: resumable exactly, independent of threads, elitist, and able to learn a simple task. */
class WannSearchTest {
    @TempDir
    Path dir;

    private static final CartPoleSwingUp SHORT = new CartPoleSwingUp(9.82, 0.5, 0.5, 0.6, 10, 0.1, 0.01, 60, 2.4);

    private static WannSettings settings(int generations, double eliteRatio) {
        return new WannSettings("swingup", 12, generations, 7, WannSettings.PAPER_WEIGHTS, 2, 1000, 14, null, 0.5,
                0.2, 0.25, 0.05, 0.5, 3, eliteRatio, 0.2, 0.8, 4, 2);
    }

    /** Delegates to a task and fails on its {@code failAt}-th fitness call, like a crash mid-run. */
    private record Crashing(WannTask task, int failAt, AtomicInteger calls) implements WannTask {
        public String name() {
            return task.name();
        }

        public int inputs() {
            return task.inputs();
        }

        public int outputs() {
            return task.outputs();
        }

        public Activation outputActivation() {
            return task.outputActivation();
        }

        public String fitnessLabel() {
            return task.fitnessLabel();
        }

        public String scoreLabel() {
            return task.scoreLabel();
        }

        public double[] fitness(Network net, double[][] weightSets, long seed) {
            if (calls.incrementAndGet() == failAt) {
                throw new IllegalStateException("simulated crash");
            }
            return task.fitness(net, weightSets, seed);
        }

        public double selectionScore(Network net, double[] weights, long seed) {
            return task.selectionScore(net, weights, seed);
        }

        public double score(Network net, double[] weights, long seed) {
            return task.score(net, weights, seed);
        }
    }

    private static List<WannSearch.Generation> withoutTimes(List<WannSearch.Generation> h) {
        return h.stream().map(g -> new WannSearch.Generation(g.generation(), g.bestMean(), g.bestMax(),
                g.medianMean(), g.bestConnections(), g.bestHidden(), g.meanConnections(), 0)).toList();
    }

    @Test
    void aResumedSearchEndsAsAnUninterruptedOne() {
        WannSettings s = settings(7, 0.1);
        WannTask task = new SwingUpTask(SHORT, 2, 2);
        WannSearch.Outcome straight = new WannSearch(s, task, 1, m -> { }).run(dir.resolve("a"));
        // 12 networks a generation: call 12 * 4 + 5 fails in generation 5, after the checkpoint of generation 4
        Crashing crashing = new Crashing(task, 12 * 4 + 5, new AtomicInteger());
        assertThrows(IllegalStateException.class, () -> new WannSearch(s, crashing, 1, m -> { }).run(dir.resolve("b")));
        StringBuilder log = new StringBuilder();
        WannSearch.Outcome resumed = new WannSearch(s, task, 2, log::append).run(dir.resolve("b"));
        assertTrue(log.toString().contains("resuming at generation 4"), log.toString());
        assertEquals(straight.champion(), resumed.champion());
        assertEquals(straight.championFitness(), resumed.championFitness());
        assertEquals(withoutTimes(straight.history()), withoutTimes(resumed.history()));
    }

    @Test
    void aResumeWithOtherSettingsIsRefused() {
        WannTask task = new SwingUpTask(SHORT, 2, 2);
        new WannSearch(settings(2, 0.1), task, 1, m -> { }).run(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WannSearch(settings(3, 0.1), task, 1, m -> { }).run(dir));
        assertTrue(e.getMessage().contains("holds a search with other settings"), e.getMessage());
    }

    @Test
    void aDamagedCheckpointIsNamedNotFollowed() throws Exception {
        WannTask task = new SwingUpTask(SHORT, 2, 2);
        WannSettings s = settings(5, 0.1);
        assertThrows(IllegalStateException.class,
                () -> new WannSearch(s, new Crashing(task, 12 * 2 + 1, new AtomicInteger()), 1, m -> { }).run(dir));
        Path file = dir.resolve(WannSearch.CHECKPOINT);
        String json = java.nio.file.Files.readString(file);
        java.nio.file.Files.writeString(file, json.replaceFirst("\"nextNode\" : \\d+", "\"nextNode\" : 0"));
        var e = assertThrows(org.prune4j.experiment.CorruptCheckpointException.class,
                () -> new WannSearch(s, task, 1, m -> { }).run(dir));
        assertTrue(e.getMessage().contains("at or below ids its networks use"), e.getMessage());
    }

    @Test
    void settingsThatCannotSearchAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new WannSettings("swingup", 12, 5, 7,
                WannSettings.PAPER_WEIGHTS, 2, 1000, 14, null, 0.5, 0, 0, 0.5, 0.5, 3, 0.1, 0.2, 0.8, 4, 2));
        assertTrue(e.getMessage().contains("add-connection or add-node"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WannSettings("swingup", 12, 5, 7,
                WannSettings.PAPER_WEIGHTS, 2, 1000, 14, null, 0.5, 0.2, 0.25, 0.05, 0.5, 11, 0.1, 0.2, 0.8, 4, 2));
        assertTrue(e.getMessage().contains("--tournament 11 is larger than the 10 networks"), e.getMessage());
    }

    @Test
    void theBestMeanNeverFallsAndTheChampionBeatsChance() {
        // three inputs, three classes, the label is the largest input: chance is 33%
        SplittableRandom rng = new SplittableRandom(3);
        int n = 300;
        float[] x = new float[n * 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < 3; f++) {
                x[i * 3 + f] = (float) rng.nextDouble();
                y[i] = x[i * 3 + f] > x[i * 3 + y[i]] ? f : y[i];
            }
        }
        var split = new ClassificationTask.Split(x, y, 3);
        var task = new ClassificationTask("argmax", split, split, split, 3, n);
        WannSettings s = new WannSettings("fashion-mnist", 48, 60, 5, WannSettings.PAPER_WEIGHTS, 1, n, 14, "unused",
                0.3, 0.2, 0.25, 0.05, 0.5, 4, 0.2, 0.2, 0.8, 4, 50);
        WannSearch.Outcome o = new WannSearch(s, task, 2, m -> { }).run(dir);
        for (int g = 1; g < o.history().size(); g++) {
            assertTrue(o.history().get(g).bestMean() >= o.history().get(g - 1).bestMean() - 1e-9,
                    "best mean fell at generation " + g);
        }
        WannReport r = WannReport.measure(o.champion(), o.championFitness(), task, s, java.util.Map.of());
        // a constant prediction has cross-entropy ln 3 and 33% accuracy on these balanced classes
        assertTrue(o.championFitness() > -Math.log(3), "champion's mean cross-entropy " + -o.championFitness()
                + " is no better than a constant prediction's");
        assertTrue(r.tunedScore() > 45, "tuned shared weight reached only " + r.tunedScore() + "%");
    }
}
