package org.prune4j.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Files that ship with Prune4J (data, scripts), found from where these classes were loaded (a
 * checkout's {@code target/classes} or {@code target/prune4j.jar}, the bundle's
 * {@code lib/prune4j.jar}) rather than from the working directory, so commands behave the same
 * wherever they are started.
 */
public final class Installation {
    private Installation() {
    }

    /** {@code relative} in the installation: up to three folders above the jar or class folder. */
    public static Optional<Path> find(String relative) {
        CodeSource src = Installation.class.getProtectionDomain().getCodeSource();
        if (src == null || src.getLocation() == null) {
            return Optional.empty();
        }
        Path at;
        try {
            at = Path.of(src.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
        for (int up = 0; up < 4 && at != null; up++, at = at.getParent()) {
            Path p = at.resolve(relative);
            if (Files.exists(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
