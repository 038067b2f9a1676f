package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.testing.ChildJvm;
import org.prune4j.testing.TinyData;

/**
 * Data folders that are wrong in the ways a hostile user found: each is refused with the file
 * and the problem, instead of a contradiction, a wrong model or a silent non-result (issue 13,
 * items 8, 9 and 10).
 */
class BadDataTest {
    @TempDir
    Path tmp;

    private Path folder(String name) throws IOException {
        return TinyData.write(tmp.resolve(name), 100, 8, 1);
    }

    private String refused(Path dir) {
        return assertThrows(MalformedDataException.class, () -> ImageData.load(dir, 10, 1)).getMessage();
    }

    @Test
    void aFolderWhereADataFileBelongsIsNamedAsSuch() throws IOException {
        Path d = folder("dir");
        Files.delete(d.resolve("train-labels-idx1-ubyte"));
        Files.createDirectory(d.resolve("train-labels-idx1-ubyte"));
        String m = refused(d);
        assertTrue(m.contains("train-labels-idx1-ubyte: is a folder, not a file"), m);
        assertFalse(m.contains("missing"), "no contradiction: " + m);
    }

    @Test
    void aFifoIsNamedAndNeverOpened() throws Exception {
        Path d = folder("fifo");
        Files.delete(d.resolve("t10k-images-idx3-ubyte"));
        Process p = new ProcessBuilder("mkfifo", d.resolve("t10k-images-idx3-ubyte").toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo is not available");
        String m = refused(d); // reading a FIFO without a writer would block forever
        assertTrue(m.contains("named pipe (FIFO)"), m);
    }

    @Test
    void trainAndTestImagesOfDifferentSizesAreBlamedOnTheData() throws IOException {
        Path d = folder("sizes");
        Path other = TinyData.write(tmp.resolve("other"), 100, 6, 1);
        Files.copy(other.resolve("t10k-images-idx3-ubyte"), d.resolve("t10k-images-idx3-ubyte"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(other.resolve("t10k-labels-idx1-ubyte"), d.resolve("t10k-labels-idx1-ubyte"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String m = refused(d);
        assertTrue(m.contains("test images are 6x6 but the training images") && m.contains("8x8"), m);
    }

    @Test
    void aStrayLabelDoesNotBuildAModelWithClassesItNeverSees() throws IOException {
        Path d = folder("labels");
        byte[] labels = Files.readAllBytes(d.resolve("train-labels-idx1-ubyte"));
        labels[labels.length - 1] = (byte) 255;
        Files.write(d.resolve("train-labels-idx1-ubyte"), labels);
        String m = refused(d);
        assertTrue(m.contains("labels run up to 255") && m.contains("label 10 never occurs"), m);
        Path t = folder("test-labels");
        byte[] tl = Files.readAllBytes(t.resolve("t10k-labels-idx1-ubyte"));
        tl[9] = 12;
        Files.write(t.resolve("t10k-labels-idx1-ubyte"), tl);
        assertTrue(refused(t).contains("label 12 of test example 1 never occurs in the training labels"));
        assertEquals(10, ImageData.load(folder("fine"), 10, 1).train().classes());
    }

    @Test
    void blankImagesAreRefusedBeforeTraining() throws IOException {
        Path d = folder("black");
        byte[] img = Files.readAllBytes(d.resolve("train-images-idx3-ubyte"));
        java.util.Arrays.fill(img, 16, img.length, (byte) 0);
        Files.write(d.resolve("train-images-idx3-ubyte"), img);
        String m = refused(d);
        assertTrue(m.contains("the images are blank"), m);
    }

    @Test
    void aHeaderPromisingMoreThanTheFileHoldsFailsBeforeAllocating() throws IOException {
        Path f = tmp.resolve("huge");
        Files.write(f, TinyData.idx(new int[] {2_000_000_000}, new byte[10]));
        String m = assertThrows(MalformedDataException.class, () -> IdxFile.read(f)).getMessage();
        assertTrue(m.contains("promises 2000000000 values but the file holds 10"), m);
    }

    @Test
    void aHeapTooSmallForTheDataGivesOneLineWithTheFix() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed");
        Path log = tmp.resolve("small-heap.log");
        int code = ChildJvm.run(ChildJvm.cli(tmp, "48m", "train", "--iterations", "10", "--sparse-below", "0",
                "--out", tmp.resolve("runs").toString()), log);
        String out = Files.readString(log);
        assertEquals(1, code, out);
        assertTrue(out.contains("prune4j: loading the data set in /usr/share/datasets/fashion-mnist")
                && out.contains("needs") && out.contains("PRUNE4J_JAVA_OPTS=-Xmx"), out);
        assertFalse(out.contains("OutOfMemoryError") || out.contains("\tat "), "no stack trace: " + out);
    }
}
