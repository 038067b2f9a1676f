package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Products whose output shares storage with an input are refused with both names; they used to
 * return wrong answers (issue 13, item 10). Elementwise ops that allow {@code out == in} still do.
 */
class AliasingTest {
    private final Backend b = new CpuBackend(CpuBackend.bestGemm());
    private final Rng rng = new Rng(4);

    @Test
    void gemmRejectsAnOutputThatIsAnInputOrAViewOfOne() {
        Tensor a = Tensor.uniform(rng, -1, 1, 8, 8), x = Tensor.uniform(rng, -1, 1, 8, 8);
        String m = assertThrows(IllegalArgumentException.class, () -> b.gemm(Op.N, Op.N, 1f, a, x, 0f, a))
                .getMessage();
        assertTrue(m.contains("gemm: the output C (8x8) shares its storage with the input A"), m);
        Tensor flat = Tensor.uniform(rng, -1, 1, 64);
        assertThrows(IllegalArgumentException.class, () -> b.gemm(Op.N, Op.N, 1f, a, flat.reshape(8, 8), 0f,
                flat.reshape(8, 8)));
        Tensor wrapped = Tensor.wrap(x.data(), 8, 8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.gemm(Op.N, Op.T, 1f, a, x, 0f, wrapped))
                .getMessage().contains("with the input B"));
    }

    @Test
    void spmmAndSddmmRejectAliasedOutputs() {
        Tensor w = Tensor.uniform(rng, -1, 1, 8, 8);
        CsrMatrix s = CsrMatrix.fromDense(w, Mask.random(8, 8, 0.5, rng));
        Tensor x = Tensor.uniform(rng, -1, 1, 8, 4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.spmm(s, Op.N, x, x)).getMessage()
                .contains("spmm: the output Y (8x4) shares its storage with the input X"));
        float[] out = new float[s.nnz()];
        Tensor a = Tensor.uniform(rng, -1, 1, 8, 4);
        assertThrows(IllegalArgumentException.class, () -> b.sddmm(a, x, s, s.values()));
        b.sddmm(a, x, s, out);
    }

    @Test
    void elementwiseOpsStillRunInPlace() {
        Tensor x = Tensor.wrap(new float[] {-1, 2, -3, 4}, 2, 2);
        b.relu(x, x);
        assertArrayEquals(new float[] {0, 2, 0, 4}, x.data());
        b.mul(x, x, x);
        assertArrayEquals(new float[] {0, 4, 0, 16}, x.data());
    }
}
