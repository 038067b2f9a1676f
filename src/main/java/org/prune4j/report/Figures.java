package org.prune4j.report;

import java.math.BigDecimal;
import java.math.MathContext;

/** How a measured figure is written in tables and logs. */
public final class Figures {
    private Figures() {
    }

    /**
     * {@code x} to three significant digits in plain notation (1230, not 1.23e+03: a slow step
     * on a CPU takes seconds), trailing zeros kept (0.500, 1.50); empty for NaN.
     */
    public static String threeDigits(double x) {
        if (Double.isNaN(x)) {
            return "";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        BigDecimal d = new BigDecimal(x).round(new MathContext(3));
        int integerDigits = d.precision() - d.scale();
        return d.setScale(Math.max(0, 3 - integerDigits)).toPlainString();
    }
}
