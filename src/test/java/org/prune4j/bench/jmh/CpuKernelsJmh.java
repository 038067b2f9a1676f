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
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** CSR SpMM (both products), SDDMM and the Java GEMM on one weight shape. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class CpuKernelsJmh {
    @Param({"1024"})
    int size;

    @Param({"256"})
    int n;

    @Param({"0.5", "0.9", "0.99"})
    double sparsity;

    private CpuBackend cpu;
    private CsrMatrix w;
    private Tensor dense;
    private Tensor x;
    private Tensor y;
    private Tensor dy;
    private Tensor dx;
    private float[] grad;

    @Setup
    public void setup() {
        Rng rng = new Rng(1);
        cpu = new CpuBackend(new JavaGemm());
        dense = Tensor.uniform(rng, -1, 1, size, size);
        w = CsrMatrix.fromDense(dense, Mask.randomExact(size, size, 1 - sparsity, rng));
        w.transpose();
        x = Tensor.uniform(rng, -1, 1, size, n);
        y = Tensor.zeros(size, n);
        dy = Tensor.uniform(rng, -1, 1, size, n);
        dx = Tensor.zeros(size, n);
        grad = new float[w.nnz()];
    }

    @Benchmark
    public Tensor csrForward() {
        cpu.spmm(w, Op.N, x, y);
        return y;
    }

    @Benchmark
    public Tensor csrBackward() {
        cpu.spmm(w, Op.T, dy, dx);
        return dx;
    }

    @Benchmark
    public float[] sddmm() {
        cpu.sddmm(dy, x, w, grad);
        return grad;
    }

    @Benchmark
    public Tensor javaGemm() {
        cpu.gemm(Op.N, Op.N, 1f, dense, x, 0f, y);
        return y;
    }
}
