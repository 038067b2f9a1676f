package org.prune4j.sparse.io;

import java.io.IOException;
import java.nio.file.Path;
import org.prune4j.guard.HostMemory;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.tensor.Rng;

/**
 * The DLMC pattern format (Gale et al., SC 2020): line 1 {@code rows, columns, nnz}, line 2 the
 * rows+1 CSR row offsets, line 3 the nnz column indices. There are no values; they are drawn
 * uniformly from [-1, 1) with the given random source.
 */
public final class Smtx {
    private Smtx() {
    }

    public static CsrMatrix read(Path file, Rng values) throws IOException {
        try (LineReader in = new LineReader(file)) {
            String head = in.next();
            if (head == null) {
                throw in.error("empty file; .smtx starts with 'rows, columns, nnz'");
            }
            int[] size = parseInts(in, head, 3, "header 'rows, columns, nnz'");
            int rows = size[0], cols = size[1], nnz = size[2];
            if (rows < 0 || cols < 0 || nnz < 0 || (long) nnz > (long) rows * cols) {
                throw in.error("impossible header: " + rows + " rows, " + cols + " columns, " + nnz + " nonzeros");
            }
            // each offset and index takes at least a digit and a separator
            if (rows + 1L + nnz > in.size() / 2 + 2) {
                throw in.error("the header announces " + rows + " rows and " + nnz + " nonzeros, but the file ("
                        + in.size() + " bytes) is too small to hold their " + (rows + 1L + nnz) + " offsets and indices");
            }
            HostMemory.require(HostMemory.bytes(rows + 1L, 4) + HostMemory.bytes(nnz, 8) + 2 * in.size(),
                    "the " + rows + "x" + cols + " pattern with " + nnz + " nonzeros in " + file);
            String ptrLine = in.next();
            if (ptrLine == null) {
                throw in.error("file ends before the row offsets (line 2)");
            }
            int[] rowPtr = parseInts(in, ptrLine, rows + 1, "row offsets (rows+1 = " + (rows + 1) + " integers)");
            String colLine = in.next();
            if (colLine == null && nnz > 0) {
                throw in.error("file ends before the column indices (line 3)");
            }
            int[] colIdx = nnz == 0 && (colLine == null || colLine.isBlank())
                    ? new int[0]
                    : parseInts(in, colLine, nnz, "column indices (nnz = " + nnz + " integers)");
            float[] v = new float[nnz];
            for (int p = 0; p < nnz; p++) {
                v[p] = values.uniform(-1f, 1f);
            }
            try {
                return sortedCsr(rows, cols, rowPtr, colIdx, v);
            } catch (IllegalArgumentException e) {
                throw in.error("not a valid CSR pattern: " + e.getMessage());
            }
        }
    }

    /** DLMC rows are usually sorted; sort any that are not rather than reject the file. */
    private static CsrMatrix sortedCsr(int rows, int cols, int[] rowPtr, int[] colIdx, float[] v) {
        for (int i = 0; i < rows; i++) {
            int a = rowPtr[i], b = rowPtr[i + 1];
            if (a < 0 || b > colIdx.length || a > b) {
                break; // let the CSR constructor name the problem
            }
            java.util.Arrays.sort(colIdx, a, b);
        }
        return new CsrMatrix(rows, cols, rowPtr, colIdx, v);
    }

    /** Exactly {@code expected} integers separated by spaces or commas, scanned without splitting the line. */
    private static int[] parseInts(LineReader in, String line, int expected, String what)
            throws MalformedMatrixFileException {
        int[] out = new int[expected];
        int found = 0, i = 0, n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ',' || Character.isWhitespace(line.charAt(i)))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && line.charAt(i) != ',' && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (found == expected) {
                throw in.error("expected the " + what + ", found more than " + expected + " values");
            }
            String token = line.substring(start, i);
            try {
                out[found++] = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw in.error("'" + (token.length() > 40 ? token.substring(0, 40) + "..." : token) + "' in the " + what
                        + " is not an integer");
            }
        }
        if (found != expected) {
            throw in.error("expected the " + what + ", found " + found + " values");
        }
        return out;
    }
}
