package org.prune4j.sparse.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prune4j.guard.IoErrors;

/**
 * Reads a text file line by line, counting lines so that errors can say where they are. Only
 * regular files are opened (a folder or a FIFO is named as such, and a FIFO would block), and
 * bytes that are not UTF-8 text are reported as a binary file at their line, never as the
 * decoder's bare "Input length = 1".
 */
final class LineReader implements AutoCloseable {
    private final Path file;
    private final BufferedReader in;
    private final long size;
    private int lineNumber;

    LineReader(Path file) throws IOException {
        this.file = file;
        String notFile = IoErrors.notRegularFile(file);
        if (notFile != null) {
            throw new MalformedMatrixFileException(file, 0, "cannot read it as a matrix file: it is " + notFile);
        }
        try {
            this.size = Files.size(file);
            this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MalformedMatrixFileException(file, 0, "cannot open it: " + IoErrors.reason(e));
        }
    }

    /** The file's size in bytes: every count a header declares must fit in it. */
    long size() {
        return size;
    }

    /** The next line, or null at the end of the file. */
    String next() throws IOException {
        String s;
        try {
            s = in.readLine();
        } catch (CharacterCodingException e) {
            throw new MalformedMatrixFileException(file, lineNumber + 1, "is not a text file: bytes that are not UTF-8"
                    + " text (a binary file?)");
        } catch (IOException e) {
            throw new MalformedMatrixFileException(file, lineNumber + 1, "cannot read it: " + IoErrors.reason(e));
        }
        if (s != null) {
            lineNumber++;
        }
        return s;
    }

    int lineNumber() {
        return lineNumber;
    }

    Path file() {
        return file;
    }

    MalformedMatrixFileException error(String problem) {
        return new MalformedMatrixFileException(file, lineNumber, problem);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
