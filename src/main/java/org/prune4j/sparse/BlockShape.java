package org.prune4j.sparse;

import org.prune4j.tensor.Rng;

/**
 * The blocks a mask is made of: every {@code rows x cols} tile of the grid laid from the top
 * left is kept whole or pruned whole (tiles at the right and bottom edges are cut short by the
 * matrix). {@link #NONE} (1 x 1) is an unstructured mask. Block kernels use the shape to share
 * each loaded activation among the rows of a block, so a backend may run a blocked mask on
 * them; the products are the same as on CSR.
 */
public record BlockShape(int rows, int cols) {
    /** Unstructured: every entry its own block. */
    public static final BlockShape NONE = new BlockShape(1, 1);

    /** The largest block side {@link #of} looks for; larger blocks buy a register tile nothing more. */
    public static final int MAX_SIDE = 16;

    public BlockShape {
        if (Integer.bitCount(rows) != 1 || Integer.bitCount(cols) != 1 || rows > 32 || cols > 32) {
            throw new IllegalArgumentException("block sides must be powers of two up to 32, got " + rows + "x" + cols);
        }
    }

    public boolean isBlocked() {
        return rows > 1 || cols > 1;
    }

    /**
     * The largest power-of-two block sides, up to {@link #MAX_SIDE}, that {@code mask} is made
     * of. Rows and columns are independent: the mask is whole R x C blocks exactly when each
     * aligned group of R rows holds identical rows and each aligned group of C columns holds
     * identical columns, so one pass finds both.
     */
    public static BlockShape of(Mask mask) {
        int rows = mask.rows(), cols = mask.cols();
        boolean[] k = mask.toArray();
        boolean[] rowSame = new boolean[rows];
        boolean[] colSame = new boolean[cols];
        java.util.Arrays.fill(rowSame, true);
        java.util.Arrays.fill(colSame, true);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                if (r > 0 && k[o + c] != k[o - cols + c]) {
                    rowSame[r] = false;
                }
                if (c > 0 && k[o + c] != k[o + c - 1]) {
                    colSame[c] = false;
                }
            }
        }
        return new BlockShape(side(rowSame), side(colSame));
    }

    /** The largest power of two s <= MAX_SIDE such that every index not a multiple of s equals its predecessor. */
    private static int side(boolean[] sameAsPrevious) {
        int s = MAX_SIDE;
        for (int i = 1; i < sameAsPrevious.length && s > 1; i++) {
            while (!sameAsPrevious[i] && i % s != 0) {
                s /= 2;
            }
        }
        return s;
    }

    /** A mask of {@code round(density x blocks)} whole blocks of this shape, chosen uniformly at random. */
    public Mask randomMask(int matrixRows, int matrixCols, double density, Rng rng) {
        int gr = (matrixRows + rows - 1) / rows, gc = (matrixCols + cols - 1) / cols;
        Mask grid = Mask.randomExact(gr, gc, density, rng);
        boolean[] k = new boolean[Math.multiplyExact(matrixRows, matrixCols)];
        for (int r = 0; r < matrixRows; r++) {
            for (int c = 0; c < matrixCols; c++) {
                k[r * matrixCols + c] = grid.kept(r / rows, c / cols);
            }
        }
        return Mask.of(matrixRows, matrixCols, k);
    }

    @Override
    public String toString() {
        return rows + "x" + cols;
    }
}
