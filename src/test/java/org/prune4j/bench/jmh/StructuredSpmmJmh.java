package org.prune4j.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.prune4j.backend.Op;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.bench.Structure;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** The structured formats' forward and transposed products on one shape, for kernel tuning. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class StructuredSpmmJmh {
    @Param({"bsr8", "bsr16", "2:4", "channels"})
    String structure;

    @Param({"0.5", "0.9"})
    double sparsity;

    private CpuBackend cpu;
    private SparseMatrix w;
    private Tensor x;
    private Tensor y;
    private Tensor dy;
    private Tensor dx;

    @Setup
    public void setup() {
        Rng rng = new Rng(1);
        cpu = new CpuBackend(new JavaGemm());
        Structure s = Structure.named(structure);
        double sp = s.supports(sparsity) ? sparsity : 0.5;
        Tensor dense = Tensor.uniform(rng, -1, 1, 1024, 1024);
        w = s.build(dense, s.mask(1024, 1024, sp, rng));
        x = Tensor.uniform(rng, -1, 1, 1024, 256);
        y = Tensor.zeros(1024, 256);
        dy = Tensor.uniform(rng, -1, 1, 1024, 256);
        dx = Tensor.zeros(1024, 256);
    }

    @Benchmark
    public Tensor forward() {
        cpu.spmm(w, Op.N, x, y);
        return y;
    }

    @Benchmark
    public Tensor backward() {
        cpu.spmm(w, Op.T, dy, dx);
        return dx;
    }
}
