package org.prune4j.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The Prune4J version and source commit this code was built from (written into the jar by
 * {@code ci/build-info}), so a results file names the code that made it. A class path without
 * the file (an IDE build that skipped Maven's resources) reads "unknown".
 */
public record BuildInfo(String version, String commit) {

    private static final BuildInfo CURRENT = load();

    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/org/prune4j/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource is the same as a missing one: provenance says unknown
        }
        return new BuildInfo(p.getProperty("version", "unknown"), p.getProperty("commit", "unknown"));
    }
}
