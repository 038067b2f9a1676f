package org.prune4j.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * I/O failures as one line: the operation, the file and the reason. Java's file-system
 * exceptions often carry only the path as their message ("cannot use X: X"), so the reason is
 * taken from the exception's type and its {@link FileSystemException#getReason() reason}, which
 * holds the operating system's words ("No space left on device").
 */
public final class IoErrors {
    private IoErrors() {
    }

    /** The reason {@code e} happened, in words, without the path. */
    public static String reason(IOException e) {
        String osReason = e instanceof FileSystemException f ? f.getReason() : null;
        String kind = switch (e) {
            case NoSuchFileException x -> "no such file or folder";
            case AccessDeniedException x -> "permission denied";
            case FileAlreadyExistsException x -> "a file is in the way (it exists and is not a folder)";
            case NotDirectoryException x -> "a path component is not a folder";
            case DirectoryNotEmptyException x -> "the folder is not empty";
            case CharacterCodingException x -> "not UTF-8 text (a binary file?)";
            default -> null;
        };
        if (osReason != null && !osReason.isBlank()) {
            return kind == null ? osReason : kind + " (" + osReason + ")";
        }
        if (kind != null) {
            return kind;
        }
        String m = e.getMessage();
        if (m == null || m.isBlank() || (e instanceof FileSystemException f && m.equals(f.getFile()))) {
            return e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*\\R\\s*", " "); // parsers' messages span lines; errors are one line
    }

    /** "cannot OPERATION FILE: REASON" as an unchecked exception keeping {@code e} as the cause. */
    public static UncheckedIOException wrap(String operation, Path file, IOException e) {
        return new UncheckedIOException(message(operation, file, e), e);
    }

    /**
     * "cannot OPERATION FILE: REASON", naming the path the error is about when it is another
     * one (a parent folder that is a file, the target of a rename).
     */
    public static String message(String operation, Path file, IOException e) {
        String other = e instanceof FileSystemException f && f.getFile() != null
                && !Path.of(f.getFile()).equals(file) ? f.getFile() : null;
        return "cannot " + operation + " " + file + ": " + reason(e) + (other == null ? "" : " (" + other + ")");
    }

    /**
     * Null when {@code file} is a regular file (following links), else what it is instead:
     * "no such file", "a folder, not a file", "a named pipe (FIFO), not a regular file", ...
     * Readers check this first: a folder gives confusing errors and reading a FIFO blocks forever.
     */
    public static String notRegularFile(Path file) {
        if (Files.isRegularFile(file)) {
            return null;
        }
        if (!Files.exists(file)) {
            return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "a broken symbolic link" : "no such file";
        }
        if (Files.isDirectory(file)) {
            return "a folder, not a file";
        }
        try {
            Object type = Files.readAttributes(file, "unix:mode").get("mode");
            int mode = type instanceof Integer i ? i : 0;
            return switch (mode & 0170000) {
                case 0010000 -> "a named pipe (FIFO), not a regular file";
                case 0140000 -> "a socket, not a regular file";
                case 0020000 -> "a character device, not a regular file";
                case 0060000 -> "a block device, not a regular file";
                default -> "not a regular file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "not a regular file";
        }
    }
}
