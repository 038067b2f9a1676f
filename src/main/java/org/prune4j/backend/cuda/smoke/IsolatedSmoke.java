package org.prune4j.backend.cuda.smoke;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The smoke step's parent: each family runs in a JVM of its own ({@code prune4j gpu-smoke
 * --in-process --family F}), because a kernel fault breaks the CUDA context of the whole
 * process and would otherwise fail every family after it. Lines are passed on as the child
 * prints them; a child that dies or hangs still gives one line per kernel it did not report
 * ({@code crashed} with its exit status, or {@code timeout}), so the table is always complete.
 */
public final class IsolatedSmoke {
    /** How to start a child: the launcher's command line up to (not including) its arguments. */
    private final List<String> launcher;
    private final long timeoutSeconds;

    IsolatedSmoke(List<String> launcher, long timeoutSeconds) {
        this.launcher = List.copyOf(launcher);
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Children on this JVM's runtime and class path, with the flags every Prune4J JVM needs. */
    public static IsolatedSmoke sameRuntime(long timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-Xmx2g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.prune4j.cli.Main");
        cmd.add("gpu-smoke");
        return new IsolatedSmoke(cmd, timeoutSeconds);
    }

    /**
     * Runs each family in its own child with {@code extra} arguments appended to each child's
     * command line (such as a seed); every line goes to {@code out} as it arrives.
     */
    public List<SmokeLine> run(List<String> families, List<String> extra, Consumer<SmokeLine> out) {
        List<SmokeLine> all = new ArrayList<>();
        for (String family : families) {
            all.addAll(runFamily(family, extra, out));
        }
        return all;
    }

    private List<SmokeLine> runFamily(String family, List<String> extra, Consumer<SmokeLine> out) {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add("--in-process");
        cmd.add("--family");
        cmd.add(family);
        cmd.addAll(extra);
        Set<String> expected = new LinkedHashSet<>();
        // as the lines will spell them (no spaces)
        SmokeFamilies.cases(family, 0).forEach(c -> expected.add(new SmokeLine(family, c.kernel(), "", "").kernel()));
        List<SmokeLine> got = new ArrayList<>();
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the smoke child for " + family + ": " + e.getMessage(), e);
        }
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    SmokeLine l = SmokeLine.parse(line);
                    if (l == null) {
                        System.err.println("[smoke " + family + "] " + line);
                        continue;
                    }
                    synchronized (got) {
                        got.add(l);
                    }
                    out.accept(l);
                }
            } catch (IOException e) {
                // the child went away; what it printed before is kept
            }
        });
        String ending;
        try {
            if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                ending = p.exitValue() == 0 || p.exitValue() == 1 ? null : "crashed";
            } else {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                ending = "timeout";
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            ending = "timeout";
        }
        List<SmokeLine> lines;
        synchronized (got) {
            lines = new ArrayList<>(got);
        }
        got.forEach(l -> expected.remove(l.kernel()));
        String why = "timeout".equals(ending) ? "the family's process did not finish within " + timeoutSeconds + " s"
                : "the family's process exited with status " + exit(p) + " before reporting this kernel"
                        + (exit(p) > 128 ? " (signal " + (exit(p) - 128) + ")" : "");
        for (String kernel : expected) {
            SmokeLine l = new SmokeLine(family, kernel, ending == null ? "crashed" : ending, why);
            lines.add(l);
            out.accept(l);
        }
        return lines;
    }

    private static int exit(Process p) {
        try {
            return p.exitValue();
        } catch (IllegalThreadStateException e) {
            return -1;
        }
    }
}
