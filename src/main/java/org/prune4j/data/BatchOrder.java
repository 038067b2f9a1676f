package org.prune4j.data;

import java.util.Arrays;
import org.prune4j.tensor.Rng;

/**
 * The order in which training examples are visited: a fresh shuffle per epoch, drawn from the
 * seed and the epoch number alone, so iteration {@code t} sees the same batch whether a run
 * went straight through or was resumed.
 */
public final class BatchOrder {
    private final int size;
    private final int batch;
    private final long seed;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    public BatchOrder(int size, int batch, long seed) {
        if (batch <= 0 || batch > size) {
            throw new IllegalArgumentException("batch size " + batch + " must be in 1.." + size + " (the training set size)");
        }
        this.size = size;
        this.batch = batch;
        this.seed = seed;
    }

    public int batchesPerEpoch() {
        return size / batch;
    }

    /** Example indices of iteration {@code t}: {@code order()[offset(t) .. offset(t) + batch)}. */
    public int[] order(long iteration) {
        int epoch = (int) (iteration / batchesPerEpoch());
        if (epoch != cachedEpoch) {
            int[] o = new int[size];
            Arrays.setAll(o, i -> i);
            new Rng(seed).split(epoch + 1L).shuffle(o);
            cachedOrder = o;
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    public int offset(long iteration) {
        return (int) (iteration % batchesPerEpoch()) * batch;
    }

    public int batch() {
        return batch;
    }
}
