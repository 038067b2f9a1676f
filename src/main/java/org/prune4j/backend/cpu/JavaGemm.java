package org.prune4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Blocked GEMM in plain Java on the Vector API, in the Goto/BLIS arrangement: op(B) is packed
 * in KC x NC panels (sized for L2) as NR-wide strips, op(A) in MC x KC blocks (one per task) as
 * MR-tall strips, and a 6 x (2 vectors) register-tile micro-kernel runs over the packed data.
 * Packing also absorbs transposition, so all four op combinations share one kernel. Edge
 * tiles are zero-padded in the packs; results go out through a small tile buffer.
 */
public final class JavaGemm implements DenseGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;
    static final int KC = 256;
    static final int MC = 16 * MR;
    static final int NC = Math.max(NR, (512 / NR) * NR);

    @Override
    public String name() {
        return "java (Vector API, " + S.vectorBitSize() + "-bit)";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
            int ldb, float beta, float[] c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        scaleC(m, n, beta, c, ldc);
        if (k == 0 || alpha == 0f) {
            return;
        }
        int icBlocks = (m + MC - 1) / MC;
        float[] bp = new float[KC * roundUp(Math.min(n, NC), NR)];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(transB, b, ldb, pc, kc, jc, nc, bp);
                final int jcF = jc, pcF = pc;
                Parallel.run(icBlocks, blk -> {
                    int ic = blk * MC;
                    int mc = Math.min(MC, m - ic);
                    float[] ap = new float[roundUp(mc, MR) * kc];
                    packA(transA, a, lda, ic, mc, pcF, kc, ap);
                    float[] tile = new float[MR * NR];
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            kernel(kc, ap, ir * kc, bp, jr * kc, alpha, c, (ic + ir) * ldc + jcF + jr, ldc, mr, nr,
                                    tile);
                        }
                    }
                });
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    private static void scaleC(int m, int n, float beta, float[] c, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    /** op(B)[pc..pc+kc, jc..jc+nc] into NR-wide strips: strip s, row kk at bp[s*NR*kc + kk*NR]. */
    private static void packB(boolean trans, float[] b, int ldb, int pc, int kc, int jc, int nc, float[] bp) {
        int strips = (nc + NR - 1) / NR;
        Parallel.run(Math.min(strips, Parallel.THREADS), t -> {
            for (int s = t; s < strips; s += Parallel.THREADS) {
                int base = s * NR * kc;
                int j0 = jc + s * NR;
                int w = Math.min(NR, jc + nc - j0);
                for (int kk = 0; kk < kc; kk++) {
                    int dst = base + kk * NR;
                    if (!trans) {
                        System.arraycopy(b, (pc + kk) * ldb + j0, bp, dst, w);
                    } else {
                        for (int j = 0; j < w; j++) {
                            bp[dst + j] = b[(j0 + j) * ldb + pc + kk];
                        }
                    }
                    for (int j = w; j < NR; j++) {
                        bp[dst + j] = 0f;
                    }
                }
            }
        });
    }

    /** op(A)[ic..ic+mc, pc..pc+kc] into MR-tall strips: strip s, column kk at ap[s*MR*kc + kk*MR]. */
    private static void packA(boolean trans, float[] a, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int base = ir * kc;
            int h = Math.min(MR, mc - ir);
            for (int r = 0; r < h; r++) {
                int i = ic + ir + r;
                if (!trans) {
                    int src = i * lda + pc;
                    for (int kk = 0; kk < kc; kk++) {
                        ap[base + kk * MR + r] = a[src + kk];
                    }
                } else {
                    for (int kk = 0; kk < kc; kk++) {
                        ap[base + kk * MR + r] = a[(pc + kk) * lda + i];
                    }
                }
            }
        }
    }

    /** C[mr x nr] at cOff += alpha * (packed A strip) * (packed B strip), 6 x 2 vectors in registers. */
    private static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, float alpha, float[] c, int cOff,
            int ldc, int mr, int nr, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        // Indices written as base + kk * stride so that C2 can hoist the bounds checks.
        for (int kk = 0; kk < kc; kk++) {
            int bi = bo + kk * NR;
            int ai = ao + kk * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
        }
        // Accumulators go out through a small tile buffer: handing them to a helper that C2 does
        // not inline would box all twelve vectors and cost 4x in throughput (measured).
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        addTile(tile, alpha, c, cOff, ldc, mr, nr);
    }

    private static void addTile(float[] tile, float alpha, float[] c, int cOff, int ldc, int mr, int nr) {
        for (int r = 0; r < mr; r++) {
            int row = cOff + r * ldc;
            for (int j = 0; j < nr; j++) {
                c[row + j] += alpha * tile[r * NR + j];
            }
        }
    }
}
