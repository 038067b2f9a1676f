package org.prune4j.bench;

/** How far a result is from a reference, so a fast but wrong kernel cannot win a benchmark. */
public final class RelativeError {
    private RelativeError() {
    }

    /** ||got - want||_2 / max(||want||_2, tiny). */
    public static double frobenius(float[] got, float[] want) {
        if (got.length != want.length) {
            throw new IllegalArgumentException("lengths differ: " + got.length + " vs " + want.length);
        }
        double num = 0, den = 0;
        for (int i = 0; i < got.length; i++) {
            double d = (double) got[i] - want[i];
            num += d * d;
            den += (double) want[i] * want[i];
        }
        return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
    }
}
