package org.prune4j.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.TestMasks;
import org.prune4j.sparse.io.MalformedMatrixFileException;
import org.prune4j.sparse.io.MatrixMarket;
import org.prune4j.sparse.io.Smtx;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

class MatrixFilesTest {
    @TempDir
    Path dir;

    @Test
    void matrixMarketRoundTripsValuesExactly() throws IOException {
        Rng rng = new Rng(System.nanoTime());
        Tensor w = Tensor.uniform(rng, -1, 1, 23, 41);
        CsrMatrix m = CsrMatrix.fromDense(w, TestMasks.unstructured(23, 41, TestMasks.Kind.EMPTY_ROWS, rng));
        Path f = dir.resolve("m.mtx");
        MatrixMarket.write(m, f);
        CsrMatrix back = MatrixMarket.read(f, rng);
        assertArrayEquals(m.rowPtr(), back.rowPtr());
        assertArrayEquals(m.colIdx(), back.colIdx());
        assertArrayEquals(m.values(), back.values());
    }

    @Test
    void readsSymmetricAndPatternFilesByHand() throws IOException {
        Path f = write("s.mtx", "%%MatrixMarket matrix coordinate real symmetric\n% comment\n3 3 2\n2 1 4.5\n3 3 -1\n");
        Tensor d = MatrixMarket.read(f, new Rng(1)).toDense();
        assertArrayEquals(new float[] {0, 4.5f, 0, 4.5f, 0, 0, 0, 0, -1}, d.data());
        Path p = write("p.mtx", "%%MatrixMarket matrix coordinate pattern general\n2 3 2\n1 3\n2 1\n");
        CsrMatrix pm = MatrixMarket.read(p, new Rng(1));
        assertArrayEquals(new int[] {0, 1, 2}, pm.rowPtr());
        assertArrayEquals(new int[] {2, 0}, pm.colIdx());
        for (float v : pm.values()) {
            assertTrue(v != 0f && v >= -1 && v < 1, "pattern values are drawn from [-1, 1): " + v);
        }
    }

    @Test
    void malformedMatrixMarketFilesNameFileLineAndProblem() throws IOException {
        String h = "%%MatrixMarket matrix coordinate real general\n";
        expect("bad header", "%%MatrixMarket matrix\n");
        expect("only the coordinate format", "%%MatrixMarket matrix array real general\n2 2\n");
        expect("missing the size line", h);
        expect("row index 5 is outside 1..4", h + "4 4 1\n5 1 1.0\n");
        expect("file ends after 1 of the 2 entries", h + "4 4 2\n1 1 1.0\n");
        expect("more entries than the 1", h + "4 4 1\n1 1 1.0\n2 2 2.0\n");
        expect("duplicate entry at row 1, column 1", h + "4 4 2\n1 1 1.0\n1 1 2.0\n");
        expect("'abc' is not a number", h + "4 4 1\n1 1 abc\n");
        expect("expected 3 fields", h + "4 4 1\n1 1\n");
        expect("empty file", "");
        var e = assertThrows(MalformedMatrixFileException.class, () -> MatrixMarket.read(write("l.mtx",
                h + "4 4 1\n9 1 1.0\n"), new Rng(1)));
        assertTrue(e.getMessage().contains("l.mtx:3:"), "message names file and line: " + e.getMessage());
    }

    @Test
    void readsARealDlmcMatrix() throws IOException {
        Path dir = org.prune4j.bench.DlmcData.find().orElse(Path.of("data/dlmc"));
        Path f = dir.resolve("transformer/magnitude_pruning/0.9/body_decoder_layer_0_ffn_conv1_fully_connected.smtx");
        Assumptions.assumeTrue(Files.exists(f), "DLMC subset not present at " + f.toAbsolutePath());
        String[] head = Files.readAllLines(f).get(0).split(",\\s*");
        CsrMatrix m = Smtx.read(f, new Rng(3));
        assertEquals(Integer.parseInt(head[0].trim()), m.rows());
        assertEquals(Integer.parseInt(head[1].trim()), m.cols());
        assertEquals(Integer.parseInt(head[2].trim()), m.nnz());
        assertEquals(0.9, m.sparsity(), 0.01, "the file sits in the 0.9 folder");
    }

    @Test
    void smtxHandWorkedAndMalformed() throws IOException {
        CsrMatrix m = Smtx.read(write("a.smtx", "2, 3, 3\n0 2 3\n2 0 1\n"), new Rng(5));
        assertArrayEquals(new int[] {0, 2, 1}, m.colIdx(), "row 0 sorted on load");
        expectSmtx("row offsets", "2, 3, 3\n0 2\n0 1 1\n");
        expectSmtx("column indices", "2, 3, 3\n0 2 3\n0 1\n");
        expectSmtx("'x' in the", "2, 3, 3\n0 2 3\n0 x 1\n");
        expectSmtx("file ends before the row offsets", "2, 3, 3\n");
        expectSmtx("impossible header", "2, 3, 9\n");
        expectSmtx("not a valid CSR pattern", "2, 3, 3\n0 2 3\n0 7 1\n");
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private void expect(String fragment, String content) throws IOException {
        Path f = write("bad.mtx", content);
        var e = assertThrows(MalformedMatrixFileException.class, () -> MatrixMarket.read(f, new Rng(1)));
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    private void expectSmtx(String fragment, String content) throws IOException {
        Path f = write("bad.smtx", content);
        var e = assertThrows(MalformedMatrixFileException.class, () -> Smtx.read(f, new Rng(1)));
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}
