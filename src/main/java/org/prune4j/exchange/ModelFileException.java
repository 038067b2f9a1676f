package org.prune4j.exchange;

import java.nio.file.Path;

/** A model file that cannot be read: which file, and what is wrong with it. */
public final class ModelFileException extends RuntimeException {
    public ModelFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ModelFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
