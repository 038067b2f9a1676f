package org.prune4j.backend;

import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.tensor.Tensor;

/** Shape checks shared by every backend, so all of them fail alike and say which shapes clash. */
public final class Shapes {
    private Shapes() {
    }

    /** Validates a gemm and returns {m, n, k}. */
    public static int[] gemm(Op opA, Op opB, Tensor a, Tensor b, Tensor c) {
        matrix(a, "gemm A");
        matrix(b, "gemm B");
        matrix(c, "gemm C");
        int m = opA.transposed() ? a.cols() : a.rows();
        int ka = opA.transposed() ? a.rows() : a.cols();
        int kb = opB.transposed() ? b.cols() : b.rows();
        int n = opB.transposed() ? b.rows() : b.cols();
        if (ka != kb) {
            throw new IllegalArgumentException("gemm: op(A) is " + m + "x" + ka + " and op(B) is " + kb + "x" + n
                    + "; the inner dimensions " + ka + " and " + kb + " must match");
        }
        if (c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm: C must be " + m + "x" + n + " (rows of op(A) x columns of op(B)),"
                    + " got " + c.shapeString());
        }
        noAlias("gemm", c, "C", a, "A");
        noAlias("gemm", c, "C", b, "B");
        return new int[] {m, n, ka};
    }

    public static void spmm(SparseMatrix w, Op opW, Tensor x, Tensor y) {
        matrix(x, "spmm X");
        matrix(y, "spmm Y");
        int outRows = opW.transposed() ? w.cols() : w.rows();
        int inner = opW.transposed() ? w.rows() : w.cols();
        String wDesc = (opW.transposed() ? "W^T" : "W") + " (" + outRows + "x" + inner + ")";
        if (x.rows() != inner) {
            throw new IllegalArgumentException("spmm: " + wDesc + " times X (" + x.shapeString() + "): X must have "
                    + inner + " rows");
        }
        if (y.rows() != outRows || y.cols() != x.cols()) {
            throw new IllegalArgumentException("spmm: Y must be " + outRows + "x" + x.cols() + " for " + wDesc
                    + " times X (" + x.shapeString() + "), got " + y.shapeString());
        }
        noAlias("spmm", y, "Y", x, "X");
    }

    public static void sddmm(Tensor a, Tensor b, CsrMatrix pattern, float[] out) {
        matrix(a, "sddmm A");
        matrix(b, "sddmm B");
        if (a.rows() != pattern.rows() || b.rows() != pattern.cols()) {
            throw new IllegalArgumentException("sddmm: pattern is " + pattern.rows() + "x" + pattern.cols()
                    + " so A needs " + pattern.rows() + " rows and B " + pattern.cols() + " rows; got A "
                    + a.shapeString() + ", B " + b.shapeString());
        }
        if (a.cols() != b.cols()) {
            throw new IllegalArgumentException("sddmm: A (" + a.shapeString() + ") and B (" + b.shapeString()
                    + ") must have the same number of columns");
        }
        if (out.length != pattern.nnz()) {
            throw new IllegalArgumentException("sddmm: out needs one value per stored entry (" + pattern.nnz()
                    + "), got " + out.length);
        }
        if ((a.isHost() && a.data() == out) || (b.isHost() && b.data() == out) || pattern.values() == out) {
            throw new IllegalArgumentException("sddmm: out is the array of an input; the kernel reads the inputs while"
                    + " it writes out, so pass a separate array");
        }
    }

    /**
     * Throws when {@code out} shares storage with the input {@code in} (the same tensor, a
     * reshape of it, or a wrap of the same array): products read their inputs while they write
     * the output, so an aliased output gives wrong answers rather than an error. Elementwise
     * operations that allow {@code out == in} (ReLU, mul) do not call this.
     */
    public static void noAlias(String op, Tensor out, String outName, Tensor in, String inName) {
        if (out.storage().equals(in.storage())) {
            throw new IllegalArgumentException(op + ": the output " + outName + " (" + out.shapeString()
                    + ") shares its storage with the input " + inName + " (" + in.shapeString() + "); the product reads "
                    + inName + " while it writes " + outName + ", so pass a separate output tensor");
        }
    }

    public static void same(Tensor a, Tensor b, String op) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException(op + ": shapes " + a.shapeString() + " and " + b.shapeString()
                    + " must be equal");
        }
    }

    public static void rowVector(Tensor m, Tensor v, String op) {
        matrix(m, op);
        if (v.size() != m.cols()) {
            throw new IllegalArgumentException(op + ": vector of length " + v.size() + " does not match the "
                    + m.cols() + " columns of " + m.shapeString());
        }
    }

    private static void matrix(Tensor t, String what) {
        if (!t.isMatrix()) {
            throw new IllegalArgumentException(what + " must be a matrix (rank 2), got shape " + t.shapeString());
        }
    }
}
