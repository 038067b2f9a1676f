package org.prune4j.experiment;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.prune4j.guard.IoErrors;
import org.prune4j.nn.ModelState;

/**
 * The folder of one experiment, {@code <root>/<kind>-<model>-<hash>}: settings.json, init and
 * rewind checkpoints, and one {@code round-NN} folder per round holding each branch's result
 * (and the main branch's trained checkpoint). Every file is written whole or not at all.
 *
 * <p>Opening takes the folder's {@link RunLock} and checks, without writing anything, that the
 * folder may be used: the same settings, {@code --resume} when it holds results, no fewer
 * rounds than it has results for. {@link #start()} writes settings.json only once the caller
 * has checked data, memory and disk, so a start that fails leaves nothing that blocks a plain
 * rerun. A file that is missing or cannot be read is "not done": it is moved aside as
 * {@code <name>.damaged} and the runner redoes what made it.
 */
public final class RunDirectory implements AutoCloseable {
    static final String SETTINGS = "settings.json";
    static final String ENVIRONMENT = "environment.json";

    private final Path path;
    private final ExperimentSettings settings;
    private final RunLock lock;
    private final Consumer<String> log;

    private RunDirectory(Path path, ExperimentSettings settings, RunLock lock, Consumer<String> log) {
        this.path = path;
        this.settings = settings;
        this.lock = lock;
        this.log = log;
    }

    /**
     * Locks the run's folder and checks it may be used; writes nothing else. A new run needs a
     * folder without results, unless {@code resume}; a resumed run must have been started with
     * exactly these settings (the round count may grow, and shrink only above its results).
     */
    public static RunDirectory open(Path root, ExperimentSettings settings, boolean resume, Consumer<String> log) {
        return open(root, settings, resume, true, log);
    }

    /**
     * As {@link #open(Path, ExperimentSettings, boolean, Consumer)}; with {@code strict} off, a
     * resume that finds no run with these settings starts one even when runs with other
     * settings are beside it (a script going through a sweep), instead of refusing in case a
     * setting was mistyped.
     */
    public static RunDirectory open(Path root, ExperimentSettings settings, boolean resume, boolean strict,
            Consumer<String> log) {
        Path dir = root.toAbsolutePath().normalize().resolve(settings.runName());
        Path settingsFile = dir.resolve(SETTINGS);
        if (resume && strict && !Files.exists(settingsFile)) {
            String others = similarRuns(dir.getParent(), settings);
            if (!others.isEmpty()) {
                throw new IllegalStateException("--resume: there is no run with these settings in " + dir.getParent()
                        + " (it would be " + dir.getFileName() + "); " + others + ". Pass the settings that run had to"
                        + " resume it, or drop --resume to start this one");
            }
            log.accept("nothing to resume in " + dir + ": starting the run");
        }
        RunLock lock = RunLock.acquire(dir);
        try {
            RunDirectory d = new RunDirectory(dir, settings, lock, log);
            d.check(resume);
            return d;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private void check(boolean resume) {
        Path settingsFile = path.resolve(SETTINGS);
        if (!Files.exists(settingsFile)) {
            return;
        }
        ExperimentSettings saved = readSettings(settingsFile);
        if (!saved.canonicalJson().equals(settings.canonicalJson())) {
            throw new IllegalStateException(path + " holds a run with different settings (" + differences(saved,
                    settings) + "); move it away");
        }
        int lastResult = lastRoundWithResults();
        if (!resume && lastResult >= 0) {
            throw new IllegalStateException(path + " already holds this run; pass --resume to continue it "
                    + "(finished rounds are kept) or delete the folder to start over");
        }
        int rounds = settings.lastRound();
        if (lastResult > rounds) {
            throw new IllegalStateException(path + " holds results up to round " + lastResult + " but these settings"
                    + " stop at round " + rounds + "; results.json would lose rounds " + (rounds + 1) + ".." + lastResult
                    + ". Resume with --rounds " + lastResult + " or more");
        }
    }

    /**
     * Writes settings.json (on a new run, or when the round count changed) and clears
     * temporary files a killed process left; call once the run is known to be able to start.
     */
    public void start() {
        Path settingsFile = path.resolve(SETTINGS);
        try {
            if (!Files.exists(settingsFile) || !Files.readString(settingsFile).equals(settingsJson())) {
                writeAtomically(settingsFile, settingsJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            try (Stream<Path> s = Files.walk(path, 2)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw IoErrors.wrap("write the settings of run folder", path, e);
        }
    }

    private String settingsJson() throws IOException {
        return new String(Json.PRETTY.writeValueAsBytes(settings), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ExperimentSettings readSettings(Path file) {
        try {
            return Json.PRETTY.readValue(file.toFile(), ExperimentSettings.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file + " cannot be read (" + (e instanceof IOException io
                    ? IoErrors.reason(io) : e.getMessage()) + "); it names the run's settings, so the run cannot be"
                    + " resumed safely: move the folder away and start again", e);
        }
    }

    /** Runs beside {@code dir} of the same kind and model, with what differs from {@code s}; empty when none. */
    private static String similarRuns(Path root, ExperimentSettings s) {
        if (root == null || !Files.isDirectory(root)) {
            return "";
        }
        List<String> found = new ArrayList<>();
        String prefix = s.kind() + "-" + s.model() + "-";
        try (Stream<Path> list = Files.list(root)) {
            for (Path p : list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList()) {
                Path f = p.resolve(SETTINGS);
                if (Files.isRegularFile(f)) {
                    try {
                        found.add(p.getFileName() + " differs in " + differences(readSettings(f), s));
                    } catch (IllegalStateException e) {
                        found.add(p.getFileName() + " (unreadable settings)");
                    }
                }
            }
        } catch (IOException e) {
            return "";
        }
        return found.isEmpty() ? "" : "that folder holds " + String.join("; ", found);
    }

    /** The settings that differ, as "name saved -> given", from the canonical JSON of both. */
    static String differences(ExperimentSettings saved, ExperimentSettings given) {
        Map<String, Object> a = flat(saved), b = flat(given);
        List<String> out = new ArrayList<>();
        for (String k : a.keySet()) {
            if (!java.util.Objects.equals(a.get(k), b.get(k)) && !k.equals("pruning.rounds")) {
                out.add(k + " " + a.get(k) + " -> " + b.get(k));
            }
        }
        return out.isEmpty() ? "no setting but the round count" : String.join(", ", out);
    }

    private static Map<String, Object> flat(ExperimentSettings s) {
        Map<String, Object> m = Json.CANONICAL.convertValue(s, new TypeReference<Map<String, Object>>() { });
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v instanceof Map<?, ?> inner) {
                inner.forEach((k2, v2) -> out.put(k + "." + k2, v2));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    public Path path() {
        return path;
    }

    public Path roundDir(int round) {
        return path.resolve(String.format("round-%02d", round));
    }

    /** The highest round with a result file, or -1. */
    int lastRoundWithResults() {
        int last = -1;
        try (Stream<Path> s = Files.list(path)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("round-\\d{1,6}") && Files.isDirectory(p)) {
                    try (Stream<Path> f = Files.list(p)) {
                        if (f.anyMatch(x -> x.getFileName().toString().endsWith(".json"))) {
                            last = Math.max(last, Integer.parseInt(n.substring(6)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw IoErrors.wrap("list run folder", path, e);
        }
        return last;
    }

    /** The branch's result, or empty when it is missing or damaged (a damaged one is moved aside and logged). */
    public Optional<RoundResult> result(int round, String branch) {
        Path f = roundDir(round).resolve(branch + ".json");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.PRETTY.readValue(f.toFile(), RoundResult.class));
        } catch (IOException | RuntimeException e) {
            setAside(f, e instanceof IOException io ? IoErrors.reason(io) : e.getMessage(), "redoing round " + round
                    + " " + branch);
            return Optional.empty();
        }
    }

    public void saveResult(RoundResult r) {
        Path f = roundDir(r.round()).resolve(r.branch() + ".json");
        try {
            writeAtomically(f, Json.PRETTY.writeValueAsBytes(r));
        } catch (IOException e) {
            throw IoErrors.wrap("write result", f, e);
        }
    }

    /**
     * The checkpoint, or empty when it is missing or damaged; a damaged one is moved aside as
     * {@code <name>.damaged}, with a log line, so the runner redoes the work that wrote it.
     */
    public Optional<ModelState> checkpoint(String name) {
        Path f = path.resolve(name);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Checkpoints.read(f));
        } catch (CorruptCheckpointException e) {
            setAside(f, e.getMessage(), "redoing the work that wrote it");
            return Optional.empty();
        }
    }

    public void saveCheckpoint(String name, ModelState state) {
        Checkpoints.write(path.resolve(name), state);
    }

    private void setAside(Path f, String why, String then) {
        Path aside = f.resolveSibling(f.getFileName() + ".damaged");
        try {
            Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
            log.accept("WARNING " + f + " is unusable (" + why + "); kept as " + aside.getFileName() + ", " + then);
        } catch (IOException e) {
            throw new IllegalStateException(f + " is unusable (" + why + ") and cannot be moved aside ("
                    + IoErrors.reason(e) + "); delete it and resume", e);
        }
    }

    /** What was recorded under {@code environment.json}, or empty. */
    Optional<RunEnvironment> environment() {
        Path f = path.resolve(ENVIRONMENT);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.PRETTY.readValue(f.toFile(), RunEnvironment.class));
        } catch (IOException | RuntimeException e) {
            setAside(f, e.getMessage(), "recording the environment again");
            return Optional.empty();
        }
    }

    void saveEnvironment(RunEnvironment env) {
        Path f = path.resolve(ENVIRONMENT);
        try {
            writeAtomically(f, Json.PRETTY.writeValueAsBytes(env));
        } catch (IOException e) {
            throw IoErrors.wrap("write", f, e);
        }
    }

    /** Writes {@code bytes} to {@code file} through a temporary sibling renamed over it, so a crash leaves the old file or the new one. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Releases the folder's lock. */
    @Override
    public void close() {
        // a run refused before it started (bad settings for this model) leaves no empty folder
        // behind; the lock file goes while it is still held, so no other process loses its own
        if (!Files.exists(path.resolve(SETTINGS))) {
            try {
                Files.deleteIfExists(path.resolve(RunLock.FILE));
                try (Stream<Path> s = Files.list(path)) {
                    if (s.findAny().isEmpty()) {
                        Files.delete(path);
                    }
                }
            } catch (IOException e) {
                // best effort: an empty folder is harmless
            }
        }
        lock.close();
    }
}
