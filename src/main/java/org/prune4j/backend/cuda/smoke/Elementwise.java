package org.prune4j.backend.cuda.smoke;

import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Smoke cases of the elementwise training ops: each computed on the host in double and
 * compared entry by entry (a sum over rows is bounded like a product sum; the others are one
 * float operation each, so one rounding).
 */
final class Elementwise {
    private static final int R = 33;
    private static final int C = 17;

    private Elementwise() {
    }

    static Check check(CudaBackend g, String op, Rng rng) {
        Tensor x = Tensor.uniform(rng, -1f, 1f, R, C), y = Tensor.uniform(rng, -1f, 1f, R, C);
        int n = R * C;
        double[] want = new double[n], abs = new double[n];
        float[] got;
        switch (op) {
            case "axpy" -> {
                Tensor out = y.copy();
                g.axpy(0.25f, x, out);
                for (int i = 0; i < n; i++) {
                    want[i] = y.data()[i] + 0.25 * x.data()[i];
                    abs[i] = Math.abs(y.data()[i]) + Math.abs(0.25 * x.data()[i]);
                }
                got = out.data();
            }
            case "scale" -> {
                Tensor out = x.copy();
                g.scale(2.5f, out);
                for (int i = 0; i < n; i++) {
                    want[i] = 2.5 * x.data()[i];
                    abs[i] = Math.abs(want[i]);
                }
                got = out.data();
            }
            case "mul" -> {
                Tensor out = Tensor.filled(Float.NaN, R, C);
                g.mul(x, y, out);
                for (int i = 0; i < n; i++) {
                    want[i] = (double) x.data()[i] * y.data()[i];
                    abs[i] = Math.abs(want[i]);
                }
                got = out.data();
            }
            case "relu" -> {
                Tensor out = Tensor.filled(Float.NaN, R, C);
                g.relu(x, out);
                for (int i = 0; i < n; i++) {
                    want[i] = Math.max(x.data()[i], 0);
                    abs[i] = Math.abs(want[i]);
                }
                got = out.data();
            }
            case "relu_backward" -> {
                Tensor out = Tensor.filled(Float.NaN, R, C);
                g.reluBackward(x, y, out);
                for (int i = 0; i < n; i++) {
                    want[i] = x.data()[i] > 0 ? y.data()[i] : 0;
                    abs[i] = Math.abs(want[i]);
                }
                got = out.data();
            }
            case "add_row_vector" -> {
                Tensor m = x.copy(), bias = Tensor.uniform(rng, -1f, 1f, C);
                g.addRowVector(m, bias);
                for (int i = 0; i < n; i++) {
                    want[i] = x.data()[i] + (double) bias.data()[i % C];
                    abs[i] = Math.abs(x.data()[i]) + Math.abs(bias.data()[i % C]);
                }
                got = m.data();
            }
            case "sum_rows" -> {
                Tensor out = Tensor.filled(Float.NaN, C);
                g.sumRows(x, out);
                want = new double[C];
                abs = new double[C];
                for (int i = 0; i < n; i++) {
                    want[i % C] += x.data()[i];
                    abs[i % C] += Math.abs(x.data()[i]);
                }
                return Reference.check(out.data(), new double[][] {want, abs}, Reference.fp32(R), "");
            }
            default -> throw new IllegalArgumentException("no elementwise op " + op);
        }
        return Reference.check(got, new double[][] {want, abs}, Reference.fp32(2), "");
    }
}
