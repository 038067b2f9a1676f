package org.prune4j.sparse.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a text file line by line, counting lines so that errors can say where they are. */
final class LineReader implements AutoCloseable {
    private final Path file;
    private final BufferedReader in;
    private int lineNumber;

    LineReader(Path file) throws IOException {
        this.file = file;
        try {
            this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such matrix file");
        }
    }

    /** The next line, or null at the end of the file. */
    String next() throws IOException {
        String s = in.readLine();
        if (s != null) {
            lineNumber++;
        }
        return s;
    }

    int lineNumber() {
        return lineNumber;
    }

    MalformedMatrixFileException error(String problem) {
        return new MalformedMatrixFileException(file, lineNumber, problem);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
