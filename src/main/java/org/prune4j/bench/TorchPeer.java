package org.prune4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * PyTorch as the same-machine peer of the training benchmark: finds a Python that imports torch
 * ({@code PRUNE4J_PYTHON}, {@code python3}, {@code /usr/bin/python3}, where Debian's
 * {@code python3-torch} lives), runs {@code ci/torch-training-step.py} on the same models and
 * batch sizes, and returns its rows. When there is none, says why and returns nothing: the
 * benchmark still runs, without the ratio.
 */
public final class TorchPeer {

    /** One PyTorch step time. */
    public record Row(String model, int batch, String device, double medianMs, double minMs, int threads,
            String torch) {
    }

    private TorchPeer() {
    }

    /** A Python that imports torch, or empty with the reason passed to {@code why}. */
    public static Optional<String> python(Consumer<String> why) {
        List<String> tried = new ArrayList<>();
        String env = System.getenv("PRUNE4J_PYTHON");
        for (String py : env != null && !env.isBlank() ? List.of(env) : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(py);
                }
                tried.add(py + " (no torch)");
            } catch (IOException e) {
                tried.add(py + " (not found)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        why.accept("no PyTorch peer: tried " + String.join(", ", tried) + "; install python3-torch or set "
                + "PRUNE4J_PYTHON");
        return Optional.empty();
    }

    /** Runs the peer for {@code specs} ("model:batch,..."); rows as they come, errors to {@code log}. */
    public static List<Row> run(String python, String specs, String device, int runs, Consumer<String> log) {
        Optional<Path> script = Installation.find("ci/torch-training-step.py");
        if (script.isEmpty()) {
            log.accept("no PyTorch peer: ci/torch-training-step.py is not in this installation");
            return List.of();
        }
        List<Row> rows = new ArrayList<>();
        try {
            Process p = new ProcessBuilder(python, script.get().toString(), "--specs", specs, "--device", device,
                    "--runs", Integer.toString(runs)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.split(",");
                    if (f.length == 7 && !f[0].equals("model")) {
                        rows.add(new Row(f[0], Integer.parseInt(f[1]), f[2], Double.parseDouble(f[3]),
                                Double.parseDouble(f[4]), Integer.parseInt(f[5]), f[6]));
                    }
                }
            }
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                log.accept("the PyTorch peer stopped with exit " + (p.isAlive() ? "timeout" : p.exitValue())
                        + " after " + rows.size() + " rows");
                p.destroyForcibly();
            }
        } catch (IOException | RuntimeException e) {
            log.accept("the PyTorch peer failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return rows;
    }
}
