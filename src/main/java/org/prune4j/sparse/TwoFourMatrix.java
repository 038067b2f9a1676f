package org.prune4j.sparse;

import org.prune4j.tensor.Tensor;

/**
 * 2:4 sparsity in the layout sparse tensor cores read ({@code mma.sp} with ordered metadata).
 *
 * <p>Columns are padded to {@code paddedCols = ceil(cols/16)*16}; padding groups keep
 * positions 0 and 1 with zero values.
 * <ul>
 *   <li>{@link #values()}: the compressed matrix, {@code rows x paddedCols/2}, row-major: the two
 *       kept values of every group of four columns, in column order.</li>
 *   <li>{@link #metadata()}: {@code rows x paddedCols/16} 16-bit words, row-major. Word
 *       {@code w} of row {@code i} covers logical columns {@code 16w .. 16w+15}: nibble
 *       {@code q} (bits {@code 4q .. 4q+3}) describes group {@code q} of that chunk, bits 1:0
 *       holding the position (0-3) of the first kept value and bits 3:2 the second, first &lt;
 *       second, so the only nibbles are 0x4, 0x8, 0xC, 0x9, 0xD, 0xE.</li>
 * </ul>
 * This is exactly what one thread of an m16n8k32 {@code mma.sp} supplies for one row and one
 * 16-wide K half: a kernel forms its 32-bit metadata register from the words of rows g and g+8
 * ({@code meta[g] | meta[g+8] << 16}) with no reordering, so the conversion happens once, here,
 * per weight and never per call.
 */
public final class TwoFourMatrix implements SparseMatrix {
    private final int rows;
    private final int cols;
    private final float[] values;
    private final short[] metadata;
    private final int wordsPerRow;

    public TwoFourMatrix(int rows, int cols, float[] values, short[] metadata) {
        this(rows, cols, values.clone(), metadata.clone(), true);
    }

    private TwoFourMatrix(int rows, int cols, float[] values, short[] metadata, boolean validate) {
        this.rows = rows;
        this.cols = cols;
        this.values = values;
        this.metadata = metadata;
        this.wordsPerRow = padded(cols) / 16;
        if (validate) {
            validate();
        }
    }

    private void validate() {
        Checks.requireShape(rows, cols);
        int pc = paddedCols();
        if ((long) rows * pc / 2 != values.length) {
            throw new IllegalArgumentException("2:4 matrix of " + rows + "x" + cols + " (padded to " + pc
                    + " columns) needs " + ((long) rows * pc / 2) + " values, got " + values.length);
        }
        if ((long) rows * pc / 16 != metadata.length) {
            throw new IllegalArgumentException("2:4 matrix of " + rows + "x" + cols + " needs " + ((long) rows * pc / 16)
                    + " metadata words, got " + metadata.length);
        }
        for (int i = 0; i < rows; i++) {
            for (int g = 0; g < pc / 4; g++) {
                int nib = nibble(i, g);
                int p0 = nib & 3, p1 = (nib >> 2) & 3;
                if (p0 >= p1) {
                    throw new IllegalArgumentException(String.format(
                            "2:4 metadata nibble 0x%X at row %d, group %d is not ordered: the first position must be"
                                    + " below the second (valid: 0x4, 0x8, 0x9, 0xC, 0xD, 0xE)", nib, i, g));
                }
                for (int s = 0; s < 2; s++) {
                    int j = 4 * g + (s == 0 ? p0 : p1);
                    if (j >= cols && values[i * (pc / 2) + 2 * g + s] != 0f) {
                        throw new IllegalArgumentException("2:4 slot at row " + i + ", group " + g
                                + " points at padding column " + j + " with a nonzero value");
                    }
                }
            }
        }
        Checks.requireFinite(values, "2:4 values");
    }

    /** Converts an N:M matrix with N=2, M=4 into the packed layout. */
    public static TwoFourMatrix from(NmMatrix nm) {
        if (nm.n() != 2 || nm.m() != 4) {
            throw new IllegalArgumentException("packed 2:4 layout needs a 2:4 matrix, got " + nm.format());
        }
        int rows = nm.rows(), cols = nm.cols();
        int pc = padded(cols), groups = nm.groups(), cgroups = pc / 4;
        float[] vals = new float[Math.multiplyExact(rows, pc / 2)];
        short[] meta = new short[rows * (pc / 16)];
        float[] nv = nm.values();
        byte[] np = nm.positions();
        for (int i = 0; i < rows; i++) {
            for (int g = 0; g < cgroups; g++) {
                int p0 = 0, p1 = 1;
                if (g < groups) {
                    int base = (i * groups + g) * 2;
                    p0 = np[base];
                    p1 = np[base + 1];
                    vals[i * (pc / 2) + 2 * g] = nv[base];
                    vals[i * (pc / 2) + 2 * g + 1] = nv[base + 1];
                }
                int w = i * (pc / 16) + g / 4;
                meta[w] = (short) (meta[w] | ((p0 | (p1 << 2)) << (4 * (g % 4))));
            }
        }
        return new TwoFourMatrix(rows, cols, vals, meta, false);
    }

    public static TwoFourMatrix fromDense(Tensor dense, Mask mask) {
        return from(NmMatrix.fromDense(dense, mask, 2, 4));
    }

    /** Keeps the two highest-scoring entries of every group of four. */
    public static TwoFourMatrix fromScores(Tensor dense, Tensor scores) {
        return from(NmMatrix.fromScores(dense, scores, 2, 4));
    }

    private static int padded(int cols) {
        return BsrMatrix.ceilDiv(cols, 16) * 16;
    }

    /** The 4-bit metadata of group {@code g} (columns 4g..4g+3) in row {@code i}. */
    public int nibble(int i, int g) {
        int word = metadata[i * wordsPerRow + g / 4] & 0xFFFF;
        return (word >>> (4 * (g % 4))) & 0xF;
    }

    @Override
    public Tensor toDense() {
        Tensor t = Tensor.zeros(rows, cols);
        float[] d = t.data();
        int pc = paddedCols();
        for (int i = 0; i < rows; i++) {
            for (int g = 0; g < pc / 4; g++) {
                int nib = nibble(i, g);
                int j0 = 4 * g + (nib & 3), j1 = 4 * g + ((nib >> 2) & 3);
                if (j0 < cols) {
                    d[i * cols + j0] = values[i * (pc / 2) + 2 * g];
                }
                if (j1 < cols) {
                    d[i * cols + j1] = values[i * (pc / 2) + 2 * g + 1];
                }
            }
        }
        return t;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    public int paddedCols() {
        return padded(cols);
    }

    @Override
    public long storedValues() {
        return values.length;
    }

    @Override
    public String format() {
        return "2:4-packed";
    }

    /** Shared, read-only. */
    public float[] values() {
        return values;
    }

    /** Shared, read-only. */
    public short[] metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return "TwoFourMatrix[" + rows + "x" + cols + "]";
    }
}
