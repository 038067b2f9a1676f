package org.prune4j.backend;

import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Tensor;

/**
 * The network operations of a training step, so that a whole step (forward, backward,
 * optimiser) runs where the tensors live. Tensors are row-major; images are
 * {@code n x C x H x W}; activations of fully connected layers are batch-major
 * ({@code batch x features}), the layout they arrive in, and the sparse products take them so.
 * Products take an {@link ActivationLayout}: batch-major for fully connected layers,
 * feature-major for a convolution's im2col matrix.
 * Every method is a default that throws {@link UnsupportedOperationException}: a backend
 * overrides the groups it declares in {@link Backend#capabilities()}.
 */
public interface TrainingOps {

    String name();

    // ---- masks -------------------------------------------------------------------------

    /** The mask in this backend's memory, built once per mask change. */
    @Requires(Feature.MASKS)
    default MaskHandle prepareMask(Mask mask) {
        throw Unsupported.of(name(), Feature.MASKS, "prepareMask");
    }

    /** Zeroes the entries of the weight-shaped {@code t} that the mask prunes. */
    @Requires(Feature.MASKS)
    default void applyMask(MaskHandle mask, Tensor t) {
        throw Unsupported.of(name(), Feature.MASKS, "applyMask");
    }

    // ---- persistent sparse weights -------------------------------------------------------

    /** Builds the row and column indexes of {@code pattern} in this backend's memory (values ignored). */
    @Requires(Feature.SPARSE_TRAINING)
    default SparseWeight prepareSparse(CsrMatrix pattern) {
        throw Unsupported.of(name(), Feature.SPARSE_TRAINING, "prepareSparse");
    }

    /**
     * As {@link #prepareSparse(CsrMatrix)} for a pattern made of whole {@code blocks} (see
     * {@link BlockShape#of}): a backend with block kernels stores the values block by block and
     * runs those; one without runs the pattern as CSR, which computes the same products. The
     * returned weight's {@link SparseWeight#blocks()} says which.
     */
    @Requires(Feature.SPARSE_TRAINING)
    default SparseWeight prepareSparse(CsrMatrix pattern, BlockShape blocks) {
        return prepareSparse(pattern);
    }

    /**
     * The forward product with the stored weights {@code values} (nnz, in the pattern's order): batch-major
     * {@code y = x W^T} (x batch x cols, y batch x rows) or feature-major {@code y = W x} (x cols
     * x n, y rows x n).
     */
    @Requires(Feature.SPARSE_TRAINING)
    default void sparseForward(SparseWeight w, Tensor values, Tensor x, Tensor y, ActivationLayout layout) {
        throw Unsupported.of(name(), Feature.SPARSE_TRAINING, "sparseForward");
    }

    /**
     * Both gradients of {@link #sparseForward}: the input gradient ({@code dx = dy W} batch-major,
     * {@code W^T dy} feature-major; skipped when dx is null, as for a first layer) and
     * {@code dvalues[p]}, the weight gradient at each stored (i, j): the dot product of dy's
     * output i and x's feature j over the examples.
     */
    @Requires(Feature.SPARSE_TRAINING)
    default void sparseBackward(SparseWeight w, Tensor values, Tensor dy, Tensor x, Tensor dx, Tensor dvalues,
            ActivationLayout layout) {
        throw Unsupported.of(name(), Feature.SPARSE_TRAINING, "sparseBackward");
    }

    /** {@code values[p] = dense[i, j]} at each stored (i, j). */
    @Requires(Feature.SPARSE_TRAINING)
    default void gatherValues(SparseWeight w, Tensor dense, Tensor values) {
        throw Unsupported.of(name(), Feature.SPARSE_TRAINING, "gatherValues");
    }

    /** {@code dense} becomes zero except {@code dense[i, j] = values[p]} at each stored (i, j). */
    @Requires(Feature.SPARSE_TRAINING)
    default void scatterValues(SparseWeight w, Tensor values, Tensor dense) {
        throw Unsupported.of(name(), Feature.SPARSE_TRAINING, "scatterValues");
    }

    // ---- convolution -------------------------------------------------------------------

    /**
     * Unfolds {@code x} (n x C x H x W) for a k x k convolution with zero padding and a stride,
     * feature-major: {@code cols} is (C * k * k) x (n * OH * OW), rows ordered (channel, ky, kx),
     * columns (image, oy, ox). Each row is runs of whole input rows, so the unfold is copies.
     */
    @Requires(Feature.CONV)
    default void im2col(Tensor x, int k, int pad, int stride, Tensor cols) {
        throw Unsupported.of(name(), Feature.CONV, "im2col");
    }

    /** {@link #im2col(Tensor, int, int, int, Tensor)} at stride 1, as before strides existed. */
    @Requires(Feature.CONV)
    default void im2col(Tensor x, int k, int pad, Tensor cols) {
        im2col(x, k, pad, 1, cols);
    }

    /** {@link #col2im(Tensor, int, int, int, Tensor)} at stride 1. */
    @Requires(Feature.CONV)
    default void col2im(Tensor cols, int k, int pad, Tensor dx) {
        col2im(cols, k, pad, 1, dx);
    }

    /** The adjoint of {@link #im2col}: overwrites {@code dx} with the sum of every column entry at its pixel. */
    @Requires(Feature.CONV)
    default void col2im(Tensor cols, int k, int pad, int stride, Tensor dx) {
        throw Unsupported.of(name(), Feature.CONV, "col2im");
    }

    /**
     * Treats src as {@code rows x cols} blocks of {@code inner} values and writes it as
     * {@code cols x rows} blocks: {@code dst[j][i][:] = src[i][j][:]}. A convolution's output
     * (channels x images x pixels) becomes images x channels x pixels this way, and back.
     */
    @Requires(Feature.CONV)
    default void transposeBlocks(Tensor src, int rows, int cols, int inner, Tensor dst) {
        throw Unsupported.of(name(), Feature.CONV, "transposeBlocks");
    }

    /** {@code t[o][c][i] += bias[c]} with t viewed as (any) x channels x inner: a convolution's bias. */
    @Requires(Feature.CONV)
    default void addChannelBias(Tensor t, int channels, int inner, Tensor bias) {
        throw Unsupported.of(name(), Feature.CONV, "addChannelBias");
    }

    /** {@code out[c] = sum over o, i of t[o][c][i]}: the gradient of {@link #addChannelBias}. */
    @Requires(Feature.CONV)
    default void sumChannels(Tensor t, int channels, int inner, Tensor out) {
        throw Unsupported.of(name(), Feature.CONV, "sumChannels");
    }

    // ---- pooling -----------------------------------------------------------------------

    /** Max over {@code size x size} windows with stride {@code size}; a partial last window is dropped. */
    @Requires(Feature.POOL)
    default void maxPool(Tensor x, int size, Tensor y) {
        throw Unsupported.of(name(), Feature.POOL, "maxPool");
    }

    /** Routes each output gradient to the first maximum of its window in x (row-major scan); overwrites dx. */
    @Requires(Feature.POOL)
    default void maxPoolBackward(Tensor x, Tensor dy, int size, Tensor dx) {
        throw Unsupported.of(name(), Feature.POOL, "maxPoolBackward");
    }

    // ---- batch normalisation -----------------------------------------------------------

    /**
     * Normalises each channel of x ({@code n x channels x spatial}, spatial = H*W or 1): with
     * batch statistics when training (updating the running ones with {@code momentum}, the
     * running variance unbiased), with the running ones otherwise. Keeps {@code xhat} (like x)
     * and {@code invStd} (per channel) for the backward pass.
     */
    @Requires(Feature.BATCH_NORM)
    default void batchNormForward(Tensor x, int channels, int spatial, boolean training, float momentum, float eps,
            Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, Tensor xhat, Tensor invStd, Tensor y) {
        throw Unsupported.of(name(), Feature.BATCH_NORM, "batchNormForward");
    }

    /** Gradients of {@link #batchNormForward}; after an evaluation pass the layer is affine. */
    @Requires(Feature.BATCH_NORM)
    default void batchNormBackward(Tensor dy, Tensor xhat, Tensor invStd, Tensor gamma, int channels, int spatial,
            boolean training, Tensor dgamma, Tensor dbeta, Tensor dx) {
        throw Unsupported.of(name(), Feature.BATCH_NORM, "batchNormBackward");
    }

    // ---- dropout -----------------------------------------------------------------------

    /**
     * Inverted dropout: element i is kept when {@link DropoutHash#uniform}(seed, i) >= p and
     * scaled by 1/(1-p). The keep decision is a pure function of (seed, i), so every backend
     * draws the same mask and the backward pass recomputes it instead of storing it.
     */
    @Requires(Feature.DROPOUT)
    default void dropout(Tensor x, float p, long seed, Tensor y) {
        throw Unsupported.of(name(), Feature.DROPOUT, "dropout");
    }

    @Requires(Feature.DROPOUT)
    default void dropoutBackward(Tensor dy, float p, long seed, Tensor dx) {
        throw Unsupported.of(name(), Feature.DROPOUT, "dropoutBackward");
    }

    // ---- loss --------------------------------------------------------------------------

    /**
     * Softmax cross-entropy of {@code logits} (batch x classes) against {@code labels} (batch
     * class indices stored as floats). Writes the gradient of the mean loss into {@code grad}
     * (skipped when null) and adds to {@code stats}: [0] the summed loss of the rows, [1] the
     * rows predicted right, [2] the rows with non-finite logits (their loss and gradient are
     * left out). The sums stay in the backend's memory until the caller reads them.
     */
    @Requires(Feature.LOSS)
    default void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor grad, Tensor stats) {
        throw Unsupported.of(name(), Feature.LOSS, "softmaxCrossEntropy");
    }

    /**
     * Knowledge distillation (Hinton et al. 2015) of {@code student} logits towards
     * {@code teacher} logits (both batch x classes) at temperature T: per row
     * {@code weight * T^2 * KL(softmax(t/T) || softmax(s/T)) + (1 - weight) * CE(s, y)}. The T^2
     * keeps the soft term's gradient on the scale of the hard one's as T grows. Writes the
     * gradient of the mean, {@code (weight * T * (softmax(s/T) - softmax(t/T)) + (1 - weight) *
     * (softmax(s) - onehot(y))) / n}, and adds to {@code stats} as {@link #softmaxCrossEntropy}
     * does: [0] the summed loss, [1] the student's correct rows, [2] rows with a non-finite
     * student or teacher logit (left out).
     */
    @Requires(Feature.DISTILLATION)
    default void distillationLoss(Tensor student, Tensor teacher, Tensor labels, float temperature, float weight,
            Tensor grad, Tensor stats) {
        throw Unsupported.of(name(), Feature.DISTILLATION, "distillationLoss");
    }

    // ---- k-winners-take-all -------------------------------------------------------------

    /**
     * k-winners-take-all (Ahmad and Scheinkman 2019) over {@code x}, viewed as n examples (its
     * first dimension) of {@code units x spatial} values ({@code spatial} = H*W after a
     * convolution, whose winners are chosen over the whole C x H x W volume; 1 after a linear
     * layer). Each example keeps the {@code k} values largest after boosting, unit u's values
     * scaled by {@code exp(s * (k / (units * spatial) - dutyCycle[u]))} with s the strength
     * {@code boost} reaches after {@code seen[0]} training examples; ties go to the lower index.
     * {@code y} is x at the winners and 0 elsewhere (the outputs are not boosted), {@code winners}
     * 1 at the winners and 0 elsewhere, so the gradient is {@code dy * winners}. When
     * {@code training}, afterwards {@code seen[0] += n} and, with p = min(period, seen[0]), each
     * duty cycle becomes {@code (dutyCycle[u] * (p - n) + a[u]) / p}, a[u] the number of positive
     * outputs of unit u in the batch divided by {@code spatial}: the unit's fraction of recent
     * examples it won.
     */
    @Requires(Feature.K_WINNERS)
    default void kWinners(Tensor x, int units, int k, Boosting boost, boolean training, Tensor dutyCycle, Tensor seen,
            Tensor y, Tensor winners) {
        throw Unsupported.of(name(), Feature.K_WINNERS, "kWinners");
    }

    // ---- sparsity regularisers ---------------------------------------------------------

    /**
     * Targeted weight dropout (Gomez et al. 2019) of the weight {@code w} (outputs x inputs):
     * in each row (an output unit) the {@code candidates} weights of smallest magnitude are the
     * candidates (ties go to the lower index), and each candidate is dropped
     * when {@link DropoutHash#uniform}(seed, i) < alpha. Writes 0 for a dropped weight and 1
     * otherwise into the weight-shaped {@code keep}; alpha 1 drops every candidate (the pruned
     * network the method ends in).
     */
    @Requires(Feature.SPARSITY_REGULARISERS)
    default void targetedDropoutKeep(Tensor w, int candidates, float alpha, long seed, Tensor keep) {
        throw Unsupported.of(name(), Feature.SPARSITY_REGULARISERS, "targetedDropoutKeep");
    }

    /** {@code out = exp(x)} elementwise (the variances of variational dropout from their logs). */
    @Requires(Feature.SPARSITY_REGULARISERS)
    default void exp(Tensor x, Tensor out) {
        throw Unsupported.of(name(), Feature.SPARSITY_REGULARISERS, "exp");
    }

    /**
     * The local reparameterisation trick (Kingma, Salimans and Welling 2015): a pre-activation
     * with {@code mean} and {@code variance} (same shape) is sampled as
     * {@code y = mean + sqrt(variance) * eps}, eps standard normal by Box-Muller from
     * {@link DropoutHash#uniform}(seed, 2i) and (seed, 2i + 1), so the backward pass draws it again.
     */
    @Requires(Feature.SPARSITY_REGULARISERS)
    default void localReparameterisation(Tensor mean, Tensor variance, long seed, Tensor y) {
        throw Unsupported.of(name(), Feature.SPARSITY_REGULARISERS, "localReparameterisation");
    }

    /**
     * The gradient of {@link #localReparameterisation} with respect to the variance,
     * {@code dvariance = dy * eps / (2 sqrt(variance))} (0 where the variance is 0); the
     * gradient with respect to the mean is {@code dy} itself.
     */
    @Requires(Feature.SPARSITY_REGULARISERS)
    default void localReparameterisationBackward(Tensor dy, Tensor variance, long seed, Tensor dvariance) {
        throw Unsupported.of(name(), Feature.SPARSITY_REGULARISERS, "localReparameterisationBackward");
    }

    /**
     * Sparse variational dropout's penalty (Molchanov, Ashukha and Vetrov 2017), with
     * {@code log alpha = clip(logSigma2 - log(w^2 + 1e-8), -8, 8)} per weight (the authors'
     * clip) and their approximation {@code KL = k1 - k1 sigmoid(k2 + k3 log alpha) + 0.5
     * log(1 + 1/alpha)}, k1 0.63576, k2 1.87320, k3 1.48695. Adds {@code scale * dKL} to
     * {@code gradW} and {@code gradLogSigma2} (no gradient where the clip binds) and the unscaled
     * sum of KL to {@code klSum[0]}.
     */
    @Requires(Feature.SPARSITY_REGULARISERS)
    default void variationalDropoutKl(Tensor w, Tensor logSigma2, float scale, Tensor gradW, Tensor gradLogSigma2,
            Tensor klSum) {
        throw Unsupported.of(name(), Feature.SPARSITY_REGULARISERS, "variationalDropoutKl");
    }

    /** 1 where the clipped log alpha of {@link #variationalDropoutKl} is below {@code threshold}, else 0. */
    @Requires(Feature.SPARSITY_REGULARISERS)
    default void variationalDropoutKeep(Tensor w, Tensor logSigma2, float threshold, Tensor keep) {
        throw Unsupported.of(name(), Feature.SPARSITY_REGULARISERS, "variationalDropoutKeep");
    }

    /**
     * A hard-concrete gate per entry of {@code logAlpha} (Louizos, Welling and Kingma 2018,
     * beta 2/3, stretched to (-0.1, 1.1)): {@code s = sigmoid((log u - log(1 - u) + log alpha) /
     * beta)}, {@code z = min(1, max(0, s (zeta - gamma) + gamma))}, u from
     * {@link DropoutHash#uniform}(seed, i) moved into (0, 1). Writes z and dz/d(log alpha) (0
     * where the gate is clamped at 0 or 1).
     */
    @Requires(Feature.SPARSITY_REGULARISERS)
    default void hardConcreteGates(Tensor logAlpha, long seed, Tensor z, Tensor dz) {
        throw Unsupported.of(name(), Feature.SPARSITY_REGULARISERS, "hardConcreteGates");
    }

    /** The gates at test time, {@code min(1, max(0, sigmoid(log alpha) (zeta - gamma) + gamma))}. */
    @Requires(Feature.SPARSITY_REGULARISERS)
    default void hardConcreteTestGates(Tensor logAlpha, Tensor z) {
        throw Unsupported.of(name(), Feature.SPARSITY_REGULARISERS, "hardConcreteTestGates");
    }

    /**
     * The expected L0 norm of hard-concrete gates: per gate the probability it is non-zero,
     * {@code sigmoid(log alpha - beta log(-gamma / zeta))}. Adds {@code scale} times its
     * derivative to {@code grad} and the unscaled sum to {@code l0Sum[0]}.
     */
    @Requires(Feature.SPARSITY_REGULARISERS)
    default void hardConcretePenalty(Tensor logAlpha, float scale, Tensor grad, Tensor l0Sum) {
        throw Unsupported.of(name(), Feature.SPARSITY_REGULARISERS, "hardConcretePenalty");
    }

    // ---- optimisers --------------------------------------------------------------------

    /**
     * One SGD step: {@code g' = g + wd * w}; without momentum {@code w -= lr * g'}; with it
     * {@code v = mu * v + g'} and {@code w -= lr * (nesterov ? g' + mu * v : v)}. Where
     * {@code mask} (nullable) prunes, w and v are left untouched (they stay zero).
     */
    @Requires(Feature.OPTIMIZER)
    default void sgdUpdate(Tensor w, Tensor g, Tensor velocity, MaskHandle mask, float lr, float momentum,
            boolean nesterov, float weightDecay) {
        throw Unsupported.of(name(), Feature.OPTIMIZER, "sgdUpdate");
    }

    /**
     * One Adam step with bias correction folded into {@code stepSize = lr / (1 - beta1^t)} and
     * {@code sqrtC2 = sqrt(1 - beta2^t)}: {@code g' = g + wd * w; m = b1 m + (1-b1) g';
     * v = b2 v + (1-b2) g'^2; w -= stepSize * m / (sqrt(v) / sqrtC2 + eps)}. Pruned entries
     * (mask nullable) are left untouched.
     */
    @Requires(Feature.OPTIMIZER)
    default void adamUpdate(Tensor w, Tensor g, Tensor m, Tensor v, MaskHandle mask, float stepSize, float beta1,
            float beta2, float eps, float sqrtC2, float weightDecay) {
        throw Unsupported.of(name(), Feature.OPTIMIZER, "adamUpdate");
    }

    // ---- reductions --------------------------------------------------------------------

    /** {@code acc[0] += sum of x^2}, accumulated in double and added once: a gradient norm stays on the device. */
    @Requires(Feature.REDUCTION)
    default void sumOfSquares(Tensor x, Tensor acc) {
        throw Unsupported.of(name(), Feature.REDUCTION, "sumOfSquares");
    }

    /** {@code acc[0] +=} the number of NaN or infinite values in x. */
    @Requires(Feature.REDUCTION)
    default void countNonFinite(Tensor x, Tensor acc) {
        throw Unsupported.of(name(), Feature.REDUCTION, "countNonFinite");
    }
}
