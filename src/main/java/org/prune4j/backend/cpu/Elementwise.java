package org.prune4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise training operations, vectorised and split over the cores: at a 4096-wide
 * layer and batch 256 each touches 4 MB, which single-threaded scalar loops made about a tenth
 * of a sparse training step. Every element is computed alone, so the split changes nothing in
 * the results.
 */
final class Elementwise {
    private static final VectorSpecies<Float> S = SparseRowKernels.S;
    private static final int L = S.length();
    private static final int CHUNK = 1 << 15;

    private Elementwise() {
    }

    private interface Range {
        void run(int from, int to);
    }

    private static void split(int n, Range r) {
        int tasks = Math.max(1, Math.min(Parallel.tasksFor(n, CHUNK), (n + CHUNK - 1) / CHUNK));
        Parallel.run(tasks, t -> r.run((int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks)));
    }

    static void relu(float[] x, float[] out) {
        split(x.length, (from, to) -> {
            int i = from;
            for (; i + L <= to; i += L) {
                FloatVector.fromArray(S, x, i).max(0f).intoArray(out, i);
            }
            for (; i < to; i++) {
                out[i] = Math.max(x[i], 0f);
            }
        });
    }

    static void reluBackward(float[] x, float[] dy, float[] dx) {
        split(x.length, (from, to) -> {
            int i = from;
            for (; i + L <= to; i += L) {
                VectorMask<Float> pos = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
                FloatVector.zero(S).blend(FloatVector.fromArray(S, dy, i), pos).intoArray(dx, i);
            }
            for (; i < to; i++) {
                dx[i] = x[i] > 0f ? dy[i] : 0f;
            }
        });
    }

    static void axpy(float alpha, float[] x, float[] y) {
        split(x.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] += alpha * x[i];
            }
        });
    }

    static void addRowVector(float[] m, int rows, int cols, float[] bias) {
        int tasks = Math.max(1, Math.min(rows, Parallel.tasksFor((long) rows * cols, CHUNK)));
        Parallel.run(tasks, t -> {
            for (int i = rows * t / tasks; i < rows * (t + 1) / tasks; i++) {
                int o = i * cols, j = 0;
                for (; j + L <= cols; j += L) {
                    FloatVector.fromArray(S, m, o + j).add(FloatVector.fromArray(S, bias, j)).intoArray(m, o + j);
                }
                for (; j < cols; j++) {
                    m[o + j] += bias[j];
                }
            }
        });
    }

    /** Column sums in row order, as the scalar loop added them: each column's sum is the same. */
    static void sumRows(float[] m, int rows, int cols, float[] out) {
        int blocks = (cols + L - 1) / L;
        int tasks = Math.max(1, Math.min(blocks, Parallel.tasksFor((long) rows * cols, CHUNK)));
        Parallel.run(tasks, t -> {
            int j0 = blocks * t / tasks * L, j1 = Math.min(cols, blocks * (t + 1) / tasks * L);
            int j = j0;
            for (; j + L <= j1; j += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int i = 0; i < rows; i++) {
                    acc = acc.add(FloatVector.fromArray(S, m, i * cols + j));
                }
                acc.intoArray(out, j);
            }
            for (; j < j1; j++) {
                float s = 0f;
                for (int i = 0; i < rows; i++) {
                    s += m[i * cols + j];
                }
                out[j] = s;
            }
        });
    }
}
