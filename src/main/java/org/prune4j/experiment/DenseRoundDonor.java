package org.prune4j.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.prune4j.nn.ModelState;

/**
 * A finished round 0 that a run can take from a sibling in its runs folder instead of training
 * it again. Every run of a sweep that differs only in how it prunes (structure, sparsity,
 * score, reset, controls) trains the same dense network in round 0, and training is
 * deterministic, so the sibling's round is the one this run would compute; OpenLTH shares its
 * pretraining across pruning levels for the same reason. A Conv-4 structure sweep spends half
 * its time there.
 *
 * <p>A sibling lends its round 0 only when all of these hold, and otherwise the run trains its
 * own: both runs' {@link ExperimentSettings#denseRound() dense rounds} are the same settings;
 * the sibling recorded the same backend and kernel thresholds and no change of setup (two
 * setups sum in different orders); its round-0 result and checkpoint read back intact; and its
 * initial weights equal this run's, bit for bit. Nothing in the sibling's folder is written.
 */
final class DenseRoundDonor {
    /** The sibling's folder, its round-0 result and trained state. */
    record Found(Path dir, RoundResult result, ModelState state) {
    }

    private DenseRoundDonor() {
    }

    /**
     * The first sibling of {@code self} (in name order) that can lend round 0 to a run of
     * {@code s} that would train under {@code now} from {@code init}; empty when none can, with
     * a log line for each sibling that trained the same network but is refused, and why.
     */
    static Optional<Found> find(Path self, ExperimentSettings s, RunEnvironment now, ModelState init,
            Consumer<String> log) {
        Optional<String> want = s.denseRound().map(ExperimentSettings::canonicalJson);
        Path root = self.getParent();
        if (want.isEmpty() || root == null || !Files.isDirectory(root)) {
            return Optional.empty();
        }
        List<Path> siblings;
        try (Stream<Path> list = Files.list(root)) {
            siblings = list.filter(p -> !p.equals(self) && Files.isRegularFile(p.resolve(RunDirectory.SETTINGS)))
                    .sorted().toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path dir : siblings) {
            if (!want.equals(denseRoundOf(dir))) {
                continue;
            }
            Optional<String> refusal = refusal(dir, now, init);
            if (refusal.isPresent()) {
                log.accept("round 0: " + dir.getFileName() + " trained the same dense network but is not reused ("
                        + refusal.get() + ")");
                continue;
            }
            try {
                RoundResult result = Json.PRETTY.readValue(roundFile(dir, ".json").toFile(), RoundResult.class);
                return Optional.of(new Found(dir, result, Checkpoints.read(roundFile(dir, ".ckpt"))));
            } catch (IOException | RuntimeException e) {
                log.accept("round 0: " + dir.getFileName() + " trained the same dense network but its round 0 does "
                        + "not read back (" + e.getMessage() + "); not reused");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> denseRoundOf(Path dir) {
        try {
            ExperimentSettings other = Json.PRETTY.readValue(dir.resolve(RunDirectory.SETTINGS).toFile(),
                    ExperimentSettings.class);
            return other.denseRound().map(ExperimentSettings::canonicalJson);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Why {@code dir}'s round 0 may not stand in for this run's, or empty when it may. */
    private static Optional<String> refusal(Path dir, RunEnvironment now, ModelState init) {
        if (!Files.isRegularFile(roundFile(dir, ".json")) || !Files.isRegularFile(roundFile(dir, ".ckpt"))) {
            return Optional.of("its round 0 has not finished");
        }
        RunEnvironment env;
        try {
            env = Json.PRETTY.readValue(dir.resolve(RunDirectory.ENVIRONMENT).toFile(), RunEnvironment.class);
        } catch (IOException | RuntimeException e) {
            return Optional.of("its environment.json does not read back");
        }
        if (!env.changes().isEmpty()) {
            return Optional.of("it changed setup during the run: " + String.join("; ", env.changes()));
        }
        List<String> conflicts = env.conflicts(now);
        if (!conflicts.isEmpty()) {
            return Optional.of("another setup: " + String.join("; ", conflicts));
        }
        try {
            if (!sameValues(Checkpoints.read(dir.resolve("init.ckpt")), init)) {
                return Optional.of("its initial weights differ from this run's");
            }
        } catch (RuntimeException e) {
            return Optional.of("its init.ckpt does not read back");
        }
        return Optional.empty();
    }

    private static Path roundFile(Path dir, String suffix) {
        return dir.resolve("round-00").resolve(ExperimentRunner.MAIN + suffix);
    }

    private static boolean sameValues(ModelState a, ModelState b) {
        Map<String, float[]> x = a.values(), y = b.values();
        if (!x.keySet().equals(y.keySet()) || !a.masks().isEmpty() || !b.masks().isEmpty()) {
            return false;
        }
        return x.keySet().stream().allMatch(k -> Arrays.equals(x.get(k), y.get(k)));
    }
}
