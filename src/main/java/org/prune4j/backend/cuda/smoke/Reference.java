package org.prune4j.backend.cuda.smoke;

/**
 * Double-precision host products for the smoke cases, with the per-entry magnitude bound
 * (sum of |a b|) the errors are measured against; written here rather than shared with the test
 * reference so the smoke step ships in the jar.
 */
final class Reference {
    private static final double EPS32 = Math.ulp(1.0f);

    private Reference() {
    }

    /** {@code op(a) op(b)} of row-major a and b; out[0] the product, out[1] the bounds. */
    static double[][] gemm(float[] a, boolean ta, float[] b, boolean tb, int m, int n, int k) {
        double[] want = new double[m * n], abs = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, sa = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * m + i] : a[i * k + p];
                    double y = tb ? b[j * k + p] : b[p * n + j];
                    s += x * y;
                    sa += Math.abs(x * y);
                }
                want[i * n + j] = s;
                abs[i * n + j] = sa;
            }
        }
        return new double[][] {want, abs};
    }

    /** The largest |got - want| / bound over all entries (NaN if any got is NaN). */
    static double error(float[] got, double[][] ref) {
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            if (Float.isNaN(got[i])) {
                return Double.NaN;
            }
            double d = Math.abs(got[i] - ref[0][i]);
            double e = d == 0 ? 0 : d / Math.max(ref[1][i], 1e-30);
            worst = Math.max(worst, e);
        }
        return worst;
    }

    /** The float32 bound of a sum of k products: what a correct kernel with fp32 accumulation stays under. */
    static double fp32(int k) {
        return 2.0 * Math.max(k, 1) * EPS32;
    }

    /** Same check, one call. */
    static Check check(float[] got, double[][] ref, double tolerance, String detail) {
        return new Check(error(got, ref), tolerance, detail);
    }
}
