package org.prune4j.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one unit of every sparsity-like option: a fraction in [0, 1] ({@code 0.9}), or a
 * percentage written with its sign ({@code 90%}). A bare number above 1 is refused, since
 * {@code --sparsity 90} could only be a percentage missing its sign.
 */
final class Fraction implements ITypeConverter<Double> {

    @Override
    public Double convert(String value) {
        String v = value.trim();
        boolean percent = v.endsWith("%");
        double d;
        try {
            d = Double.parseDouble(percent ? v.substring(0, v.length() - 1).trim() : v);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number; write a fraction (0.9) or a "
                    + "percentage with its sign (90%)");
        }
        double f = percent ? d / 100 : d;
        if (!(f >= 0 && f <= 1)) {
            throw new TypeConversionException(String.format(Locale.ROOT, "'%s' is outside [0, 1]; sparsities and "
                    + "rates are fractions (0.9) or percentages with their sign (90%%)", value));
        }
        return f;
    }
}
