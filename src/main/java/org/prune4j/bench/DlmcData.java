package org.prune4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the DLMC matrices are: {@code PRUNE4J_DLMC} when set, else the {@code data/dlmc} folder
 * of the Prune4J installation these classes were loaded from (a checkout's {@code target/classes}
 * or {@code target/prune4j.jar}, the bundle's {@code lib/prune4j.jar}). The full collection lives
 * elsewhere: point {@code PRUNE4J_DLMC} or {@code bench --dlmc DIR} at it. Resolving from the
 * installation means a fresh clone and the GPU bundle find the same files wherever they are
 * run from.
 */
public final class DlmcData {
    private DlmcData() {
    }

    public static Optional<Path> find() {
        String env = System.getenv("PRUNE4J_DLMC");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        return installed();
    }

    /** {@code data/dlmc} in the installation (see {@link Installation}). */
    static Optional<Path> installed() {
        return Installation.find("data/dlmc").filter(Files::isDirectory);
    }

    /** Where {@link #find()} looks, for messages that say why nothing was found. */
    public static String searched() {
        return "PRUNE4J_DLMC, data/dlmc in the Prune4J installation";
    }
}
