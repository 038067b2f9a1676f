package org.prune4j.experiment;

import java.nio.file.Path;

/**
 * A checkpoint that cannot be trusted: not a checkpoint, truncated, failing its checksum, or
 * declaring sizes its bytes cannot hold. Resuming a run treats such a file as missing and redoes
 * the work that made it.
 */
public final class CorruptCheckpointException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public CorruptCheckpointException(Path file, String problem) {
        super(file + " " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
