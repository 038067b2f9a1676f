package org.prune4j.backend;

import org.prune4j.tensor.Tensor;

/**
 * Shape checks for {@link TrainingOps}, shared by every backend so that all of them reject a
 * bad call alike, before any kernel runs, naming the operation and the shapes that clash.
 */
public final class TrainingShapes {
    private TrainingShapes() {
    }

    /** Checks a sparse forward product; returns the number of examples. */
    public static int sparseForward(SparseWeight w, Tensor values, Tensor x, Tensor y, ActivationLayout layout) {
        values(w, values, "sparseForward");
        int n = examples(x, w.cols(), layout, "sparseForward x");
        if (examples(y, w.rows(), layout, "sparseForward y") != n) {
            throw new IllegalArgumentException("sparseForward: x (" + x.shapeString() + ") and y (" + y.shapeString()
                    + ") must hold the same number of examples");
        }
        return n;
    }

    /** Checks a sparse backward product; returns the number of examples. */
    public static int sparseBackward(SparseWeight w, Tensor values, Tensor dy, Tensor x, Tensor dx, Tensor dvalues,
            ActivationLayout layout) {
        values(w, values, "sparseBackward");
        values(w, dvalues, "sparseBackward (gradient)");
        int n = examples(dy, w.rows(), layout, "sparseBackward dy");
        if (examples(x, w.cols(), layout, "sparseBackward x") != n
                || (dx != null && examples(dx, w.cols(), layout, "sparseBackward dx") != n)) {
            throw new IllegalArgumentException("sparseBackward: dy (" + dy.shapeString() + "), x (" + x.shapeString()
                    + ")" + (dx == null ? "" : " and dx (" + dx.shapeString() + ")")
                    + " must hold the same number of examples");
        }
        return n;
    }

    /** The examples of a matrix holding {@code features} per example in this layout. */
    private static int examples(Tensor t, int features, ActivationLayout layout, String what) {
        boolean batchMajor = layout == ActivationLayout.BATCH_MAJOR;
        if (!t.isMatrix() || (batchMajor ? t.cols() : t.rows()) != features) {
            throw new IllegalArgumentException(what + " must be " + (batchMajor ? "examples x " + features
                    : features + " x examples") + " (" + layout.name().toLowerCase(java.util.Locale.ROOT) + "), got "
                    + t.shapeString());
        }
        return batchMajor ? t.rows() : t.cols();
    }

    public static void gatherScatter(SparseWeight w, Tensor dense, Tensor values, String op) {
        values(w, values, op);
        if (!dense.isMatrix() || dense.rows() != w.rows() || dense.cols() != w.cols()) {
            throw new IllegalArgumentException(op + ": dense weight must be " + w.rows() + "x" + w.cols() + ", got "
                    + dense.shapeString());
        }
    }

    private static void values(SparseWeight w, Tensor values, String op) {
        if (values.size() != w.nnz()) {
            throw new IllegalArgumentException(op + ": the pattern stores " + w.nnz() + " weights but the values tensor "
                    + "has " + values.size());
        }
    }

    /** Checks {@code n x C x H x W} input; returns {n, C, H, W, OH, OW}. */
    public static int[] conv(Tensor x, int k, int pad, int stride, String op) {
        int[] s = x.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException(op + ": input must be n x C x H x W, got " + x.shapeString());
        }
        if (k <= 0 || pad < 0 || stride <= 0) {
            throw new IllegalArgumentException(op + ": kernel " + k + ", padding " + pad + " and stride " + stride
                    + " must be > 0, >= 0 and > 0");
        }
        int oh = convOut(s[2], k, pad, stride), ow = convOut(s[3], k, pad, stride);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": a " + k + "x" + k + " kernel does not fit a " + s[2] + "x" + s[3]
                    + " input with padding " + pad);
        }
        return new int[] {s[0], s[1], s[2], s[3], oh, ow};
    }

    /** Output size of a k-wide window moved by {@code stride} over {@code in + 2 pad} positions (0 when it does not fit). */
    public static int convOut(int in, int k, int pad, int stride) {
        int span = in + 2 * pad - k;
        return span < 0 ? 0 : span / stride + 1;
    }

    public static void cols(int[] d, int k, Tensor cols, String op) {
        long pixels = (long) d[0] * d[4] * d[5], features = (long) d[1] * k * k;
        if (!cols.isMatrix() || cols.rows() != features || cols.cols() != pixels) {
            throw new IllegalArgumentException(op + ": the column matrix must be " + features + "x" + pixels
                    + " (channels x kernel area by images x output pixels), got " + cols.shapeString());
        }
    }

    public static void transposeBlocks(Tensor src, int rows, int cols, int inner, Tensor dst) {
        long n = (long) rows * cols * inner;
        if (rows < 0 || cols < 0 || inner < 0 || src.size() != n || dst.size() != n) {
            throw new IllegalArgumentException("transposeBlocks: " + rows + " x " + cols + " blocks of " + inner
                    + " need " + n + " values in src and dst, got " + src.size() + " and " + dst.size());
        }
    }

    public static void channels(Tensor t, int channels, int inner, Tensor perChannel, String op) {
        if (channels <= 0 || inner < 0 || t.size() % ((long) channels * Math.max(inner, 1)) != 0) {
            throw new IllegalArgumentException(op + ": " + t.shapeString() + " is not (any) x " + channels + " x "
                    + inner);
        }
        if (perChannel.size() != channels) {
            throw new IllegalArgumentException(op + ": the per-channel vector needs " + channels + " values, got "
                    + perChannel.size());
        }
    }

    /** Checks pooling shapes; returns {planes, H, W}. */
    public static int[] pool(Tensor x, int size, Tensor y, String op) {
        int[] s = x.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException(op + ": input must be n x C x H x W, got " + x.shapeString());
        }
        if (size <= 0 || s[2] / size == 0 || s[3] / size == 0) {
            throw new IllegalArgumentException(op + ": a " + size + "x" + size + " pool does not fit a " + s[2] + "x"
                    + s[3] + " input");
        }
        int[] want = {s[0], s[1], s[2] / size, s[3] / size};
        if (!java.util.Arrays.equals(y.shape(), want)) {
            throw new IllegalArgumentException(op + ": output must be " + java.util.Arrays.toString(want) + ", got "
                    + y.shapeString());
        }
        return new int[] {s[0] * s[1], s[2], s[3]};
    }

    public static void batchNorm(Tensor x, int channels, int spatial, Tensor perChannel, String op) {
        if (channels <= 0 || spatial <= 0 || x.size() % ((long) channels * spatial) != 0) {
            throw new IllegalArgumentException(op + ": " + x.shapeString() + " is not n x " + channels + " x "
                    + spatial);
        }
        if (perChannel.size() != channels) {
            throw new IllegalArgumentException(op + ": per-channel tensors need " + channels + " values, got "
                    + perChannel.size());
        }
    }

    public static void same(Tensor a, Tensor b, String op) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(op + ": " + a.shapeString() + " and " + b.shapeString()
                    + " must have the same number of values");
        }
    }

    /** Checks the loss operands; returns {n, classes}. */
    public static int[] loss(Tensor logits, Tensor labels, Tensor grad, Tensor stats) {
        if (!logits.isMatrix()) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits must be batch x classes, got "
                    + logits.shapeString());
        }
        if (labels.size() != logits.rows()) {
            throw new IllegalArgumentException("softmaxCrossEntropy: " + logits.rows() + " rows of logits but "
                    + labels.size() + " labels");
        }
        if (grad != null && !grad.sameShape(logits)) {
            throw new IllegalArgumentException("softmaxCrossEntropy: gradient must be " + logits.shapeString()
                    + ", got " + grad.shapeString());
        }
        if (stats.size() < 3) {
            throw new IllegalArgumentException("softmaxCrossEntropy: stats needs 3 values (loss, correct, non-finite),"
                    + " got " + stats.size());
        }
        return new int[] {logits.rows(), logits.cols()};
    }

    public static void optimizer(Tensor w, Tensor g, Tensor state, MaskHandle mask, String op) {
        same(w, g, op);
        if (state != null) {
            same(w, state, op);
        }
        if (mask != null && (long) mask.rows() * mask.cols() != w.size()) {
            throw new IllegalArgumentException(op + ": mask is " + mask.rows() + "x" + mask.cols() + " but the weight "
                    + "is " + w.shapeString());
        }
    }

    /**
     * Checks a k-winners call: x is n examples of {@code units} x spatial values, y and winners
     * are shaped like x, the duty cycles hold one value per unit and {@code seen} one; returns
     * {n, spatial}.
     */
    public static int[] kWinners(Tensor x, int units, int k, Tensor dutyCycle, Tensor seen, Tensor y,
            Tensor winners) {
        if (x.rank() < 2 || units <= 0 || x.dim(0) == 0 || (x.size() / x.dim(0)) % units != 0) {
            throw new IllegalArgumentException("kWinners: x (" + x.shapeString() + ") must be batch x " + units
                    + " units [x H x W]");
        }
        int n = x.dim(0), volume = x.size() / n;
        if (k <= 0 || k > volume) {
            throw new IllegalArgumentException("kWinners: k must be in 1.." + volume + " (the values per example of "
                    + x.shapeString() + "), got " + k);
        }
        same(x, y, "kWinners");
        same(x, winners, "kWinners (winners)");
        if (dutyCycle.size() != units || seen.size() != 1) {
            throw new IllegalArgumentException("kWinners: duty cycles must hold " + units + " values and the count of "
                    + "examples seen 1, got " + dutyCycle.shapeString() + " and " + seen.shapeString());
        }
        return new int[] {n, volume / units};
    }
}
