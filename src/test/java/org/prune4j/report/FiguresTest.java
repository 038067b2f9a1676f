package org.prune4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Three significant digits, worked by hand, never in scientific notation. */
class FiguresTest {
    @Test
    void threeSignificantDigitsInPlainNotation() {
        assertEquals("0.500", Figures.threeDigits(0.5));
        assertEquals("1.50", Figures.threeDigits(1.5));
        assertEquals("248", Figures.threeDigits(248.4));
        assertEquals("1230", Figures.threeDigits(1234.5), "a slow step is not 1.23e+03");
        assertEquals("0.0123", Figures.threeDigits(0.012345));
        assertEquals("100", Figures.threeDigits(99.96), "rounding up gains a digit");
        assertEquals("0.00", Figures.threeDigits(0));
        assertEquals("", Figures.threeDigits(Double.NaN));
    }
}
