package org.prune4j.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a second JVM on this test run's class path, for what one JVM cannot show about itself:
 * being killed with SIGKILL, holding a file lock against another process, running from another
 * working directory, or running with a small heap.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** A process running {@code mainClass args} in {@code workDir} with {@code heap} (e.g. "256m"). */
    public static ProcessBuilder builder(Path workDir, String heap, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx" + heap);
        String home = System.getProperty("prune4j.home");
        if (home != null) {
            cmd.add("-Dprune4j.home=" + home);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("PRUNE4J_DEBUG");
        return pb;
    }

    /** The {@code prune4j} CLI in a child JVM. */
    public static ProcessBuilder cli(Path workDir, String heap, String... args) {
        return builder(workDir, heap, "org.prune4j.cli.Main", args);
    }

    /** Runs to completion, output (stdout and stderr together) to {@code log}; returns the exit code. */
    public static int run(ProcessBuilder pb, Path log) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return p.waitFor();
    }

    /** The class path separator, for tests that build their own. */
    public static String separator() {
        return File.pathSeparator;
    }
}
