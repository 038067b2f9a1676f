package org.prune4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.bench.TensorCoreBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prune4j tcbench}: the tensor-core speed table (needs a GPU). */
@Command(name = "tcbench", mixinStandardHelpOptions = true, description = {
    "Tensor-core speed table on the GPU: cuBLAS bf16 dense vs the project's 2:4 kernels (mma.sp; wgmma.sp on",
    "Hopper) vs cuSPARSELt,",
    "and BSR-16/32 on WMMA at several block sparsities; every result checked against cuBLAS."})
public final class TensorCoreCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--shapes", split = ";", defaultValue = "4096,4096,256;4096,4096,4096;8192,8192,8192",
            description = "m,k,n triples separated by ';' (default ${DEFAULT-VALUE}).")
    List<String> shapes;

    @Option(names = "--block-sparsities", split = ",", defaultValue = "50,70,80,90,95")
    double[] blockSparsities;

    @Option(names = "--runs", defaultValue = "20")
    int runs;

    @Option(names = "--warmup", defaultValue = "5")
    int warmup;

    @Option(names = "--out", defaultValue = "bench-out/tensor-cores")
    Path out;

    @Override
    public Integer call() throws Exception {
        int[][] s = shapes.stream().map(t -> java.util.Arrays.stream(t.split(",")).mapToInt(v -> Integer.parseInt(
                v.trim())).toArray()).toArray(int[][]::new);
        for (int[] t : s) {
            if (t.length != 3) {
                throw new IllegalArgumentException("--shapes takes m,k,n triples, got " + java.util.Arrays.toString(t));
            }
        }
        double[] sp = java.util.Arrays.stream(blockSparsities).map(v -> v / 100).toArray();
        try (Backend b = Backends.open("cuda")) {
            CudaBackend gpu = (CudaBackend) b;
            List<TensorCoreBench.Row> rows = new TensorCoreBench(gpu, warmup, runs,
                    m -> System.err.println("[tcbench] " + m)).run(s, sp);
            String command = "prune4j " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            String md = TensorCoreBench.markdown(rows, gpu.description(), command, java.time.LocalDate.now().toString());
            Files.createDirectories(out);
            Files.writeString(out.resolve("tensor-cores.md"), md);
            StringBuilder csv = new StringBuilder("m,k,n,kernel,sparsity,median_ms,min_ms,max_ms,useful_tflops,speedup,"
                    + "rel_error\n");
            for (TensorCoreBench.Row r : rows) {
                csv.append(String.format(java.util.Locale.ROOT, "%d,%d,%d,%s,%.4f,%.6g,%.6g,%.6g,%.6g,%.6g,%.3g%n", r.m(),
                        r.k(), r.n(), r.kernel(), r.sparsity(), r.medianMs(), r.minMs(), r.maxMs(), r.usefulTflops(),
                        r.speedup(), r.relError()));
            }
            Files.writeString(out.resolve("tensor-cores.csv"), csv);
            System.out.println(md);
            System.out.println("wrote " + out.resolve("tensor-cores.md") + " and .csv");
        }
        return 0;
    }
}
