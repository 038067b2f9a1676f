package org.prune4j.bench;

import java.util.Arrays;
import java.util.List;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CompactedMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * A sparsity structure and how to draw a weight of it at a target sparsity: unstructured CSR,
 * square blocks of 4-32 (BSR), 2:4 (only 50%), and whole output channels removed (compacted).
 */
public enum Structure {
    CSR("csr", 1), BSR4("bsr4", 4), BSR8("bsr8", 8), BSR16("bsr16", 16), BSR32("bsr32", 32), TWO_FOUR("2:4", 1),
    COMPACTED("channels", 1);

    private final String label;
    private final int block;

    Structure(String label, int block) {
        this.label = label;
        this.block = block;
    }

    public String label() {
        return label;
    }

    public static Structure named(String name) {
        return Arrays.stream(values()).filter(s -> s.label.equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown structure '" + name + "'; choose from "
                        + Arrays.stream(values()).map(Structure::label).toList()));
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(Structure::label).toList();
    }

    /** Whether this structure exists at that sparsity (2:4 is exactly 50%). */
    public boolean supports(double sparsity) {
        return this != TWO_FOUR || sparsity == 0.5;
    }

    /** The mask of a random weight of this structure at {@code sparsity}. */
    public Mask mask(int rows, int cols, double sparsity, Rng rng) {
        return switch (this) {
            case CSR -> Mask.randomExact(rows, cols, 1 - sparsity, rng);
            case BSR4, BSR8, BSR16, BSR32 -> blockMask(rows, cols, block, sparsity, rng);
            case TWO_FOUR -> twoFour(rows, cols, rng);
            case COMPACTED -> rowMask(rows, cols, sparsity, rng);
        };
    }

    public SparseMatrix build(Tensor w, Mask mask) {
        return switch (this) {
            case CSR -> CsrMatrix.fromDense(w, mask);
            case BSR4, BSR8, BSR16, BSR32 -> BsrMatrix.fromDense(w, mask, block, block);
            case TWO_FOUR -> TwoFourMatrix.fromDense(w, mask);
            case COMPACTED -> CompactedMatrix.fromDense(w, mask);
        };
    }

    private static Mask blockMask(int rows, int cols, int b, double sparsity, Rng rng) {
        int gr = (rows + b - 1) / b, gc = (cols + b - 1) / b;
        Mask blocks = Mask.randomExact(gr, gc, 1 - sparsity, rng);
        boolean[] k = new boolean[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                k[i * cols + j] = blocks.kept(i / b, j / b);
            }
        }
        return Mask.of(rows, cols, k);
    }

    private static Mask twoFour(int rows, int cols, Rng rng) {
        boolean[] k = new boolean[rows * cols];
        int[] pos = {0, 1, 2, 3};
        for (int i = 0; i < rows; i++) {
            for (int g = 0; g < cols; g += 4) {
                rng.shuffle(pos);
                int width = Math.min(4, cols - g);
                int kept = 0;
                for (int p : pos) {
                    if (p < width && kept < 2) {
                        k[i * cols + g + p] = true;
                        kept++;
                    }
                }
            }
        }
        return Mask.of(rows, cols, k);
    }

    private static Mask rowMask(int rows, int cols, double sparsity, Rng rng) {
        Mask r = Mask.randomExact(rows, 1, 1 - sparsity, rng);
        boolean[] k = new boolean[rows * cols];
        for (int i = 0; i < rows; i++) {
            if (r.kept(i, 0)) {
                Arrays.fill(k, i * cols, (i + 1) * cols, true);
            }
        }
        return Mask.of(rows, cols, k);
    }
}
