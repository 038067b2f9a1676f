package org.prune4j;

import org.prune4j.tensor.Tensor;

/** Double-precision naive products: the independent reference every kernel test compares with. */
public final class Reference {
    private Reference() {
    }

    /** alpha * op(a) op(b) + beta * c0, in double; also returns per-entry sum |alpha a b| + |beta c| in abs. */
    public static double[] gemm(boolean ta, boolean tb, double alpha, Tensor a, Tensor b, double beta, float[] c0,
            int m, int n, int k, double[] abs) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, sa = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a.get(p, i) : a.get(i, p);
                    double y = tb ? b.get(j, p) : b.get(p, j);
                    s += x * y;
                    sa += Math.abs(x * y);
                }
                double cv = beta == 0 ? 0 : beta * c0[i * n + j];
                out[i * n + j] = alpha * s + cv;
                abs[i * n + j] = Math.abs(alpha) * sa + Math.abs(cv);
            }
        }
        return out;
    }

    /** op(w) x for a dense w, with the abs-sum bound per entry. */
    public static double[] matmul(Tensor w, boolean transposeW, Tensor x, double[] abs) {
        int m = transposeW ? w.cols() : w.rows();
        int k = transposeW ? w.rows() : w.cols();
        return gemm(transposeW, false, 1.0, w, x, 0.0, null, m, x.cols(), k, abs);
    }

    /**
     * Asserts |got - want| <= 2 k eps32 * abs + tiny for every entry: the worst-case bound of a
     * float32 sum of k products, far below what a wrong index or a missed entry produces.
     */
    public static void assertClose(float[] got, double[] want, double[] abs, int k, String what) {
        if (got.length != want.length) {
            throw new AssertionError(what + ": length " + got.length + " != " + want.length);
        }
        double eps = Math.ulp(1.0f);
        for (int i = 0; i < got.length; i++) {
            double tol = 2.0 * Math.max(k, 1) * eps * abs[i] + 1e-30;
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                throw new AssertionError(what + ": entry " + i + " is " + got[i] + ", reference " + want[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }
}
