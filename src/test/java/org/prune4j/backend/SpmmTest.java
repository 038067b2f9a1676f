package org.prune4j.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.prune4j.Reference;
import org.prune4j.TestMasks;
import org.prune4j.TestMasks.Kind;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CompactedMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.NmMatrix;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Every sparse format, both products (W x and W^T dY), against the double-precision product of
 * the masked dense weight, on fresh random inputs and the edge cases.
 */
class SpmmTest {
    private static final long SEED = System.nanoTime();

    /** Builds a format from a dense weight; also says which mask it must reproduce. */
    interface Format {
        Mask mask(int rows, int cols, Kind kind, Rng rng);

        SparseMatrix build(Tensor w, Mask mask);
    }

    record Named(String name, Format f) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Format unstructured(java.util.function.BiFunction<Tensor, Mask, SparseMatrix> b) {
        return new Format() {
            public Mask mask(int r, int c, Kind k, Rng rng) {
                return TestMasks.unstructured(r, c, k, rng);
            }

            public SparseMatrix build(Tensor w, Mask m) {
                return b.apply(w, m);
            }
        };
    }

    static Format nm(int n, int m, boolean packed) {
        return new Format() {
            public Mask mask(int r, int c, Kind k, Rng rng) {
                return TestMasks.nm(r, c, n, m, k, rng);
            }

            public SparseMatrix build(Tensor w, Mask mask) {
                return packed ? TwoFourMatrix.fromDense(w, mask) : NmMatrix.fromDense(w, mask, n, m);
            }
        };
    }

    static List<Named> formats() {
        List<Named> f = new ArrayList<>();
        f.add(new Named("csr", unstructured(CsrMatrix::fromDense)));
        for (int[] b : new int[][] {{1, 1}, {2, 4}, {4, 4}, {8, 8}, {16, 16}, {32, 32}, {32, 8}}) {
            f.add(new Named("bsr" + b[0] + "x" + b[1], unstructured((w, m) -> BsrMatrix.fromDense(w, m, b[0], b[1]))));
        }
        f.add(new Named("nm1:4", nm(1, 4, false)));
        f.add(new Named("nm2:4", nm(2, 4, false)));
        f.add(new Named("nm3:8", nm(3, 8, false)));
        f.add(new Named("2:4-packed", nm(2, 4, true)));
        f.add(new Named("compacted", new Format() {
            public Mask mask(int r, int c, Kind k, Rng rng) {
                return TestMasks.channels(r, c, k, rng);
            }

            public SparseMatrix build(Tensor w, Mask m) {
                return CompactedMatrix.fromDense(w, m);
            }
        }));
        return f;
    }

    static Stream<Object[]> cases() {
        // rows, cols, n: 1x1, a full register strip (64), non-multiples of every tile, n = 1.
        int[][] shapes = {{1, 1, 1}, {37, 53, 67}, {64, 64, 64}, {33, 100, 1}, {129, 70, 130}};
        List<Object[]> out = new ArrayList<>();
        for (Named f : formats()) {
            for (int[] s : shapes) {
                for (Kind k : Kind.values()) {
                    out.add(new Object[] {f, s[0], s[1], s[2], k});
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2} n={3} {4}")
    @MethodSource("cases")
    void bothProductsMatchTheMaskedDenseProduct(Named format, int rows, int cols, int n, Kind kind) {
        Rng rng = new Rng(SEED ^ (rows * 1_000_003L + cols * 1009L + n + kind.ordinal()));
        Tensor w = Tensor.uniform(rng, -1, 1, rows, cols);
        Mask mask = format.f().mask(rows, cols, kind, rng);
        SparseMatrix s = format.f().build(w, mask);
        Tensor masked = mask.apply(w);
        Backend cpu = new CpuBackend(new JavaGemm());

        Tensor x = Tensor.uniform(rng, -1, 1, cols, n);
        Tensor y = Tensor.filled(Float.NaN, rows, n);
        double[] abs = new double[rows * n];
        double[] want = Reference.matmul(masked, false, x, abs);
        cpu.spmm(s, Op.N, x, y);
        Reference.assertClose(y.data(), want, abs, cols, format + " W x, seed " + SEED);

        Tensor dy = Tensor.uniform(rng, -1, 1, rows, n);
        Tensor dx = Tensor.filled(Float.NaN, cols, n);
        double[] absT = new double[cols * n];
        double[] wantT = Reference.matmul(masked, true, dy, absT);
        cpu.spmm(s, Op.T, dy, dx);
        Reference.assertClose(dx.data(), wantT, absT, rows, format + " W^T dY, seed " + SEED);
    }
}
