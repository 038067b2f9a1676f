package org.prune4j.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.cli.Main;
import org.prune4j.data.ImageData;

/**
 * A third party's score, in its own jar, compiled here from source: found through
 * ServiceLoader and run by {@code prune4j prune --score} like a built-in one.
 */
class OutsideStrategyTest {
    @TempDir
    Path dir;

    private static final String SOURCE = """
            package com.example.pruning;

            import java.util.LinkedHashMap;
            import java.util.Map;
            import java.util.function.Supplier;
            import org.prune4j.nn.Parameter;
            import org.prune4j.prune.Scorer;
            import org.prune4j.prune.ScoringContext;
            import org.prune4j.prune.StrategyProvider;

            /** Keeps the weights of smallest magnitude: a deliberately odd score, to be told apart. */
            public final class SmallestFirst implements StrategyProvider {
                @Override
                public Map<String, Supplier<Scorer>> scorers() {
                    return Map.of("smallest-first", () -> new Scorer() {
                        public String name() {
                            return "smallest-first";
                        }

                        public Map<Parameter, float[]> scores(ScoringContext ctx) {
                            Map<Parameter, float[]> out = new LinkedHashMap<>();
                            for (Parameter p : ctx.model().prunable()) {
                                float[] w = p.value().data(), s = new float[w.length];
                                for (int i = 0; i < w.length; i++) {
                                    s[i] = -Math.abs(w[i]);
                                }
                                out.put(p, s);
                            }
                            return out;
                        }
                    });
                }
            }
            """;

    /** Compiles the plugin against the project's classes and packs it with its service file. */
    private Path pluginJar() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assumeTrue(javac != null, "no Java compiler in this runtime");
        Path src = dir.resolve("src/com/example/pruning/SmallestFirst.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        // against Prune4J's own classes, wherever this run loaded them from (a class folder or a jar)
        String prune4j = Path.of(Scorer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", prune4j, src.toString());
        assertEquals(0, rc, "the plugin compiles");
        Path jar = dir.resolve("smallest-first.jar");
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(f)) {
            j.putNextEntry(new JarEntry("META-INF/services/org.prune4j.prune.StrategyProvider"));
            j.write("com.example.pruning.SmallestFirst\n".getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path c : files.filter(Files::isRegularFile).toList()) {
                    j.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                    j.write(Files.readAllBytes(c));
                    j.closeEntry();
                }
            }
        }
        return jar;
    }

    @Test
    void anOutsideScoreRunsThroughPruneByName() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        Path jar = pluginJar();
        assertThrows(IllegalArgumentException.class, () -> Scorers.named("smallest-first"), "not there without the jar");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(loader);
            assertTrue(Scorers.names().containsAll(List.of("magnitude", "smallest-first")), Scorers.names().toString());
            PrintStream oldErr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = Main.run("prune", "--score", "smallest-first", "--schedule", "oneshot", "--sparsity", "0.5",
                        "--train-subset", "600", "--validation", "200", "--test-subset", "300", "--iterations", "20",
                        "--eval-every", "20", "--sparse-below", "0", "--out", dir.resolve("runs").toString());
            } finally {
                System.setErr(oldErr);
            }
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            Path runDir;
            try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
                runDir = s.findFirst().orElseThrow();
            }
            String csv = Files.readString(runDir.resolve("results.csv"));
            assertTrue(csv.contains("smallest-first/"), csv);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    @Test
    void twoProvidersClaimingOneNameIsAnErrorThatNamesBoth() {
        StrategyProvider twin = new StrategyProvider() {
            @Override
            public java.util.Map<String, java.util.function.Supplier<Scorer>> scorers() {
                return java.util.Map.of("magnitude", MagnitudeScore::new);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Strategies.all("score",
                p -> p == twin || p instanceof BuiltInStrategies ? p.scorers() : java.util.Map.of(), List.of(
                        new BuiltInStrategies(), twin)));
        assertTrue(e.getMessage().contains("two providers define the score 'magnitude'"), e.getMessage());
    }
}
