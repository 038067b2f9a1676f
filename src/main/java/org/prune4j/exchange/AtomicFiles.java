package org.prune4j.exchange;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files written whole or not at all: through a temporary sibling renamed over the target. */
final class AtomicFiles {
    private AtomicFiles() {
    }

    static void write(Path file, SafeTensors.Body body) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.write(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            throw new ModelFileException(file, "cannot write: " + e, e);
        }
    }
}
