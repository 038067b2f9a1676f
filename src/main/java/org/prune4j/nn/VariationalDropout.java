package org.prune4j.nn;

import java.util.List;
import org.prune4j.backend.Backend;
import org.prune4j.tensor.Tensor;

/**
 * Sparse variational dropout (Molchanov, Ashukha and Vetrov, "Variational Dropout Sparsifies
 * Deep Neural Networks", ICML 2017): each weight is Gaussian, mean {@code theta} (the layer's
 * weight) and variance {@code sigma^2}, trained as a separate {@code log sigma^2} (their
 * additive reparameterisation), with the log-uniform prior's KL approximated by their fit
 * ({@link org.prune4j.backend.TrainingOps#variationalDropoutKl}), divided by the training-set
 * size so that the loss is the per-example negative ELBO. Training passes sample the
 * pre-activations by the local reparameterisation trick: mean {@code x theta^T}, variance
 * {@code x^2 sigma^2^T}. Evaluation uses the means with every weight whose
 * {@code log alpha = log sigma^2 - log theta^2} reaches {@code threshold} (the paper: 3) set to
 * zero, which is the network the method ends in.
 */
public final class VariationalDropout extends WeightForm {
    /** The authors' initial log sigma^2: the weights start nearly deterministic. */
    public static final float INITIAL_LOG_SIGMA2 = -10f;
    private final Parameter logSigma2;
    private final float threshold;
    private final float klScale;
    private Tensor x2;
    private Tensor sigma2;
    private Tensor variance;
    private long seed;

    /**
     * @param examples  the training-set size N: the KL enters the per-example loss as KL / N
     * @param threshold log alpha at and above which a weight is pruned (the paper: 3)
     */
    public VariationalDropout(WeightedLayer layer, int examples, double threshold) {
        super(layer);
        if (examples <= 0) {
            throw new IllegalArgumentException("variational dropout divides its KL by the training-set size; got "
                    + examples + " examples");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("the log alpha threshold must be finite, got " + threshold
                    + " (Molchanov et al.: 3)");
        }
        this.threshold = (float) threshold;
        this.klScale = (float) (1.0 / examples);
        this.logSigma2 = new Parameter(weight.name() + ".log_sigma2", Parameter.Kind.AUXILIARY,
                Tensor.filled(INITIAL_LOG_SIGMA2, weight.shape()), weight.fanIn(), weight.fanOut());
    }

    public Parameter logSigma2() {
        return logSigma2;
    }

    @Override
    public List<Parameter> auxiliary() {
        return List.of(logSigma2);
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        Backend be = pass.backend();
        if (!pass.training()) {
            Tensor keep = weightShaped(pass, "keep");
            be.variationalDropoutKeep(w(be), value(logSigma2, be), threshold, keep);
            Tensor effective = weightShaped(pass, "effective");
            be.mul(w(be), keep, effective);
            return product(pass, "y-eval", effective, x);
        }
        seed = pass.rng().nextLong();
        sigma2 = weightShaped(pass, "sigma2");
        be.exp(value(logSigma2, be), sigma2);
        x2 = pass.buffer(this, "x2", x.shape());
        be.mul(x, x, x2);
        Tensor mean = product(pass, "mean", w(be), x);
        variance = product(pass, "variance", sigma2, x2);
        Tensor y = activation(pass, "y", weight.shape()[0], x);
        be.localReparameterisation(mean, variance, seed, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, Tensor x, Pass pass, boolean inputGradient) {
        Backend be = pass.backend();
        Tensor dvar = pass.buffer(this, "dvariance", dy.shape());
        be.localReparameterisationBackward(dy, variance, seed, dvar);
        Tensor gw = gradW(be);
        weightGradient(be, dy, x, gw);
        // d/d(log sigma^2) = (dvar^T x^2) * sigma^2
        Tensor gs = gradient(logSigma2, be);
        weightGradient(be, dvar, x2, gs);
        be.mul(gs, sigma2, gs);
        Tensor klSum = pass.buffer(this, "kl", 1);
        be.fill(klSum, 0f);
        be.variationalDropoutKl(w(be), value(logSigma2, be), klScale, gw, gs, klSum);
        if (!inputGradient) {
            return null;
        }
        // dx = dy theta + 2 x * (dvar sigma^2)
        Tensor dx = inputGradient(pass, "dx", dy, w(be));
        Tensor viaVariance = inputGradient(pass, "dx-variance", dvar, sigma2);
        be.mul(viaVariance, x, viaVariance);
        be.axpy(2f, viaVariance, dx);
        return dx;
    }

    @Override
    public Tensor testGates(Backend backend) {
        Tensor keep = backend.allocate(weight.shape());
        backend.variationalDropoutKeep(w(backend), value(logSigma2, backend), threshold, keep);
        return keep;
    }

    @Override
    public String describe() {
        return "sparse variational dropout (log alpha threshold " + threshold + ")";
    }
}
