package org.prune4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run's label says what it did and its hash depends only on what changes its result (issue 13,
 * item 2): settings a schedule ignores are normalised away; the winning-ticket label is kept for
 * the winning-ticket procedure.
 */
class LabelsAndHashesTest {
    static PruningSettings pruning(String score, String schedule, String reset, int rounds, double rate) {
        return new PruningSettings(score, "layerwise", 0.5, schedule, rounds, rate, 0.8, 10, 60, 10, reset, "trained",
                1, 1, 100, List.of());
    }

    static ExperimentSettings run(String kind, PruningSettings p) {
        return new ExperimentSettings(kind, "lenet300", "/tmp/data", 100, 0, 0, "adam", 1e-3, 0.9, 0, "constant", 60,
                100, 50, 1, p, null, null);
    }

    @Test
    void optionsAtTheirOldBehaviourKeepTheHashesRunsHadBeforeTheyExisted() {
        PruningSettings p = pruning("magnitude", "iterative", "rewind", 3, 0.2);
        String before = run("prune", p).hash();
        // augmentation "none" is no augmentation; a convolution rate scale of 1 is the layerwise rate
        assertEquals(before, new ExperimentSettings("prune", "lenet300", "/tmp/data", 100, 0, 0, "adam", 1e-3, 0.9, 0,
                "constant", 60, 100, 50, 1, p, null, "none").hash());
        PruningSettings one = new PruningSettings("magnitude", "layerwise", 0.5, "iterative", 3, 0.2, 0.8, 10, 60, 10,
                "rewind", "trained", 1, 1, 100, List.of(), null, 0, null, 0, null, 1, null);
        assertEquals(before, run("prune", one).hash());
        assertNotEquals(before, new ExperimentSettings("prune", "lenet300", "/tmp/data", 100, 0, 0, "adam", 1e-3, 0.9,
                0, "constant", 60, 100, 50, 1, p, null, "crop-flip").hash());
        PruningSettings half = new PruningSettings("magnitude", "layerwise", 0.5, "iterative", 3, 0.2, 0.8, 10, 60, 10,
                "rewind", "trained", 1, 1, 100, List.of(), null, 0, null, 0, null, 0.5, null);
        assertNotEquals(before, run("prune", half).hash());
    }

    @Test
    void gradualRunsIgnoreTheResetSoItNamesNeitherTheRunNorItsLabel() {
        String hash = run("prune", pruning("magnitude", "gradual", "rewind", 5, 0.2)).hash();
        for (String reset : List.of("finetune", "reinit", "signed-constant", "rewind:10")) {
            PruningSettings p = pruning("magnitude", "gradual", reset, 3, 0.5);
            assertEquals(hash, run("prune", p).hash(), reset);
            assertEquals("magnitude/layerwise/gradual", p.label());
            assertNull(p.resetInstance());
        }
    }

    @Test
    void oneShotIgnoresRoundsAndRateIterativeIgnoresSparsity() {
        assertEquals(run("prune", pruning("snip", "oneshot", "rewind", 5, 0.2)).hash(),
                run("prune", pruning("snip", "oneshot", "rewind", 2, 0.7)).hash());
        PruningSettings a = pruning("magnitude", "iterative", "rewind", 3, 0.2);
        PruningSettings b = new PruningSettings("magnitude", "layerwise", 0.5, "iterative", 3, 0.2, 0.99, 0, 0, 0,
                "rewind", "trained", 1, 1, 100, List.of());
        assertEquals(run("prune", a).hash(), run("prune", b).hash());
        assertNotEquals(run("prune", a).hash(), run("prune", pruning("magnitude", "iterative", "rewind", 3, 0.3))
                .hash(), "what the schedule uses still counts");
    }

    @Test
    void onlyImpWithRewindingIsLabelledTheWinningTicket() {
        assertEquals("rewound IMP (winning ticket)", ExperimentRunner.methodLabel(run("lottery",
                pruning("magnitude", "iterative", "rewind", 2, 0.2))));
        assertEquals("IMP rewound to iteration 50 (winning ticket)", ExperimentRunner.methodLabel(run("lottery",
                pruning("magnitude", "iterative", "rewind:50", 2, 0.2))));
        assertEquals("random/layerwise/reinit", ExperimentRunner.methodLabel(run("lottery",
                pruning("random", "iterative", "reinit", 2, 0.2))));
        assertEquals("magnitude/layerwise/finetune", ExperimentRunner.methodLabel(run("lottery",
                pruning("magnitude", "iterative", "finetune", 2, 0.2))));
    }

    @Test
    void publishedRunsKeepTheirNamesAndMethodFieldsTheMethodIgnoresDoNotCount() throws Exception {
        // the lottery-ticket run in docs/ was made before sparse-training settings existed; adding
        // them must not rename it, or --resume would start it over
        ExperimentSettings published = Json.PRETTY.readValue(java.nio.file.Path.of(
                "docs/lottery-ticket-lenet300/settings.json").toFile(), ExperimentSettings.class);
        assertEquals("e9498f1f382f", published.hash());
        var a = new org.prune4j.dynamic.SparseTrainingSettings("edge-popup", 0.5, "erk", 0.3, true, 100, 0.75,
                "signed-kaiming", "expected", 3, 64);
        var b = new org.prune4j.dynamic.SparseTrainingSettings("edge-popup", 0.5, "", 0, false, 0, 0,
                "signed-kaiming", "", 0, 0);
        assertEquals(a, b, "fields edge-popup does not read are normalised away");
        var rigl = new org.prune4j.dynamic.SparseTrainingSettings("rigl", 0.9, "erk", 0.3, true, 100, 0.75, "x", "y",
                3, 64);
        assertEquals("", rigl.weights());
        assertNotEquals(rigl, new org.prune4j.dynamic.SparseTrainingSettings("rigl", 0.9, "erk", 0.3, false, 100, 0.75,
                "", "", 0, 0), "what RigL reads still counts");
    }
}
