package org.prune4j.backend.cuda.smoke;

import java.util.ArrayList;
import java.util.List;
import org.prune4j.backend.ActivationLayout;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.MaskHandle;
import org.prune4j.backend.SparseWeight;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.backend.cuda.HalfFormat;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Smoke cases of the training kernels ({@code cuda-kernels/training.cu}, the CSR SpMM and
 * SDDMM as sparse training drives them, and the block kernels of {@code bsr_training.cu}): each runs once on tensors resident on the GPU and is
 * compared with the CPU backend on the same inputs (the CPU ops have their own independent
 * reference tests). Outputs start as NaN, so an element a kernel never writes fails.
 */
final class TrainingSmoke {
    private static final double TOLERANCE = 1e-4;

    private TrainingSmoke() {
    }

    private interface Op {
        /** Runs the operation on {@code b} with {@code b}'s tensors; returns the output. */
        Tensor run(Backend b, Inputs in);
    }

    /** Host inputs, turned into the backend's tensors on demand. */
    private record Inputs(Backend b, List<Tensor> host) {
        Tensor get(int i) {
            Tensor h = host.get(i);
            Tensor t = b.allocate(h.shape());
            b.copy(h, t);
            return t;
        }

        Tensor nan(int... shape) {
            Tensor t = b.allocate(shape);
            b.fill(t, Float.NaN);
            return t;
        }
    }

    /** Whole {@code br x bc} blocks kept with probability {@code density}; edge blocks cut by the matrix's edge. */
    private static Mask blockMask(int rows, int cols, int br, int bc, double density, Rng rng) {
        boolean[] keep = new boolean[rows * cols];
        for (int bi = 0; bi * br < rows; bi++) {
            for (int bj = 0; bj * bc < cols; bj++) {
                if (rng.nextBoolean(density)) {
                    for (int r = bi * br; r < Math.min(rows, (bi + 1) * br); r++) {
                        for (int col = bj * bc; col < Math.min(cols, (bj + 1) * bc); col++) {
                            keep[r * cols + col] = true;
                        }
                    }
                }
            }
        }
        return Mask.of(rows, cols, keep);
    }

    static List<SmokeCase> cases(Rng rng) {
        List<SmokeCase> c = new ArrayList<>();
        Tensor x4 = Tensor.uniform(rng, -1, 1, 3, 4, 9, 7), m = Tensor.uniform(rng, -1, 1, 37, 61);
        Tensor v37 = Tensor.uniform(rng, -1, 1, 37, 61), w37 = Tensor.uniform(rng, 0, 0.1f, 37, 61);
        Mask mask = Mask.random(37, 61, 0.4, rng);
        c.add(compare("p4j_fill", List.of(), (b, in) -> {
            Tensor t = in.nan(1000);
            b.fill(t, 0.5f);
            return t;
        }));
        c.add(compare("p4j_apply_mask", List.of(m), (b, in) -> {
            Tensor t = in.get(0);
            MaskHandle h = b.prepareMask(mask);
            b.applyMask(h, t);
            h.close();
            return t;
        }));
        for (ActivationLayout layout : ActivationLayout.values()) {
            boolean bm = layout == ActivationLayout.BATCH_MAJOR;
            Tensor x = bm ? Tensor.uniform(rng, -1, 1, 70, 61) : Tensor.uniform(rng, -1, 1, 61, 70);
            Tensor dy = bm ? Tensor.uniform(rng, -1, 1, 70, 37) : Tensor.uniform(rng, -1, 1, 37, 70);
            String tag = bm ? "(batch-major)" : "(feature-major)";
            c.add(compare("p4j_gather_values+p4j_csr_spmm_f32" + tag, List.of(m, x), (b, in) -> {
                SparseWeight w = b.prepareSparse(CsrMatrix.pattern(mask));
                Tensor values = in.nan(w.nnz()), y = bm ? in.nan(70, 37) : in.nan(37, 70);
                b.gatherValues(w, in.get(0), values);
                b.sparseForward(w, values, in.get(1), y, layout);
                w.close();
                return y;
            }));
            c.add(compare("p4j_permute+p4j_csr_spmm_f32(columns)" + tag, List.of(m, x, dy), (b, in) -> {
                SparseWeight w = b.prepareSparse(CsrMatrix.pattern(mask));
                Tensor values = in.nan(w.nnz()), dx = bm ? in.nan(70, 61) : in.nan(61, 70);
                b.gatherValues(w, in.get(0), values);
                b.sparseBackward(w, values, in.get(2), in.get(1), dx, in.nan(w.nnz()), layout);
                w.close();
                return dx;
            }));
            c.add(compare("p4j_sddmm_f32(sparse training)" + tag, List.of(m, x, dy), (b, in) -> {
                SparseWeight w = b.prepareSparse(CsrMatrix.pattern(mask));
                Tensor values = in.nan(w.nnz()), g = in.nan(w.nnz());
                b.gatherValues(w, in.get(0), values);
                b.sparseBackward(w, values, in.get(2), in.get(1), null, g, layout);
                w.close();
                return g;
            }));
        }
        // a pattern of whole 8x4 blocks, edge blocks overhanging (37 x 61): the block kernels
        Mask blockMask = blockMask(37, 61, 8, 4, 0.4, rng);
        BlockShape blocks = new BlockShape(8, 4);
        for (ActivationLayout layout : ActivationLayout.values()) {
            boolean bm = layout == ActivationLayout.BATCH_MAJOR;
            Tensor x = bm ? Tensor.uniform(rng, -1, 1, 70, 61) : Tensor.uniform(rng, -1, 1, 61, 70);
            Tensor dy = bm ? Tensor.uniform(rng, -1, 1, 70, 37) : Tensor.uniform(rng, -1, 1, 37, 70);
            String tag = bm ? "(batch-major)" : "(feature-major)";
            c.add(compare("p4j_bsr_forward_f32" + tag, List.of(m, x), (b, in) -> {
                SparseWeight w = b.prepareSparse(CsrMatrix.pattern(blockMask), blocks);
                Tensor values = in.nan(w.nnz()), y = bm ? in.nan(70, 37) : in.nan(37, 70);
                b.gatherValues(w, in.get(0), values);
                b.sparseForward(w, values, in.get(1), y, layout);
                w.close();
                return y;
            }));
            c.add(compare("p4j_bsr_input_grad_f32" + tag, List.of(m, x, dy), (b, in) -> {
                SparseWeight w = b.prepareSparse(CsrMatrix.pattern(blockMask), blocks);
                Tensor values = in.nan(w.nnz()), dx = bm ? in.nan(70, 61) : in.nan(61, 70);
                b.gatherValues(w, in.get(0), values);
                b.sparseBackward(w, values, in.get(2), in.get(1), dx, in.nan(w.nnz()), layout);
                w.close();
                return dx;
            }));
            c.add(compare("p4j_bsr_weight_grad_f32" + tag, List.of(m, x, dy), (b, in) -> {
                SparseWeight w = b.prepareSparse(CsrMatrix.pattern(blockMask), blocks);
                Tensor values = in.nan(w.nnz()), g = in.nan(w.nnz());
                b.gatherValues(w, in.get(0), values);
                b.sparseBackward(w, values, in.get(2), in.get(1), null, g, layout);
                w.close();
                return g;
            }));
        }
        c.add(compare("p4j_scatter_values(blocks)", List.of(m), (b, in) -> {
            SparseWeight w = b.prepareSparse(CsrMatrix.pattern(blockMask), blocks);
            Tensor values = in.nan(w.nnz()), back = in.nan(37, 61);
            b.gatherValues(w, in.get(0), values);
            b.scatterValues(w, values, back);
            w.close();
            return back;
        }));
        c.add(compare("p4j_scatter_values", List.of(m), (b, in) -> {
            SparseWeight w = b.prepareSparse(CsrMatrix.pattern(mask));
            Tensor values = in.nan(w.nnz()), back = in.nan(37, 61);
            b.gatherValues(w, in.get(0), values);
            b.scatterValues(w, values, back);
            w.close();
            return back;
        }));
        c.add(compare("p4j_im2col", List.of(x4), (b, in) -> {
            Tensor cols = in.nan(4 * 9, 3 * 9 * 7);
            b.im2col(in.get(0), 3, 1, 1, cols);
            return cols;
        }));
        c.add(compare("p4j_im2col stride 2", List.of(x4), (b, in) -> {
            Tensor cols = in.nan(4 * 9, 3 * 5 * 4);
            b.im2col(in.get(0), 3, 1, 2, cols);
            return cols;
        }));
        c.add(compare("p4j_col2im", List.of(Tensor.uniform(rng, -1, 1, 4 * 9, 3 * 9 * 7)), (b, in) -> {
            Tensor dx = in.nan(3, 4, 9, 7);
            b.col2im(in.get(0), 3, 1, 1, dx);
            return dx;
        }));
        c.add(compare("p4j_col2im stride 2", List.of(Tensor.uniform(rng, -1, 1, 4 * 9, 3 * 5 * 4)), (b, in) -> {
            Tensor dx = in.nan(3, 4, 9, 7);
            b.col2im(in.get(0), 3, 1, 2, dx);
            return dx;
        }));
        // a residual projection: 1x1 at stride 2 reads every other pixel, the rest of dx is zero
        c.add(compare("p4j_im2col 1x1 stride 2", List.of(x4), (b, in) -> {
            Tensor cols = in.nan(4, 3 * 5 * 4);
            b.im2col(in.get(0), 1, 0, 2, cols);
            return cols;
        }));
        c.add(compare("p4j_col2im 1x1 stride 2", List.of(Tensor.uniform(rng, -1, 1, 4, 3 * 5 * 4)), (b, in) -> {
            Tensor dx = in.nan(3, 4, 9, 7);
            b.col2im(in.get(0), 1, 0, 2, dx);
            return dx;
        }));
        c.add(compare("p4j_transpose_blocks", List.of(x4), (b, in) -> {
            Tensor t = in.nan(4, 3, 9, 7);
            b.transposeBlocks(in.get(0), 3, 4, 63, t);
            return t;
        }));
        c.add(compare("p4j_add_channel_bias", List.of(x4, Tensor.uniform(rng, -1, 1, 4)), (b, in) -> {
            Tensor t = in.get(0);
            b.addChannelBias(t, 4, 63, in.get(1));
            return t;
        }));
        c.add(compare("p4j_sum_channels", List.of(x4), (b, in) -> {
            Tensor s = in.nan(4);
            b.sumChannels(in.get(0), 4, 63, s);
            return s;
        }));
        c.add(compare("p4j_max_pool", List.of(x4), (b, in) -> {
            Tensor y = in.nan(3, 4, 4, 3);
            b.maxPool(in.get(0), 2, y);
            return y;
        }));
        c.add(compare("p4j_max_pool_backward", List.of(x4, Tensor.uniform(rng, -1, 1, 3, 4, 4, 3)), (b, in) -> {
            Tensor dx = in.nan(3, 4, 9, 7);
            b.maxPoolBackward(in.get(0), in.get(1), 2, dx);
            return dx;
        }));
        Tensor gamma = Tensor.uniform(rng, 0.5f, 2, 4), beta = Tensor.uniform(rng, -1, 1, 4);
        c.add(compare("p4j_batch_norm_forward", List.of(x4, gamma, beta), (b, in) -> {
            Tensor y = in.nan(3, 4, 9, 7), rm = b.allocate(4), rv = b.allocate(4);
            b.fill(rv, 1f);
            b.batchNormForward(in.get(0), 4, 63, true, 0.1f, 1e-5f, in.get(1), in.get(2), rm, rv, in.nan(3, 4, 9, 7),
                    in.nan(4), y);
            return y;
        }));
        c.add(compare("p4j_batch_norm_backward", List.of(x4, gamma, beta, Tensor.uniform(rng, -1, 1, 3, 4, 9, 7)),
                (b, in) -> {
                    Tensor xhat = in.nan(3, 4, 9, 7), inv = in.nan(4), rm = b.allocate(4), rv = b.allocate(4);
                    b.fill(rv, 1f);
                    b.batchNormForward(in.get(0), 4, 63, true, 0.1f, 1e-5f, in.get(1), in.get(2), rm, rv, xhat, inv,
                            in.nan(3, 4, 9, 7));
                    Tensor dx = in.nan(3, 4, 9, 7);
                    b.batchNormBackward(in.get(3), xhat, inv, in.get(1), 4, 63, true, in.nan(4), in.nan(4), dx);
                    return dx;
                }));
        c.add(compare("p4j_dropout", List.of(x4), (b, in) -> {
            Tensor y = in.nan(3, 4, 9, 7);
            b.dropout(in.get(0), 0.3f, 1234567L, y);
            return y;
        }));
        float[] labels = new float[37];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(61);
        }
        c.add(compare("p4j_softmax_cross_entropy", List.of(m, Tensor.wrap(labels, 37)), (b, in) -> {
            Tensor g = in.nan(37, 61), stats = b.allocate(3);
            b.softmaxCrossEntropy(in.get(0), in.get(1), g, stats);
            return g;
        }));
        c.add(compare("p4j_sgd", List.of(v37, m, w37), (b, in) -> {
            Tensor w = in.get(0), vel = in.get(2);
            MaskHandle h = b.prepareMask(mask);
            b.sgdUpdate(w, in.get(1), vel, h, 0.1f, 0.9f, true, 0.01f);
            h.close();
            return w;
        }));
        c.add(compare("p4j_adam", List.of(v37, m, w37), (b, in) -> {
            Tensor w = in.get(0), mm = in.get(2), vv = in.get(2);
            b.adamUpdate(w, in.get(1), mm, vv, null, 0.01f, 0.9f, 0.999f, 1e-8f, 0.3f, 0.01f);
            return w;
        }));
        c.add(compare("p4j_sum_of_squares+p4j_count_non_finite", List.of(m), (b, in) -> {
            Tensor acc = b.allocate(2);
            Tensor sq = b.allocate(1), bad = b.allocate(1);
            b.sumOfSquares(in.get(0), sq);
            b.countNonFinite(in.get(0), bad);
            Tensor out = Tensor.zeros(2);
            out.data()[0] = sq.toHost().data()[0];
            out.data()[1] = bad.toHost().data()[0];
            acc.storage().release();
            return out;
        }));
        return c;
    }

    /**
     * The forward product of a 2:4 training weight on sparse tensor cores (value packing,
     * activation rounding, the product, the crop), in both layouts, on {@code batch} examples,
     * which picks {@code kernel} (wgmma.sp on a Hopper from 128 examples, else mma.sp); skipped
     * as unsupported where that kernel cannot run. The CPU reference multiplies the inputs
     * rounded to bf16 in fp32, so the GPU passes only if it rounded them too: the fp32 CSR
     * product would miss by about 1e-3.
     */
    static List<SmokeCase> twoFourCases(Rng rng, int batch, org.prune4j.backend.cuda.TwoFourKernel kernel,
            String kernelName) {
        List<SmokeCase> c = new ArrayList<>();
        Mask mask = org.prune4j.sparse.MaskStructure.TWO_FOUR.randomMask(37, 61, 0.5, rng);
        Tensor m = Tensor.uniform(rng, -1, 1, 37, 61);
        for (ActivationLayout layout : ActivationLayout.values()) {
            boolean bm = layout == ActivationLayout.BATCH_MAJOR;
            Tensor x = bm ? Tensor.uniform(rng, -1, 1, batch, 61) : Tensor.uniform(rng, -1, 1, 61, batch);
            String name = "p4j_two_four_pack+" + kernelName + "(training, " + (bm ? "batch-major)" : "feature-major)");
            SmokeCase compared = compare(name, List.of(m, x), (b, in) -> {
                SparseWeight w = b.prepareSparse(CsrMatrix.pattern(mask));
                Tensor values = in.nan(w.nnz()), y = bm ? in.nan(batch, 37) : in.nan(37, batch);
                Tensor dense = in.get(0), xin = in.get(1);
                if (b.device().isHost()) {
                    dense = SmokeFamilies.rounded(dense, v -> HalfFormat.BF16.round((float) v));
                    xin = SmokeFamilies.rounded(xin, v -> HalfFormat.BF16.round((float) v));
                }
                b.gatherValues(w, dense, values);
                b.sparseForward(w, values, xin, y, layout);
                w.close();
                return y;
            });
            c.add(new SmokeCase(name, g -> {
                java.util.Optional<String> why = g.whyUnsupported(kernel);
                if (why.isPresent()) {
                    throw new UnsupportedOperationException(why.get());
                }
                return compared.body().run(g);
            }));
        }
        return c;
    }

    /** A case that runs {@code op} on the GPU and on the CPU with the same inputs and compares. */
    private static SmokeCase compare(String kernel, List<Tensor> inputs, Op op) {
        return new SmokeCase(kernel, gpu -> {
            Backend cpu = Backends.host();
            float[] want = op.run(cpu, new Inputs(cpu, inputs)).data();
            float[] got = op.run(gpu, new Inputs(gpu, inputs)).toHost().data();
            double err = 0;
            for (int i = 0; i < want.length; i++) {
                double e = Math.abs(want[i] - (double) got[i]) / (1 + Math.abs(want[i]));
                err = Double.isNaN(e) ? Double.NaN : Math.max(err, e);
                if (Double.isNaN(err)) {
                    break;
                }
            }
            return new Check(err, TOLERANCE, "against the CPU backend");
        });
    }
}
