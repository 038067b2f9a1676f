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
import org.prune4j.TestMasks;
import org.prune4j.TestMasks.Kind;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

class SddmmTest {
    private static final long SEED = System.nanoTime();

    static Stream<Object[]> cases() {
        int[][] shapes = {{1, 1, 1}, {40, 31, 1}, {17, 23, 67}, {64, 64, 16}, {100, 3, 200}};
        List<Object[]> out = new ArrayList<>();
        for (int[] s : shapes) {
            for (Kind k : Kind.values()) {
                out.add(new Object[] {s[0], s[1], s[2], k});
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}x{1} k={2} {3}")
    @MethodSource("cases")
    void sampledProductMatchesDoubleReference(int rows, int cols, int k, Kind kind) {
        Rng rng = new Rng(SEED ^ (rows * 7919L + cols * 31L + k));
        Tensor a = Tensor.uniform(rng, -1, 1, rows, k);
        Tensor b = Tensor.uniform(rng, -1, 1, cols, k);
        CsrMatrix pattern = CsrMatrix.fromDense(Tensor.uniform(rng, -1, 1, rows, cols),
                TestMasks.unstructured(rows, cols, kind, rng));
        float[] out = new float[pattern.nnz()];
        java.util.Arrays.fill(out, Float.NaN);
        new CpuBackend(new JavaGemm()).sddmm(a, b, pattern, out);
        double[] abs = new double[rows * cols];
        double[] full = Reference.gemm(false, true, 1.0, a, b, 0.0, null, rows, cols, k, abs);
        double[] want = new double[pattern.nnz()];
        double[] wantAbs = new double[pattern.nnz()];
        for (int i = 0; i < rows; i++) {
            for (int p = pattern.rowPtr()[i]; p < pattern.rowPtr()[i + 1]; p++) {
                want[p] = full[i * cols + pattern.colIdx()[p]];
                wantAbs[p] = abs[i * cols + pattern.colIdx()[p]];
            }
        }
        Reference.assertClose(out, want, wantAbs, k, "sddmm seed " + SEED);
    }

    @Test
    void wrongShapesAreNamed() {
        CsrMatrix p = CsrMatrix.fromDense(Tensor.filled(1f, 3, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> new CpuBackend(new JavaGemm())
                .sddmm(Tensor.zeros(3, 5), Tensor.zeros(4, 6), p, new float[12]));
        assertTrue(e.getMessage().contains("same number of columns"), e.getMessage());
    }
}
