package org.prune4j.sparse.io;

import java.io.IOException;
import java.nio.file.Path;

/** A matrix file that cannot be read as its format; the message names the file and line. */
public final class MalformedMatrixFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedMatrixFileException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
