package org.prune4j.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.prune4j.nn.ModelState;

/**
 * The folder of one experiment, {@code <root>/<kind>-<model>-<hash>}: settings.json, init and
 * rewind checkpoints, and one {@code round-NN} folder per round holding each branch's result
 * (and the main branch's trained checkpoint). Every file is written whole or not at all.
 */
public final class RunDirectory {
    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /**
     * Opens the run's folder. A new run needs a folder that does not hold results yet, unless
     * {@code resume}; a resumed run must have been started with exactly these settings.
     */
    public static RunDirectory open(Path root, ExperimentSettings settings, boolean resume) {
        Path dir = root.resolve(settings.runName());
        Path settingsFile = dir.resolve("settings.json");
        try {
            if (Files.exists(settingsFile)) {
                ExperimentSettings saved = Json.PRETTY.readValue(settingsFile.toFile(), ExperimentSettings.class);
                if (!saved.canonicalJson().equals(settings.canonicalJson())) {
                    throw new IllegalStateException(dir + " holds a run with different settings; move it away");
                }
                if (!resume) {
                    throw new IllegalStateException(dir + " already holds this run; pass --resume to continue it "
                            + "(finished rounds are kept) or delete the folder to start over");
                }
                if (saved.pruning() != null && saved.pruning().rounds() != settings.pruning().rounds()) {
                    writeAtomically(settingsFile, Json.PRETTY.writeValueAsBytes(settings));
                }
            } else {
                Files.createDirectories(dir);
                writeAtomically(settingsFile, Json.PRETTY.writeValueAsBytes(settings));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use run folder " + dir + ": " + e.getMessage(), e);
        }
        return new RunDirectory(dir);
    }

    public Path path() {
        return path;
    }

    public Path roundDir(int round) {
        return path.resolve(String.format("round-%02d", round));
    }

    public Optional<RoundResult> result(int round, String branch) {
        Path f = roundDir(round).resolve(branch + ".json");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.PRETTY.readValue(f.toFile(), RoundResult.class));
        } catch (IOException e) {
            throw new UncheckedIOException(f + " is unreadable (" + e.getMessage() + "); delete it and resume", e);
        }
    }

    public void saveResult(RoundResult r) {
        try {
            writeAtomically(roundDir(r.round()).resolve(r.branch() + ".json"), Json.PRETTY.writeValueAsBytes(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<ModelState> checkpoint(String name) {
        Path f = path.resolve(name);
        return Files.exists(f) ? Optional.of(Checkpoints.read(f)) : Optional.empty();
    }

    public void saveCheckpoint(String name, ModelState state) {
        Checkpoints.write(path.resolve(name), state);
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
