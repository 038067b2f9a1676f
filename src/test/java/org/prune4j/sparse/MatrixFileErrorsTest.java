package org.prune4j.sparse;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.guard.HostMemory;
import org.prune4j.sparse.io.MalformedMatrixFileException;
import org.prune4j.sparse.io.MatrixMarket;
import org.prune4j.sparse.io.Smtx;
import org.prune4j.tensor.Rng;

/**
 * Matrix files that declare more than they hold, or are not text at all, fail with the file and
 * the reason before anything large is allocated (issue 13, items 8 and 9).
 */
class MatrixFileErrorsTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    @Test
    void aTinyFileDeclaringAHugeMatrixIsRefusedWithTheSizeAndTheFix() throws IOException {
        Path f = file("huge.mtx", "%%MatrixMarket matrix coordinate real general\n1000000000 1000000000 3\n1 1 1\n"
                .getBytes());
        Exception e = assertThrows(Exception.class, () -> MatrixMarket.read(f, new Rng(1)));
        assertTrue(e instanceof HostMemory.TooLarge || e instanceof MalformedMatrixFileException, e.toString());
        assertTrue(e.getMessage().contains("huge.mtx"), e.getMessage());
        if (e instanceof HostMemory.TooLarge) {
            assertTrue(e.getMessage().contains("needs") && e.getMessage().contains("PRUNE4J_JAVA_OPTS"), e.getMessage());
        }
        Path many = file("many.mtx", "%%MatrixMarket matrix coordinate real general\n10 10 90\n1 1 1\n".getBytes());
        String m = assertThrows(MalformedMatrixFileException.class, () -> MatrixMarket.read(many, new Rng(1)))
                .getMessage();
        assertTrue(m.contains("announces 90 entries but the file"), m);
        Path smtx = file("huge.smtx", "2000000000, 5, 3\n0 1\n0 1 2\n".getBytes());
        String s = assertThrows(MalformedMatrixFileException.class, () -> Smtx.read(smtx, new Rng(1))).getMessage();
        assertTrue(s.contains("too small to hold"), s);
    }

    @Test
    void aBinaryFileIsNamedWithItsLineNotAsInputLength() throws IOException {
        byte[] bytes = new byte[64];
        new java.util.Random(1).nextBytes(bytes);
        bytes[0] = (byte) 0xC3;
        bytes[1] = (byte) 0x28; // an invalid UTF-8 sequence
        Path f = file("binary.mtx", bytes);
        String m = assertThrows(MalformedMatrixFileException.class, () -> MatrixMarket.read(f, new Rng(1)))
                .getMessage();
        assertTrue(m.contains("binary.mtx:1") && m.contains("not a text file"), m);
        assertFalse(m.contains("Input length"), m);
    }

    @Test
    void aFolderOrMissingFileIsNamedAsSuch() throws IOException {
        Path d = Files.createDirectory(dir.resolve("folder.smtx"));
        assertTrue(assertThrows(MalformedMatrixFileException.class, () -> Smtx.read(d, new Rng(1))).getMessage()
                .contains("folder.smtx: cannot read it as a matrix file: it is a folder, not a file"));
        assertTrue(assertThrows(MalformedMatrixFileException.class, () -> MatrixMarket.read(dir.resolve("no.mtx"),
                new Rng(1))).getMessage().contains("no.mtx: cannot read it as a matrix file: it is no such file"));
    }
}
