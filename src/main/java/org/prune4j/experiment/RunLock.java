package org.prune4j.experiment;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.prune4j.guard.IoErrors;

/**
 * An exclusive lock on a run folder, held for as long as a process works in it, so two
 * processes never run (or resume) the same experiment at once. It is an operating-system lock
 * on {@code .lock}: it goes away with the process however that ends (kill -9 included), so a
 * stale lock never blocks a later resume. The file's text names the holder for the message the
 * second process prints.
 */
public final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dir} (created if needed) or throws, saying who holds it. */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw IoErrors.wrap("lock run folder", dir, e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            close(ch);
            throw new IllegalStateException("run folder " + dir + " is in use by this process already (" + holder(file)
                    + "); one run at a time per folder");
        } catch (IOException e) {
            close(ch);
            throw IoErrors.wrap("lock run folder", dir, e);
        }
        if (lock == null) {
            close(ch);
            throw new IllegalStateException("run folder " + dir + " is in use by " + holder(file) + "; wait for that run"
                    + " to finish or stop it: two processes in one folder would both do all the work");
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(description().getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
        } catch (IOException e) {
            // the lock holds without the note; only the second process's message gets vaguer
        }
        return new RunLock(ch, lock);
    }

    private static String description() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "this machine";
        }
        return "process " + ProcessHandle.current().pid() + " on " + host + ", started "
                + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()) + ", locked " + Instant.now()
                + java.util.Optional.ofNullable(System.getProperty("sun.java.command")).map(c -> ": " + abbreviate(c))
                        .orElse("");
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }

    private static String holder(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? "another process" : s;
        } catch (IOException | RuntimeException e) {
            return "another process";
        }
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a channel that was never locked
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        close(channel);
    }
}
