package org.prune4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.prune4j.backend.cuda.smoke.GpuSmoke;
import org.prune4j.backend.cuda.smoke.SmokeLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code prune4j gpu-smoke}: one small case per GPU kernel, each family in its own JVM, one line
 * per kernel. The first step of a GPU window: it says which families run and which fault, mismatch
 * or are unsupported, and which to leave out of the later steps.
 */
@Command(name = "gpu-smoke", mixinStandardHelpOptions = true, description = {
    "Run one small case per GPU kernel against a double-precision host reference, each kernel family in its own",
    "JVM so that a fault costs only its family; print one line per kernel: pass, mismatch (max error), fault (the",
    "CUDA error's name), error, unsupported, skip (no GPU) or not-run. Exit 0 when no kernel failed."})
public final class GpuSmokeCommand implements Callable<Integer> {

    @Option(names = "--family", split = ",", description = "Families to run (default: all). One of: csr, sddmm,"
            + " sgemm, bsr-wmma, mma-sp, wgmma-sp, cublas, cusparse, cusparselt, timing, selftest.")
    List<String> families;

    @Option(names = "--selftest", description = "Also run the self-test: a deliberate fault in its own JVM, which must"
            + " come out as 'expected' while the other families are unaffected.")
    boolean selftest;

    @Option(names = "--in-process", description = "Run the families in this JVM (what each child does).")
    boolean inProcess;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds a family's JVM may take (default"
            + " ${DEFAULT-VALUE}).")
    long timeout;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--out", description = "Also append the lines to this file as they arrive.")
    Path out;

    @Option(names = "--passed-file", description = "Write the families whose every kernel passed (or is unsupported"
            + " here) to this file, comma-separated: the --kernels of the later steps.")
    Path passedFile;

    @Option(names = "--inject", hidden = true, description = "Test seam: FAMILY=fault|crash makes that family's child"
            + " act out a sticky CUDA fault or a silent crash at its first kernel.")
    List<String> inject = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> run = families != null ? new ArrayList<>(families) : GpuSmoke.families(selftest);
        if (families != null && selftest && !run.contains("selftest")) {
            run.add("selftest");
        }
        for (String f : run) {
            if (!GpuSmoke.known(f)) {
                throw new IllegalArgumentException("unknown family '" + f + "'; choose from " + GpuSmoke.families(true));
            }
        }
        Map<String, GpuSmoke.Injection> injections = new LinkedHashMap<>();
        for (String i : inject) {
            String[] kv = i.split("=", 2);
            injections.put(kv[0], kv.length > 1 && kv[1].equals("crash") ? GpuSmoke.Injection.CRASH
                    : GpuSmoke.Injection.FAULT);
        }
        if (inProcess) {
            for (String f : run) {
                GpuSmoke.inProcess(f, seed, injections.getOrDefault(f, GpuSmoke.Injection.NONE),
                        l -> System.out.println(l.wire()));
            }
            System.out.flush();
            return 0;
        }
        PrintWriter file = out == null ? null : new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
        List<SmokeLine> lines = new ArrayList<>();
        String header = String.format(java.util.Locale.ROOT, "%-11s %-36s %-11s %s", "family", "kernel", "outcome",
                "detail");
        System.out.println(header);
        if (file != null) {
            file.println(header);
        }
        try {
            for (String f : run) {
                List<String> extra = new ArrayList<>(List.of("--seed", Long.toString(seed)));
                if (injections.containsKey(f)) {
                    extra.add("--inject");
                    extra.add(f + "=" + injections.get(f).name().toLowerCase(java.util.Locale.ROOT));
                }
                lines.addAll(GpuSmoke.isolated(List.of(f), timeout, extra, l -> {
                    System.out.println(l.text());
                    if (file != null) {
                        file.println(l.text());
                    }
                }));
            }
        } finally {
            if (file != null) {
                file.close();
            }
        }
        Map<String, Boolean> good = new LinkedHashMap<>();
        for (SmokeLine l : lines) {
            good.merge(l.family(), l.good(), Boolean::logicalAnd);
        }
        List<String> passed = good.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .filter(f -> !f.equals("selftest") && !f.equals("timing")).toList();
        List<String> failed = good.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        long ran = lines.stream().filter(l -> l.outcome().equals("pass")).count();
        System.out.println("smoke: " + ran + " of " + lines.size() + " kernels passed; families fit for the later steps: "
                + (passed.isEmpty() ? "none" : String.join(",", passed))
                + (failed.isEmpty() ? "" : "; failing: " + String.join(",", failed)));
        if (passedFile != null) {
            Files.writeString(passedFile, String.join(",", passed) + "\n");
        }
        return failed.isEmpty() ? 0 : 1;
    }
}
