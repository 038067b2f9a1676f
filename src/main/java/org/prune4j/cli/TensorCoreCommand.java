package org.prune4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.backend.cuda.KernelFamily;
import org.prune4j.bench.ResultsCsv;
import org.prune4j.bench.TensorCoreBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prune4j tcbench}: the tensor-core speed table (needs a GPU). */
@Command(name = "tcbench", mixinStandardHelpOptions = true, description = {
    "Tensor-core speed table on the GPU: cuBLAS bf16 dense vs the project's 2:4 kernels (mma.sp; wgmma.sp on",
    "Hopper) vs cuSPARSELt, and BSR-16/32 on WMMA at several block sparsities; every result checked against cuBLAS.",
    "Each row is appended to the CSV as it is measured; a kernel that fails or disagrees becomes a row saying so."})
public final class TensorCoreCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--shapes", split = ";", defaultValue = "4096,4096,256;4096,4096,4096;8192,8192,8192",
            description = "m,k,n triples separated by ';' (default ${DEFAULT-VALUE}).")
    List<String> shapes;

    @Option(names = "--block-sparsities", split = ",", defaultValue = "0.5,0.7,0.8,0.9,0.95",
            converter = Fraction.class)
    double[] blockSparsities;

    @Option(names = "--kernels", split = ",", defaultValue = "cublas,mma-sp,wgmma-sp,cusparselt,bsr-wmma",
            description = "Kernel families to time (default ${DEFAULT-VALUE}); leave out one that faulted in gpu-smoke.")
    List<String> kernels;

    @Option(names = "--runs", defaultValue = "20")
    int runs;

    @Option(names = "--warmup", defaultValue = "5")
    int warmup;

    @Option(names = "--out", defaultValue = "bench-out/tensor-cores", description = "Folder for tensor-cores.md.")
    Path out;

    @Option(names = "--csv", description = "The CSV, appended row by row (default <out>/tensor-cores.csv).")
    Path csv;

    @Override
    public Integer call() throws Exception {
        int[][] s = shapes.stream().map(t -> java.util.Arrays.stream(t.split(",")).mapToInt(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--shapes takes m,k,n triples of whole numbers, got '" + t + "'");
            }
        }).toArray()).toArray(int[][]::new);
        for (int[] t : s) {
            if (t.length != 3) {
                throw new IllegalArgumentException("--shapes takes m,k,n triples, got " + java.util.Arrays.toString(t));
            }
        }
        Set<KernelFamily> families = EnumSet.noneOf(KernelFamily.class);
        kernels.forEach(k -> families.add(KernelFamily.named(k)));
        double[] sp = blockSparsities;
        Path csvFile = csv != null ? csv : out.resolve("tensor-cores.csv");
        try (Backend b = Backends.open("cuda")) {
            CudaBackend gpu = (CudaBackend) b;
            String command = "prune4j " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            List<TensorCoreBench.Row> rows = new ArrayList<>();
            ResultsCsv file = ResultsCsv.open(csvFile, TensorCoreBench.CSV_HEADER);
            try {
                new TensorCoreBench(gpu, warmup, runs, families, m -> System.err.println("[tcbench] " + m)).run(s, sp,
                        r -> {
                            rows.add(r);
                            file.append(TensorCoreBench.csv(r), r.ok());
                        });
            } finally {
                report(file, rows, gpu.description(), command);
            }
        }
        return 0;
    }

    /** Finishes the CSV and writes the markdown for whatever was measured, even after a failure. */
    private void report(ResultsCsv file, List<TensorCoreBench.Row> rows, String device, String command)
            throws java.io.IOException {
        Path done = file.finish();
        if (done == null) {
            System.out.println("tcbench measured nothing; " + file.file() + " was left as it was, the errors are in "
                    + file.partialFile());
            return;
        }
        String md = TensorCoreBench.markdown(rows, device, command, java.time.LocalDate.now().toString());
        Files.createDirectories(out);
        Files.writeString(out.resolve("tensor-cores.md"), md);
        System.out.println(md);
        System.out.println("wrote " + done + " and " + out.resolve("tensor-cores.md"));
    }
}
