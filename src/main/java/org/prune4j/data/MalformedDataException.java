package org.prune4j.data;

import java.nio.file.Path;

/** A data file that is not what it claims to be; the message names the file and the fix. */
public final class MalformedDataException extends RuntimeException {
    public MalformedDataException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
