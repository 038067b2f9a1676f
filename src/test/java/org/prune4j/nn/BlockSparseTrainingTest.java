package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.ActivationLayout;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Adam steps on a weight masked in whole blocks, on the block kernels and on the masked dense
 * GEMMs, from the same start: the weights must agree, and pruned entries (those outside the
 * matrix's blocks and those the edge blocks' padding stands for) must stay exactly zero.
 */
class BlockSparseTrainingTest {
    private final long seed = System.nanoTime();
    private final Backend be = new CpuBackend(CpuBackend.bestGemm());

    private static Parameter weight(Tensor start, Mask mask) {
        Parameter p = new Parameter("w", Parameter.Kind.WEIGHT, start.copy(), start.cols(), start.rows());
        p.setMask(mask);
        return p;
    }

    @Test
    void adamOnBlocksFollowsAdamOnTheMaskedDenseWeight() {
        for (ActivationLayout layout : ActivationLayout.values()) {
            Rng rng = new Rng(seed);
            int rows = 30, cols = 45, n = 70;
            Mask mask = new BlockShape(8, 4).randomMask(rows, cols, 0.35, rng);
            Tensor start = Tensor.uniform(rng, -0.5f, 0.5f, rows, cols);
            Parameter ws = weight(start, mask), wd = weight(start, mask);
            assertTrue(ws.blocks().rows() % 8 == 0 && ws.blocks().cols() % 4 == 0, "whole 8x4 blocks: " + ws.blocks());
            WeightProduct sparse = new WeightProduct(ws, layout), dense = new WeightProduct(wd, layout);
            sparse.use(true);
            dense.use(false);
            Adam adamS = new Adam(0.9, 0.999, 1e-8, 1e-3), adamD = new Adam(0.9, 0.999, 1e-8, 1e-3);
            boolean bm = layout == ActivationLayout.BATCH_MAJOR;
            Workspace wsS = Workspace.caching(be), wsD = Workspace.caching(be);
            for (int step = 0; step < 5; step++) {
                Tensor x = bm ? Tensor.uniform(rng, -1, 1, n, cols) : Tensor.uniform(rng, -1, 1, cols, n);
                Tensor dy = bm ? Tensor.uniform(rng, -1, 1, n, rows) : Tensor.uniform(rng, -1, 1, rows, n);
                Pass ps = new Pass(be, true, new Rng(1), wsS), pd = new Pass(be, true, new Rng(1), wsD);
                sparse.forward(x, ps);
                sparse.backward(dy, x, ps, true);
                dense.forward(x, pd);
                dense.backward(dy, x, pd, true);
                adamS.step(List.of(ws), 1e-2, be);
                adamD.step(List.of(wd), 1e-2, be);
            }
            assertTrue(sparse.isSparse());
            float[] a = ws.value().data(), b = wd.value().data();
            for (int i = 0; i < a.length; i++) {
                if (mask.keptAt(i)) {
                    assertEquals(b[i], a[i], 1e-4, layout + " entry " + i + " (seed " + seed + ")");
                } else {
                    assertEquals(0f, a[i], layout + " pruned entry " + i + " stays zero (seed " + seed + ")");
                }
            }
            wsS.close();
            wsD.close();
        }
    }
}
