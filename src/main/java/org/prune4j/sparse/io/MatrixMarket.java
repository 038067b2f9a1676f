package org.prune4j.sparse.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.prune4j.guard.HostMemory;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.tensor.Rng;

/**
 * Matrix Market coordinate files: {@code real}, {@code integer} or {@code pattern} values,
 * {@code general} or {@code symmetric} (expanded to both triangles). Pattern entries take
 * values from the given random source, so products on them never multiply by a constant.
 */
public final class MatrixMarket {
    private MatrixMarket() {
    }

    public static CsrMatrix read(Path file, Rng patternValues) throws IOException {
        try (LineReader in = new LineReader(file)) {
            String header = in.next();
            if (header == null) {
                throw in.error("empty file; a Matrix Market file starts with '%%MatrixMarket matrix coordinate ...'");
            }
            String[] h = header.trim().toLowerCase(Locale.ROOT).split("\\s+");
            if (h.length != 5 || !h[0].equals("%%matrixmarket") || !h[1].equals("matrix")) {
                throw in.error("bad header '" + header + "'; expected '%%MatrixMarket matrix coordinate real general'");
            }
            if (!h[2].equals("coordinate")) {
                throw in.error("only the coordinate format is supported, got '" + h[2] + "'; write the matrix as"
                        + " coordinate entries");
            }
            boolean pattern = switch (h[3]) {
                case "real", "integer" -> false;
                case "pattern" -> true;
                default -> throw in.error("value type '" + h[3] + "' is not supported; use real, integer or pattern");
            };
            boolean symmetric = switch (h[4]) {
                case "general" -> false;
                case "symmetric" -> true;
                default -> throw in.error("symmetry '" + h[4] + "' is not supported; use general or symmetric");
            };
            String line = in.next();
            while (line != null && (line.isBlank() || line.startsWith("%"))) {
                line = in.next();
            }
            if (line == null) {
                throw in.error("missing the size line 'rows columns entries'");
            }
            long[] size = parseLongs(in, line, 3, "size line 'rows columns entries'");
            if (size[0] < 0 || size[1] < 0 || size[2] < 0 || size[0] > Integer.MAX_VALUE
                    || size[1] > Integer.MAX_VALUE || size[2] > Integer.MAX_VALUE / 2) {
                throw in.error("size line has an impossible size: " + line.trim());
            }
            int rows = (int) size[0], cols = (int) size[1], entries = (int) size[2];
            if (symmetric && rows != cols) {
                throw in.error("a symmetric matrix must be square, got " + rows + "x" + cols);
            }
            if ((long) entries > (long) rows * cols) {
                throw in.error(entries + " entries cannot fit in a " + rows + "x" + cols + " matrix");
            }
            int minLine = pattern ? 4 : 6; // "1 1\n", "1 1 1\n": the shortest entry lines
            if (entries > in.size() / minLine) {
                throw in.error("the size line announces " + entries + " entries but the file (" + in.size()
                        + " bytes) can hold at most " + in.size() / minLine);
            }
            int cap = symmetric ? 2 * entries : entries;
            // row offsets twice (the offsets and the fill cursor), coordinates, keys and the CSR arrays per entry
            HostMemory.require(HostMemory.bytes(rows + 1L, 8) + HostMemory.bytes(cap, 4 + 4 + 4 + 8 + 4 + 4),
                    "the " + rows + "x" + cols + " matrix with " + entries + " entries in " + file);
            int[] ri = new int[cap], ci = new int[cap];
            float[] v = new float[cap];
            int count = 0;
            for (int e = 0; e < entries; e++) {
                line = in.next();
                while (line != null && (line.isBlank() || line.startsWith("%"))) {
                    line = in.next();
                }
                if (line == null) {
                    throw in.error("file ends after " + e + " of the " + entries + " entries the size line announced");
                }
                String[] f = line.trim().split("\\s+");
                int want = pattern ? 2 : 3;
                if (f.length != want) {
                    throw in.error("expected " + want + " fields (" + (pattern ? "row column" : "row column value")
                            + "), got " + f.length + ": '" + line.trim() + "'");
                }
                int r = parseIndex(in, f[0], rows, "row");
                int c = parseIndex(in, f[1], cols, "column");
                float val;
                if (pattern) {
                    val = patternValues.uniform(-1f, 1f);
                } else {
                    try {
                        val = Float.parseFloat(f[2]);
                    } catch (NumberFormatException ex) {
                        throw in.error("value '" + f[2] + "' is not a number");
                    }
                    if (!Float.isFinite(val)) {
                        throw in.error("value '" + f[2] + "' is not finite");
                    }
                }
                ri[count] = r;
                ci[count] = c;
                v[count++] = val;
                if (symmetric && r != c) {
                    ri[count] = c;
                    ci[count] = r;
                    v[count++] = val;
                }
            }
            for (line = in.next(); line != null; line = in.next()) {
                if (!line.isBlank() && !line.startsWith("%")) {
                    throw in.error("more entries than the " + entries + " the size line announced");
                }
            }
            return assemble(file, rows, cols, ri, ci, v, count);
        }
    }

    /** Sorts coordinate entries into CSR, rejecting duplicates. */
    static CsrMatrix assemble(Path file, int rows, int cols, int[] ri, int[] ci, float[] v, int count)
            throws MalformedMatrixFileException {
        int[] rowPtr = new int[rows + 1];
        for (int e = 0; e < count; e++) {
            rowPtr[ri[e] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            rowPtr[i + 1] += rowPtr[i];
        }
        int[] next = Arrays.copyOf(rowPtr, rows);
        long[] keyed = new long[count];
        for (int e = 0; e < count; e++) {
            keyed[next[ri[e]]++] = ((long) ci[e] << 32) | e;
        }
        int[] colIdx = new int[count];
        float[] values = new float[count];
        for (int i = 0; i < rows; i++) {
            Arrays.sort(keyed, rowPtr[i], rowPtr[i + 1]);
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                colIdx[p] = (int) (keyed[p] >>> 32);
                values[p] = v[(int) keyed[p]];
                if (p > rowPtr[i] && colIdx[p] == colIdx[p - 1]) {
                    throw new MalformedMatrixFileException(file, 0, "duplicate entry at row " + (i + 1) + ", column "
                            + (colIdx[p] + 1) + " (1-based)");
                }
            }
        }
        return new CsrMatrix(rows, cols, rowPtr, colIdx, values);
    }

    private static long[] parseLongs(LineReader in, String line, int n, String what)
            throws MalformedMatrixFileException {
        String[] f = line.trim().split("[\\s,]+");
        if (f.length != n) {
            throw in.error("expected the " + what + ", got '" + line.trim() + "'");
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            try {
                out[i] = Long.parseLong(f[i]);
            } catch (NumberFormatException e) {
                throw in.error("'" + f[i] + "' in the " + what + " is not an integer");
            }
        }
        return out;
    }

    private static int parseIndex(LineReader in, String s, int bound, String what)
            throws MalformedMatrixFileException {
        long x;
        try {
            x = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw in.error(what + " index '" + s + "' is not an integer");
        }
        if (x < 1 || x > bound) {
            throw in.error(what + " index " + x + " is outside 1.." + bound + " (Matrix Market indices are 1-based)");
        }
        return (int) (x - 1);
    }

    /** Writes {@code m} as {@code coordinate real general}, 1-based, values round-tripping exactly. */
    public static void write(CsrMatrix m, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("%%MatrixMarket matrix coordinate real general\n");
            w.write("% written by Prune4J\n");
            w.write(m.rows() + " " + m.cols() + " " + m.nnz() + "\n");
            int[] ptr = m.rowPtr(), col = m.colIdx();
            float[] val = m.values();
            for (int i = 0; i < m.rows(); i++) {
                for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                    w.write((i + 1) + " " + (col[p] + 1) + " " + Float.toString(val[p]) + "\n");
                }
            }
        }
    }
}
