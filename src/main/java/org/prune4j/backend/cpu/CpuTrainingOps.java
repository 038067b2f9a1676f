package org.prune4j.backend.cpu;

import org.prune4j.backend.ActivationLayout;
import org.prune4j.backend.Boosting;
import org.prune4j.backend.MaskHandle;
import org.prune4j.backend.SparseWeight;
import org.prune4j.backend.TrainingOps;
import org.prune4j.backend.TrainingShapes;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Tensor;

/**
 * The training operations of the CPU backend, on host arrays with no copies: shapes checked by
 * {@link TrainingShapes}, work done by the kernel classes of this package.
 */
abstract class CpuTrainingOps implements TrainingOps {

    @Override
    public MaskHandle prepareMask(Mask mask) {
        return new CpuMask(mask);
    }

    @Override
    public void applyMask(MaskHandle mask, Tensor t) {
        OptimizerKernels.applyMask(CpuMask.of(mask, t.size(), "applyMask"), t.data());
    }

    @Override
    public SparseWeight prepareSparse(CsrMatrix pattern) {
        return new CpuSparseWeight(pattern);
    }

    @Override
    public SparseWeight prepareSparse(CsrMatrix pattern, BlockShape blocks) {
        return CpuBlockWeight.runs(blocks) ? new CpuBlockWeight(pattern, blocks) : new CpuSparseWeight(pattern);
    }

    @Override
    public void sparseForward(SparseWeight w, Tensor values, Tensor x, Tensor y, ActivationLayout layout) {
        int n = TrainingShapes.sparseForward(w, values, x, y, layout);
        if (w instanceof CpuBlockWeight b) {
            BlockSparseProducts.forward(b, values.data(), x.data(), n, y.data(), layout);
            return;
        }
        CpuSparseWeight c = CpuSparseWeight.of(w, "sparseForward");
        if (layout == ActivationLayout.BATCH_MAJOR) {
            BatchMajorSparse.forward(c, values.data(), x.data(), n, y.data());
        } else {
            FeatureMajorSparse.forward(c, values.data(), x.data(), n, y.data());
        }
    }

    @Override
    public void sparseBackward(SparseWeight w, Tensor values, Tensor dy, Tensor x, Tensor dx, Tensor dvalues,
            ActivationLayout layout) {
        int n = TrainingShapes.sparseBackward(w, values, dy, x, dx, dvalues, layout);
        float[] dxd = dx == null ? null : dx.data();
        if (w instanceof CpuBlockWeight b) {
            BlockSparseProducts.backward(b, values.data(), dy.data(), x.data(), n, dxd, dvalues.data(), layout);
            return;
        }
        CpuSparseWeight c = CpuSparseWeight.of(w, "sparseBackward");
        if (layout == ActivationLayout.BATCH_MAJOR) {
            BatchMajorSparse.backward(c, values.data(), dy.data(), x.data(), n, dxd, dvalues.data());
        } else {
            FeatureMajorSparse.backward(c, values.data(), dy.data(), x.data(), n, dxd, dvalues.data());
        }
    }

    @Override
    public void gatherValues(SparseWeight w, Tensor dense, Tensor values) {
        TrainingShapes.gatherScatter(w, dense, values, "gatherValues");
        if (w instanceof CpuBlockWeight b) {
            b.gather(dense.data(), values.data());
            return;
        }
        CpuSparseWeight c = CpuSparseWeight.of(w, "gatherValues");
        float[] d = dense.data(), v = values.data();
        int cols = c.cols;
        for (int r = 0; r < c.rows; r++) {
            for (int p = c.rowPtr[r]; p < c.rowPtr[r + 1]; p++) {
                v[p] = d[r * cols + c.colIdx[p]];
            }
        }
    }

    @Override
    public void scatterValues(SparseWeight w, Tensor values, Tensor dense) {
        TrainingShapes.gatherScatter(w, dense, values, "scatterValues");
        if (w instanceof CpuBlockWeight b) {
            b.scatter(values.data(), dense.data());
            return;
        }
        CpuSparseWeight c = CpuSparseWeight.of(w, "scatterValues");
        float[] d = dense.data(), v = values.data();
        java.util.Arrays.fill(d, 0f);
        int cols = c.cols;
        for (int r = 0; r < c.rows; r++) {
            for (int p = c.rowPtr[r]; p < c.rowPtr[r + 1]; p++) {
                d[r * cols + c.colIdx[p]] = v[p];
            }
        }
    }

    @Override
    public void im2col(Tensor x, int k, int pad, int stride, Tensor cols) {
        int[] d = TrainingShapes.conv(x, k, pad, stride, "im2col");
        TrainingShapes.cols(d, k, cols, "im2col");
        ConvKernels.im2col(x.data(), d[0], d[1], d[2], d[3], k, pad, stride, cols.data());
    }

    @Override
    public void col2im(Tensor cols, int k, int pad, int stride, Tensor dx) {
        int[] d = TrainingShapes.conv(dx, k, pad, stride, "col2im");
        TrainingShapes.cols(d, k, cols, "col2im");
        ConvKernels.col2im(cols.data(), d[0], d[1], d[2], d[3], k, pad, stride, dx.data());
    }

    @Override
    public void transposeBlocks(Tensor src, int rows, int cols, int inner, Tensor dst) {
        TrainingShapes.transposeBlocks(src, rows, cols, inner, dst);
        ConvKernels.transposeBlocks(src.data(), rows, cols, inner, dst.data());
    }

    @Override
    public void addChannelBias(Tensor t, int channels, int inner, Tensor bias) {
        TrainingShapes.channels(t, channels, inner, bias, "addChannelBias");
        ConvKernels.addChannelBias(t.data(), channels, inner, bias.data());
    }

    @Override
    public void sumChannels(Tensor t, int channels, int inner, Tensor out) {
        TrainingShapes.channels(t, channels, inner, out, "sumChannels");
        ConvKernels.sumChannels(t.data(), channels, inner, out.data());
    }

    @Override
    public void maxPool(Tensor x, int size, Tensor y) {
        int[] p = TrainingShapes.pool(x, size, y, "maxPool");
        LayerKernels.maxPool(x.data(), p[0], p[1], p[2], size, y.data());
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor dy, int size, Tensor dx) {
        int[] p = TrainingShapes.pool(x, size, dy, "maxPoolBackward");
        TrainingShapes.same(x, dx, "maxPoolBackward");
        LayerKernels.maxPoolBackward(x.data(), dy.data(), p[0], p[1], p[2], size, dx.data());
    }

    @Override
    public void batchNormForward(Tensor x, int channels, int spatial, boolean training, float momentum, float eps,
            Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, Tensor xhat, Tensor invStd, Tensor y) {
        TrainingShapes.batchNorm(x, channels, spatial, gamma, "batchNormForward");
        TrainingShapes.same(x, y, "batchNormForward");
        TrainingShapes.same(x, xhat, "batchNormForward");
        TrainingShapes.batchNorm(x, channels, spatial, invStd, "batchNormForward");
        int n = x.size() / (channels * spatial);
        NormKernels.forward(x.data(), n, channels, spatial, training, momentum, eps, gamma.data(), beta.data(),
                runningMean.data(), runningVar.data(), xhat.data(), invStd.data(), y.data());
    }

    @Override
    public void batchNormBackward(Tensor dy, Tensor xhat, Tensor invStd, Tensor gamma, int channels, int spatial,
            boolean training, Tensor dgamma, Tensor dbeta, Tensor dx) {
        TrainingShapes.batchNorm(dy, channels, spatial, gamma, "batchNormBackward");
        TrainingShapes.same(dy, dx, "batchNormBackward");
        TrainingShapes.same(dy, xhat, "batchNormBackward");
        int n = dy.size() / (channels * spatial);
        NormKernels.backward(dy.data(), xhat.data(), invStd.data(), gamma.data(), n, channels, spatial, training,
                dgamma.data(), dbeta.data(), dx.data());
    }

    @Override
    public void dropout(Tensor x, float p, long seed, Tensor y) {
        TrainingShapes.same(x, y, "dropout");
        checkP(p);
        LayerKernels.dropout(x.data(), p, seed, y.data());
    }

    @Override
    public void dropoutBackward(Tensor dy, float p, long seed, Tensor dx) {
        TrainingShapes.same(dy, dx, "dropoutBackward");
        checkP(p);
        LayerKernels.dropout(dy.data(), p, seed, dx.data());
    }

    private static void checkP(float p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor grad, Tensor stats) {
        int[] nk = TrainingShapes.loss(logits, labels, grad, stats);
        LayerKernels.softmaxCrossEntropy(logits.data(), labels.data(), nk[0], nk[1], grad == null ? null : grad.data(),
                stats.data());
    }

    @Override
    public void distillationLoss(Tensor student, Tensor teacher, Tensor labels, float temperature, float weight,
            Tensor grad, Tensor stats) {
        int[] nk = TrainingShapes.loss(student, labels, grad, stats);
        if (!teacher.sameShape(student)) {
            throw new IllegalArgumentException("distillationLoss: teacher logits must be " + student.shapeString()
                    + " like the student's, got " + teacher.shapeString());
        }
        if (!(temperature > 0) || !Float.isFinite(temperature) || !(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("distillationLoss: temperature must be positive and finite and the "
                    + "soft weight in [0, 1], got " + temperature + " and " + weight);
        }
        LossKernels.distillation(student.data(), teacher.data(), labels.data(), nk[0], nk[1], temperature, weight,
                grad == null ? null : grad.data(), stats.data());
    }

    @Override
    public void kWinners(Tensor x, int units, int k, Boosting boost, boolean training, Tensor dutyCycle, Tensor seen,
            Tensor y, Tensor winners) {
        int[] ns = TrainingShapes.kWinners(x, units, k, dutyCycle, seen, y, winners);
        java.util.Objects.requireNonNull(boost, "kWinners: boost (Boosting.NONE for none)");
        if (training && ns[0] > boost.period()) {
            throw new IllegalArgumentException("kWinners: the duty-cycle period (" + boost.period() + " examples) is "
                    + "shorter than the batch (" + ns[0] + "), which would weigh more than the whole average; use a "
                    + "period of at least the batch size");
        }
        float[] duty = dutyCycle.data(), count = seen.data();
        KWinnersKernels.select(x.data(), ns[0], units, ns[1], k, boost.strengthAfter(count[0]), duty, y.data(),
                winners.data());
        if (training) {
            KWinnersKernels.updateDutyCycle(y.data(), ns[0], units, ns[1], boost.period(), duty, count);
        }
    }

    @Override
    public void targetedDropoutKeep(Tensor w, int candidates, float alpha, long seed, Tensor keep) {
        if (!w.isMatrix()) {
            throw new IllegalArgumentException("targetedDropoutKeep: the weight must be a matrix (outputs x inputs), got "
                    + w.shapeString());
        }
        TrainingShapes.same(w, keep, "targetedDropoutKeep");
        if (candidates < 0 || candidates > w.cols() || !(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("targetedDropoutKeep: the candidates per row must be in [0, " + w.cols()
                    + "] and the drop rate in [0, 1], got " + candidates + " and " + alpha);
        }
        RegulariserKernels.targetedKeep(w.data(), w.rows(), w.cols(), candidates, alpha, seed, keep.data());
    }

    @Override
    public void exp(Tensor x, Tensor out) {
        TrainingShapes.same(x, out, "exp");
        RegulariserKernels.exp(x.data(), out.data());
    }

    @Override
    public void localReparameterisation(Tensor mean, Tensor variance, long seed, Tensor y) {
        TrainingShapes.same(mean, variance, "localReparameterisation");
        TrainingShapes.same(mean, y, "localReparameterisation");
        RegulariserKernels.localReparameterisation(mean.data(), variance.data(), seed, y.data());
    }

    @Override
    public void localReparameterisationBackward(Tensor dy, Tensor variance, long seed, Tensor dvariance) {
        TrainingShapes.same(dy, variance, "localReparameterisationBackward");
        TrainingShapes.same(dy, dvariance, "localReparameterisationBackward");
        RegulariserKernels.localReparameterisationBackward(dy.data(), variance.data(), seed, dvariance.data());
    }

    @Override
    public void variationalDropoutKl(Tensor w, Tensor logSigma2, float scale, Tensor gradW, Tensor gradLogSigma2,
            Tensor klSum) {
        TrainingShapes.same(w, logSigma2, "variationalDropoutKl");
        TrainingShapes.same(w, gradW, "variationalDropoutKl");
        TrainingShapes.same(w, gradLogSigma2, "variationalDropoutKl");
        double s = RegulariserKernels.variationalKl(w.data(), logSigma2.data(), scale, gradW.data(),
                gradLogSigma2.data());
        klSum.data()[0] += (float) s;
    }

    @Override
    public void variationalDropoutKeep(Tensor w, Tensor logSigma2, float threshold, Tensor keep) {
        TrainingShapes.same(w, logSigma2, "variationalDropoutKeep");
        TrainingShapes.same(w, keep, "variationalDropoutKeep");
        RegulariserKernels.variationalKeep(w.data(), logSigma2.data(), threshold, keep.data());
    }

    @Override
    public void hardConcreteGates(Tensor logAlpha, long seed, Tensor z, Tensor dz) {
        TrainingShapes.same(logAlpha, z, "hardConcreteGates");
        TrainingShapes.same(logAlpha, dz, "hardConcreteGates");
        RegulariserKernels.hardConcrete(logAlpha.data(), seed, z.data(), dz.data());
    }

    @Override
    public void hardConcreteTestGates(Tensor logAlpha, Tensor z) {
        TrainingShapes.same(logAlpha, z, "hardConcreteTestGates");
        RegulariserKernels.hardConcreteTest(logAlpha.data(), z.data());
    }

    @Override
    public void hardConcretePenalty(Tensor logAlpha, float scale, Tensor grad, Tensor l0Sum) {
        TrainingShapes.same(logAlpha, grad, "hardConcretePenalty");
        double s = RegulariserKernels.hardConcretePenalty(logAlpha.data(), scale, grad.data());
        l0Sum.data()[0] += (float) s;
    }

    @Override
    public void sgdUpdate(Tensor w, Tensor g, Tensor velocity, MaskHandle mask, float lr, float momentum,
            boolean nesterov, float weightDecay) {
        TrainingShapes.optimizer(w, g, velocity, mask, "sgdUpdate");
        if (momentum != 0 && velocity == null) {
            throw new IllegalArgumentException("sgdUpdate: momentum " + momentum + " needs a velocity tensor");
        }
        OptimizerKernels.sgd(w.data(), g.data(), momentum == 0 ? null : velocity.data(),
                CpuMask.of(mask, w.size(), "sgdUpdate"), lr, momentum, nesterov, weightDecay);
    }

    @Override
    public void adamUpdate(Tensor w, Tensor g, Tensor m, Tensor v, MaskHandle mask, float stepSize, float beta1,
            float beta2, float eps, float sqrtC2, float weightDecay) {
        TrainingShapes.optimizer(w, g, m, mask, "adamUpdate");
        TrainingShapes.same(w, v, "adamUpdate");
        OptimizerKernels.adam(w.data(), g.data(), m.data(), v.data(), CpuMask.of(mask, w.size(), "adamUpdate"),
                stepSize, beta1, beta2, eps, sqrtC2, weightDecay);
    }

    @Override
    public void sumOfSquares(Tensor x, Tensor acc) {
        double s = 0;
        for (float v : x.data()) {
            s += (double) v * v;
        }
        acc.data()[0] += (float) s;
    }

    @Override
    public void countNonFinite(Tensor x, Tensor acc) {
        int bad = 0;
        for (float v : x.data()) {
            if (!Float.isFinite(v)) {
                bad++;
            }
        }
        acc.data()[0] += bad;
    }
}
