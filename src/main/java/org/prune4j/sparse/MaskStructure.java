package org.prune4j.sparse;

import java.util.Objects;
import org.prune4j.tensor.Rng;

/**
 * What a backend's kernels can exploit in a mask beyond its density: the whole blocks it is made
 * of ({@link BlockShape}), or an exact 2:4 pattern, the one sparse tensor cores multiply. The
 * kernel choice and the whole-step calibration are keyed by it, because each structure has its
 * own kernels and so its own crossover density.
 *
 * <p>A mask is 2:4 when every group of four consecutive inputs in a row keeps exactly two, and a
 * short last group keeps min(2, its length): what {@code --structure nm:2:4} produces. A mask
 * that merely fits 2:4 (a 1:4 mask, or an unstructured mask that happens to) is not, since CSR
 * skips the zeros the tensor cores would still multiply.
 */
public record MaskStructure(BlockShape blocks, boolean twoFour) {
    /** Unstructured. */
    public static final MaskStructure NONE = new MaskStructure(BlockShape.NONE, false);
    /** Exactly two of every four inputs. */
    public static final MaskStructure TWO_FOUR = new MaskStructure(BlockShape.NONE, true);

    public MaskStructure {
        Objects.requireNonNull(blocks, "blocks");
        if (twoFour && blocks.isBlocked()) {
            throw new IllegalArgumentException("a 2:4 mask is not also made of " + blocks + " blocks");
        }
    }

    public static MaskStructure blocks(BlockShape b) {
        return new MaskStructure(b, false);
    }

    /** The structure of {@code mask}: 2:4 when it is exactly that, else its blocks. */
    public static MaskStructure of(Mask mask) {
        int cols = mask.cols();
        // the count rules most masks out before any index is built
        boolean countFits = cols >= 4 && mask.keptCount() == (long) mask.rows() * (2 * (cols / 4) + Math.min(2, cols % 4));
        return countFits && isTwoFour(CsrMatrix.pattern(mask)) ? TWO_FOUR : blocks(BlockShape.of(mask));
    }

    /**
     * Whether every row keeps exactly two of every four inputs (min(2, length) of a short last
     * group). Rows of fewer than four inputs have no group to exploit, so they never are.
     */
    public static boolean isTwoFour(CsrMatrix pattern) {
        int cols = pattern.cols(), tail = cols % 4;
        if (cols < 4) {
            return false;
        }
        int perRow = 2 * (cols / 4) + Math.min(2, tail);
        int[] ptr = pattern.rowPtr(), idx = pattern.colIdx();
        for (int r = 0; r < pattern.rows(); r++) {
            if (ptr[r + 1] - ptr[r] != perRow) {
                return false;
            }
            // With the row's total at the maximum two per group allows, no group over two means
            // every group holds exactly its share.
            int group = -1, inGroup = 0;
            for (int p = ptr[r]; p < ptr[r + 1]; p++) {
                int g = idx[p] / 4;
                inGroup = g == group ? inGroup + 1 : 1;
                group = g;
                if (inGroup > 2) {
                    return false;
                }
            }
        }
        return true;
    }

    public boolean isStructured() {
        return twoFour || blocks.isBlocked();
    }

    /**
     * A random mask of this structure: {@code density} of whole blocks, or for 2:4 two random
     * positions in every group (the density is then the pattern's own, about one half).
     */
    public Mask randomMask(int rows, int cols, double density, Rng rng) {
        if (!twoFour) {
            return blocks.isBlocked() ? blocks.randomMask(rows, cols, density, rng)
                    : Mask.randomExact(rows, cols, density, rng);
        }
        boolean[] k = new boolean[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < cols; g += 4) {
                int len = Math.min(4, cols - g), first = rng.nextInt(len);
                k[r * cols + g + first] = true;
                if (len > 1) {
                    int second = rng.nextInt(len - 1);
                    k[r * cols + g + (second >= first ? second + 1 : second)] = true;
                }
            }
        }
        return Mask.of(rows, cols, k);
    }

    /** "2:4", a block shape such as "4x4", or "1x1" when unstructured. */
    @Override
    public String toString() {
        return twoFour ? "2:4" : blocks.toString();
    }

    /** The inverse of {@link #toString()}. */
    public static MaskStructure parse(String s) {
        if (s.equals("2:4")) {
            return TWO_FOUR;
        }
        String[] rc = s.split("x");
        if (rc.length != 2) {
            throw new IllegalArgumentException("a mask structure is 2:4 or RxC blocks, got '" + s + "'");
        }
        return blocks(new BlockShape(Integer.parseInt(rc[0].trim()), Integer.parseInt(rc[1].trim())));
    }
}
