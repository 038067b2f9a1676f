package org.prune4j.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A results CSV written as the rows are measured, so a run that is cut short (a timeout, a
 * crash, a GPU fault) keeps everything measured before. Rows go to {@code <file>.partial},
 * flushed one by one; {@link #finish()} moves that over {@code <file>} only when at least one row
 * holds a measurement, so a run that measured nothing (every kernel failed, or it died at once)
 * never overwrites an earlier result: its partial file stays beside it with the errors. If the
 * JVM is stopped (SIGTERM from a time limit), a shutdown hook finishes the file the same way.
 */
public final class ResultsCsv implements AutoCloseable {
    private final Path file;
    private final Path partial;
    private final BufferedWriter out;
    private final Thread hook;
    private int rows;
    private int measured;
    private boolean finished;

    private ResultsCsv(Path file, String header) throws IOException {
        this.file = file;
        this.partial = file.resolveSibling(file.getFileName() + ".partial");
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        this.out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        out.write(header);
        out.write('\n');
        out.flush();
        this.hook = new Thread(this::finishQuietly, "finish " + file.getFileName());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code <file>.partial} with the header line. */
    public static ResultsCsv open(Path file, String header) {
        try {
            return new ResultsCsv(file, header);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + org.prune4j.guard.IoErrors.reason(e), e);
        }
    }

    /** Appends one row and flushes it; {@code measurement} says whether it holds a time (not only an error). */
    public synchronized void append(String row, boolean measurement) {
        if (finished) {
            throw new IllegalStateException(file + " is already finished");
        }
        try {
            out.write(row);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + partial + ": " + org.prune4j.guard.IoErrors.reason(e), e);
        }
        rows++;
        if (measurement) {
            measured++;
        }
    }

    public synchronized int rows() {
        return rows;
    }

    public synchronized int measured() {
        return measured;
    }

    /**
     * Closes the file: with at least one measured row it replaces {@code <file>} and the final
     * path is returned; with none the earlier {@code <file>} (if any) is left alone, the partial
     * file stays for its error rows, and null is returned.
     */
    public synchronized Path finish() {
        if (finished) {
            return measured > 0 ? file : null;
        }
        finished = true;
        try {
            out.close();
            if (measured == 0) {
                return null;
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + file + ": " + org.prune4j.guard.IoErrors.reason(e), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and this is the hook itself
            }
        }
    }

    /** Where the rows are until {@link #finish()}. */
    public Path partialFile() {
        return partial;
    }

    public Path file() {
        return file;
    }

    private void finishQuietly() {
        try {
            finish();
        } catch (RuntimeException e) {
            // nothing more can be done while the JVM stops
        }
    }

    @Override
    public void close() {
        finish();
    }

    /** A CSV field: quoted when it holds a comma, quote or newline. */
    public static String field(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.contains(",") || one.contains("\"") ? "\"" + one.replace("\"", "\"\"") + "\"" : one;
    }
}
