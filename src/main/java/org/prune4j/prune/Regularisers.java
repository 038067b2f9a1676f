package org.prune4j.prune;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.prune4j.nn.HardConcreteGates;
import org.prune4j.nn.TargetedWeightDropout;
import org.prune4j.nn.VariationalDropout;
import org.prune4j.nn.WeightForm;
import org.prune4j.nn.WeightedLayer;

/**
 * The regularisation routes to sparsity by name, with their parameters checked: what
 * {@code prune --regularise} and {@link org.prune4j.experiment.PruningSettings.Regularise} build.
 * <ul>
 * <li>{@code targeted-dropout}: Gomez et al. 2019, targeted fraction gamma, drop rate alpha
 * ({@link TargetedWeightDropout}); ends with each unit's gamma smallest weights pruned.
 * <li>{@code variational-dropout}: Molchanov et al. 2017, no parameter ({@link VariationalDropout});
 * ends with every weight whose log alpha exceeds 3 pruned, the paper's threshold.
 * <li>{@code l0}: Louizos et al. 2018, a hard-concrete gate per weight with penalty lambda / N
 * per expected open gate ({@link HardConcreteGates}); ends with the gates that are zero at test
 * time pruned and the rest folded into the weights.
 * </ul>
 */
public final class Regularisers {
    public static final String TARGETED_DROPOUT = "targeted-dropout";
    public static final String VARIATIONAL_DROPOUT = "variational-dropout";
    public static final String L0 = "l0";
    public static final List<String> METHODS = List.of(TARGETED_DROPOUT, VARIATIONAL_DROPOUT, L0);
    /** The gates' initial drop probability, as in the authors' code. */
    public static final double L0_INITIAL_DROP = 0.5;
    /** Molchanov et al.'s threshold: a weight with log alpha above it is pruned. */
    public static final double LOG_ALPHA_THRESHOLD = 3;

    private Regularisers() {
    }

    /** Checks a method's name and parameters; parameters it does not use must be 0. */
    public static void check(String method, double gamma, double alpha, double lambda) {
        switch (method == null ? "" : method) {
            case TARGETED_DROPOUT -> {
                if (!(gamma > 0 && gamma < 1)) {
                    throw new IllegalArgumentException("--td-gamma, the fraction of each unit's weights targeted, must "
                            + "be in (0, 1), got " + gamma + " (Gomez et al.: 0.5-0.99; it is the sparsity reached)");
                }
                if (!(alpha > 0 && alpha <= 1)) {
                    throw new IllegalArgumentException("--td-alpha, the drop rate of targeted weights, must be in (0, 1],"
                            + " got " + alpha + " (Gomez et al.: 0.5 and up)");
                }
                unused(lambda, "--l0-lambda", method);
            }
            case VARIATIONAL_DROPOUT -> {
                unused(gamma, "--td-gamma", method);
                unused(alpha, "--td-alpha", method);
                unused(lambda, "--l0-lambda", method);
            }
            case L0 -> {
                unused(gamma, "--td-gamma", method);
                unused(alpha, "--td-alpha", method);
                if (!(lambda > 0) || Double.isInfinite(lambda)) {
                    throw new IllegalArgumentException("--l0-lambda, the penalty per expected non-zero gate (divided "
                            + "by the training-set size), must be positive and finite, got " + lambda
                            + " (Louizos et al., LeNet-300-100: 0.1)");
                }
            }
            default -> throw new IllegalArgumentException("unknown regulariser '" + method + "'; choose from " + METHODS);
        }
    }

    private static void unused(double value, String option, String method) {
        if (value != 0) {
            throw new IllegalArgumentException(option + " does not apply to --regularise " + method + "; leave it out");
        }
    }

    /** The weight form of each layer; {@code examples} is the training set's size (the penalties are per example). */
    public static Function<WeightedLayer, WeightForm> form(String method, double gamma, double alpha, double lambda,
            int examples) {
        check(method, gamma, alpha, lambda);
        if (examples <= 0) {
            throw new IllegalArgumentException("a regulariser needs a non-empty training set, got " + examples);
        }
        return switch (method) {
            case TARGETED_DROPOUT -> l -> new TargetedWeightDropout(l, gamma, alpha);
            case VARIATIONAL_DROPOUT -> l -> new VariationalDropout(l, examples, LOG_ALPHA_THRESHOLD);
            case L0 -> l -> new HardConcreteGates(l, lambda, examples, L0_INITIAL_DROP);
            default -> throw new IllegalArgumentException("unknown regulariser '" + method + "'");
        };
    }

    public static String label(String method, double gamma, double alpha, double lambda) {
        return switch (method) {
            case TARGETED_DROPOUT -> String.format(Locale.ROOT, "targeted dropout (gamma %s, alpha %s)", num(gamma),
                    num(alpha));
            case VARIATIONAL_DROPOUT -> "sparse variational dropout (log alpha > " + num(LOG_ALPHA_THRESHOLD) + ")";
            case L0 -> "L0 hard-concrete gates (lambda " + num(lambda) + ")";
            default -> method;
        };
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
