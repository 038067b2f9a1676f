package org.prune4j.backend;

import org.prune4j.tensor.Tensor;

/**
 * Shape checks for {@link TrainingOps}, shared by every backend so that all of them reject a
 * bad call alike, before any kernel runs, naming the operation and the shapes that clash.
 */
public final class TrainingShapes {
    private TrainingShapes() {
    }

    /** {@code y = x W^T}: returns the batch. */
    public static int sparseForward(SparseWeight w, Tensor values, Tensor x, Tensor y) {
        values(w, values, "sparseForward");
        batchMajor(x, w.cols(), "sparseForward x");
        batchMajor(y, w.rows(), "sparseForward y");
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("sparseForward: x has " + x.rows() + " rows (examples) but y has "
                    + y.rows());
        }
        return x.rows();
    }

    public static int sparseBackward(SparseWeight w, Tensor values, Tensor dy, Tensor x, Tensor dx, Tensor dvalues) {
        values(w, values, "sparseBackward");
        values(w, dvalues, "sparseBackward (gradient)");
        batchMajor(dy, w.rows(), "sparseBackward dy");
        batchMajor(x, w.cols(), "sparseBackward x");
        if (dx != null) {
            batchMajor(dx, w.cols(), "sparseBackward dx");
            sameRows(dy, dx, "sparseBackward");
        }
        sameRows(dy, x, "sparseBackward");
        return x.rows();
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

    private static void batchMajor(Tensor t, int features, String what) {
        if (!t.isMatrix() || t.cols() != features) {
            throw new IllegalArgumentException(what + " must be batch x " + features + ", got " + t.shapeString());
        }
    }

    private static void sameRows(Tensor a, Tensor b, String op) {
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException(op + ": " + a.shapeString() + " and " + b.shapeString()
                    + " must have the same batch");
        }
    }

    /** Checks {@code n x C x H x W} input; returns {n, C, H, W, OH, OW}. */
    public static int[] conv(Tensor x, int k, int pad, String op) {
        int[] s = x.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException(op + ": input must be n x C x H x W, got " + x.shapeString());
        }
        if (k <= 0 || pad < 0) {
            throw new IllegalArgumentException(op + ": kernel " + k + " and padding " + pad + " must be > 0 and >= 0");
        }
        int oh = s[2] + 2 * pad - k + 1, ow = s[3] + 2 * pad - k + 1;
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": a " + k + "x" + k + " kernel does not fit a " + s[2] + "x" + s[3]
                    + " input with padding " + pad);
        }
        return new int[] {s[0], s[1], s[2], s[3], oh, ow};
    }

    public static void cols(int[] d, int k, Tensor cols, String op) {
        long rows = (long) d[0] * d[4] * d[5], width = (long) d[1] * k * k;
        if (!cols.isMatrix() || cols.rows() != rows || cols.cols() != width) {
            throw new IllegalArgumentException(op + ": the column matrix must be " + rows + "x" + width
                    + " (images x output pixels by channels x kernel area), got " + cols.shapeString());
        }
    }

    public static void transposeBatched(Tensor src, int batches, int rows, int cols, Tensor dst) {
        long n = (long) batches * rows * cols;
        if (batches < 0 || rows < 0 || cols < 0 || src.size() != n || dst.size() != n) {
            throw new IllegalArgumentException("transposeBatched: " + batches + " matrices of " + rows + "x" + cols
                    + " need " + n + " values in src and dst, got " + src.size() + " and " + dst.size());
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
}
