package org.prune4j.backend.cpu;

import org.prune4j.backend.Backend;
import org.prune4j.backend.Capabilities;
import org.prune4j.backend.Op;
import org.prune4j.backend.Shapes;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CompactedMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.NmMatrix;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Tensor;

/**
 * The CPU backend: all cores, the dense GEMM it was given (OpenBLAS when installed, else
 * {@link JavaGemm}), the sparse kernels of {@link CpuSparseKernels}, and every training
 * operation ({@link CpuTrainingOps}). Its tensors are host arrays, so nothing is ever copied.
 */
public final class CpuBackend extends CpuTrainingOps implements Backend {
    private final DenseGemm gemm;

    public CpuBackend(DenseGemm gemm) {
        this.gemm = gemm;
    }

    /** The best dense GEMM this machine has: OpenBLAS if it loads, else the Java GEMM. */
    public static DenseGemm bestGemm() {
        return OpenBlasGemm.load().gemm().<DenseGemm>map(g -> g).orElseGet(JavaGemm::new);
    }

    public DenseGemm denseGemm() {
        return gemm;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "cpu, " + Parallel.THREADS + " threads, " + SparseRowKernels.S.vectorBitSize() + "-bit vectors, dense "
                + gemm.name();
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.all();
    }

    @Override
    public void fill(Tensor t, float value) {
        java.util.Arrays.fill(t.data(), value);
    }

    @Override
    public void gemm(Op opA, Op opB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int[] mnk = Shapes.gemm(opA, opB, a, b, c);
        gemm.sgemm(opA.transposed(), opB.transposed(), mnk[0], mnk[1], mnk[2], alpha, a.data(), a.cols(), b.data(),
                b.cols(), beta, c.data(), c.cols());
    }

    @Override
    public void spmm(SparseMatrix w, Op opW, Tensor x, Tensor y) {
        Shapes.spmm(w, opW, x, y);
        int n = x.cols();
        float[] xd = x.data(), yd = y.data();
        switch (w) {
            case CsrMatrix csr -> CpuSparseKernels.csr(opW == Op.N ? csr : csr.transpose(), xd, n, yd);
            case BsrMatrix bsr -> CpuSparseKernels.bsr(opW == Op.N ? bsr : bsr.transpose(), xd, n, yd);
            case NmMatrix nm -> CpuSparseKernels.nm(nm, opW, xd, n, yd);
            case TwoFourMatrix tf -> CpuSparseKernels.twoFour(tf, opW, xd, n, yd);
            case CompactedMatrix cm -> CpuSparseKernels.compacted(cm, opW, xd, n, yd, gemm);
        }
    }

    @Override
    public void sddmm(Tensor a, Tensor b, CsrMatrix pattern, float[] out) {
        Shapes.sddmm(a, b, pattern, out);
        CpuSparseKernels.sddmm(a.data(), b.data(), a.cols(), pattern, out);
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        Shapes.same(x, y, "axpy");
        Elementwise.axpy(alpha, x.data(), y.data());
    }

    @Override
    public void scale(float alpha, Tensor x) {
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= alpha;
        }
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        Shapes.same(a, b, "mul");
        Shapes.same(a, out, "mul");
        float[] ad = a.data(), bd = b.data(), od = out.data();
        for (int i = 0; i < ad.length; i++) {
            od[i] = ad[i] * bd[i];
        }
    }

    @Override
    public void relu(Tensor x, Tensor out) {
        Shapes.same(x, out, "relu");
        Elementwise.relu(x.data(), out.data());
    }

    @Override
    public void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        Shapes.same(x, dy, "reluBackward");
        Shapes.same(x, dx, "reluBackward");
        Elementwise.reluBackward(x.data(), dy.data(), dx.data());
    }

    @Override
    public void addRowVector(Tensor m, Tensor bias) {
        Shapes.rowVector(m, bias, "addRowVector");
        Elementwise.addRowVector(m.data(), m.rows(), m.cols(), bias.data());
    }

    @Override
    public void sumRows(Tensor m, Tensor out) {
        Shapes.rowVector(m, out, "sumRows");
        Elementwise.sumRows(m.data(), m.rows(), m.cols(), out.data());
    }
}
