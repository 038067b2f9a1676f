package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.prune4j.Reference;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.DenseGemm;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.backend.cpu.OpenBlasGemm;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

class GemmTest {
    private static final long SEED = System.nanoTime();

    static List<DenseGemm> gemms() {
        List<DenseGemm> g = new ArrayList<>();
        g.add(new JavaGemm());
        OpenBlasGemm.load().gemm().ifPresent(g::add);
        return g;
    }

    static Stream<Object[]> cases() {
        int[][] shapes = {{1, 1, 1}, {1, 300, 7}, {7, 1, 13}, {6, 32, 256}, {13, 67, 5}, {97, 65, 300}, {200, 33, 257},
            {5, 9, 0}};
        List<Object[]> out = new ArrayList<>();
        for (DenseGemm g : gemms()) {
            for (int[] s : shapes) {
                for (Op a : Op.values()) {
                    for (Op b : Op.values()) {
                        out.add(new Object[] {g, s[0], s[1], s[2], a, b});
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} {4}{5}")
    @MethodSource("cases")
    void matchesDoublePrecisionReference(DenseGemm g, int m, int n, int k, Op opA, Op opB) {
        Rng rng = new Rng(SEED ^ (m * 31L + n * 7L + k));
        Tensor a = opA.transposed() ? Tensor.uniform(rng, -1, 1, k, m) : Tensor.uniform(rng, -1, 1, m, k);
        Tensor b = opB.transposed() ? Tensor.uniform(rng, -1, 1, n, k) : Tensor.uniform(rng, -1, 1, k, n);
        Backend cpu = new CpuBackend(g);
        for (float beta : new float[] {0f, 0.5f}) {
            // beta == 0 must not read C: NaN in C would leak into the result.
            Tensor c = beta == 0f ? Tensor.filled(Float.NaN, m, n) : Tensor.uniform(rng, -1, 1, m, n);
            float[] c0 = c.data().clone();
            double[] abs = new double[m * n];
            double[] want = Reference.gemm(opA.transposed(), opB.transposed(), 1.5, a, b, beta, c0, m, n, k, abs);
            cpu.gemm(opA, opB, 1.5f, a, b, beta, c);
            Reference.assertClose(c.data(), want, abs, k, g.name() + " seed " + SEED + " beta " + beta);
        }
    }

    @Test
    void mismatchedShapesNameBothShapes() {
        Backend cpu = new CpuBackend(new JavaGemm());
        var e = assertThrows(IllegalArgumentException.class,
                () -> cpu.gemm(Op.N, Op.N, 1f, Tensor.zeros(3, 4), Tensor.zeros(5, 6), 0f, Tensor.zeros(3, 6)));
        assertTrue(e.getMessage().contains("3x4") && e.getMessage().contains("5x6"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> cpu.gemm(Op.N, Op.N, 1f, Tensor.zeros(3, 4), Tensor.zeros(4, 6), 0f, Tensor.zeros(6, 3)));
        assertTrue(e2.getMessage().contains("C must be 3x6"), e2.getMessage());
    }
}
