package org.prune4j.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.prune4j.guard.IoErrors;
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
 * the sibling ran on the same backend (as described, library and vector width included),
 * recorded a kernel threshold for every layer this run has and the same ones, and no change of
 * setup (two setups sum in different orders); its round-0 result and checkpoint read back
 * intact, with the model's tensors and no masks; its initial weights equal this run's, bit
 * for bit; and where this run measures inference latency, the sibling measured it at the same
 * batch sizes (the borrowed round keeps that measurement: the same network on the same
 * backend). Nothing in the sibling's folder is written. As with {@code --resume}, a sibling built
 * from an earlier commit counts; the note a borrowing run keeps names the lender and its commit.
 */
final class DenseRoundDonor {
    /** The sibling's folder, its round-0 result and trained state, and the commit it was built from. */
    record Found(Path dir, RoundResult result, ModelState state, String commit) {
        /** What a borrowing run records about where its round 0 came from. */
        String note() {
            return "reused from " + dir.getFileName() + " (commit " + commit + "), which trained the same dense network";
        }
    }

    /** Beside round 0's result when that round was borrowed: the note naming the lender. */
    private static final String MARK = "round-00/main.reused";

    private DenseRoundDonor() {
    }

    /**
     * The first sibling of {@code self} (in name order) that can lend round 0 to a run of
     * {@code s} that would train under {@code now} from {@code init} and measure inference
     * latency at {@code latency} (empty: none; a lender must have measured exactly those
     * batches); empty when none can, with a log line for each sibling that trained the same
     * network but is refused, and why.
     */
    static Optional<Found> find(Path self, ExperimentSettings s, RunEnvironment now, String backend, ModelState init,
            List<Integer> latency, Consumer<String> log) {
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
            Optional<String> refusal = refusal(dir, now, backend, init);
            if (refusal.isPresent()) {
                log.accept("round 0: " + dir.getFileName() + " trained the same dense network but is not reused ("
                        + refusal.get() + ")");
                continue;
            }
            try {
                RoundResult result = Json.PRETTY.readValue(roundFile(dir, ".json").toFile(), RoundResult.class);
                List<Integer> measured = result.latency() == null ? List.of() : result.latency().stream()
                        .map(org.prune4j.bench.InferenceBench.Row::batch).toList();
                if (!latency.isEmpty() && !measured.equals(latency)) {
                    log.accept("round 0: " + dir.getFileName() + " trained the same dense network but measured its "
                            + "inference latency at batches " + measured + ", not " + latency + "; not reused");
                    continue;
                }
                ModelState state = Checkpoints.read(roundFile(dir, ".ckpt"));
                if (!sameShapes(state, init)) {
                    log.accept("round 0: " + dir.getFileName() + "'s round-0 checkpoint does not hold this model's "
                            + "tensors, unmasked; not reused");
                    continue;
                }
                String commit = machine(dir).path("commit").asText("unknown");
                return Optional.of(new Found(dir, result, state, commit));
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
    private static Optional<String> refusal(Path dir, RunEnvironment now, String backend, ModelState init) {
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
        String lenderBackend = machine(dir).path("backend").asText("");
        if (!lenderBackend.equals(backend)) {
            return Optional.of("it ran on " + (lenderBackend.isEmpty() ? "a backend its results.json does not name"
                    : lenderBackend) + ", this run on " + backend);
        }
        if (!env.thresholds().keySet().containsAll(now.thresholds().keySet())) {
            return Optional.of("its environment.json lacks kernel thresholds for some of this run's layers");
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

    /** The {@code machine} section of a run's results.json; a missing node when it does not read. */
    private static JsonNode machine(Path dir) {
        try {
            return Json.PRETTY.readTree(dir.resolve("results.json").toFile()).path("machine");
        } catch (IOException | RuntimeException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** Records in {@code run}'s folder that its round 0 was borrowed, and from where. */
    static void mark(Path run, Found lender) {
        try {
            RunDirectory.writeAtomically(run.resolve(MARK), lender.note().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw IoErrors.wrap("write", run.resolve(MARK), e);
        }
    }

    /** The note of a borrowed round 0 in {@code run}'s folder, or empty when it trained its own. */
    static Optional<String> mark(Path run) {
        try {
            return Files.isRegularFile(run.resolve(MARK)) ? Optional.of(Files.readString(run.resolve(MARK)).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.of("reused from a sibling run (its note does not read back: " + IoErrors.reason(e) + ")");
        }
    }

    /** Clears the note before a run trains its own round 0. */
    static void unmark(Path run) {
        try {
            Files.deleteIfExists(run.resolve(MARK));
        } catch (IOException e) {
            throw IoErrors.wrap("delete", run.resolve(MARK), e);
        }
    }

    private static Path roundFile(Path dir, String suffix) {
        return dir.resolve("round-00").resolve(ExperimentRunner.MAIN + suffix);
    }

    /** Whether {@code a} is unmasked and holds {@code b}'s tensors at their sizes. */
    private static boolean sameShapes(ModelState a, ModelState b) {
        Map<String, float[]> x = a.values(), y = b.values();
        return x.keySet().equals(y.keySet()) && a.masks().isEmpty()
                && x.keySet().stream().allMatch(k -> x.get(k).length == y.get(k).length);
    }

    private static boolean sameValues(ModelState a, ModelState b) {
        return sameShapes(a, b) && sameShapes(b, a)
                && a.values().keySet().stream().allMatch(k -> Arrays.equals(a.values().get(k), b.values().get(k)));
    }
}
