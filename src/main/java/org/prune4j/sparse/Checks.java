package org.prune4j.sparse;

import org.prune4j.tensor.Tensor;

/** Argument checks shared by the format constructors, with messages that name the fix. */
final class Checks {
    private Checks() {
    }

    static void requireMatrix(Tensor t, String what) {
        if (!t.isMatrix()) {
            throw new IllegalArgumentException(what + " must be a matrix (rank 2), got shape " + t.shapeString());
        }
    }

    static void requireFinite(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " has a non-finite value (" + values[i] + ") at index "
                        + i + "; NaN or infinite weights usually mean training diverged: lower the learning"
                        + " rate or check the input data");
            }
        }
    }

    static void requireFiniteDense(Tensor dense, Mask mask) {
        float[] d = dense.data();
        int cols = dense.cols();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i]) && mask.kept(i / cols, i % cols)) {
                throw new IllegalArgumentException("matrix has a non-finite value (" + d[i] + ") at row "
                        + (i / cols) + ", column " + (i % cols) + "; NaN or infinite weights usually mean"
                        + " training diverged: lower the learning rate or check the input data");
            }
        }
    }

    static void requireShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape must be non-negative, got " + rows + "x" + cols);
        }
    }
}
