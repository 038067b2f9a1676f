package org.prune4j.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.experiment.RunLock;

/** I/O errors keep their reason: the operation, the file and the operating system's words (issue 13, item 9). */
class IoErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aRunFolderUnderAFileSaysWhatIsInTheWay() throws IOException {
        Path file = Files.writeString(dir.resolve("runs"), "not a folder");
        String m = assertThrows(UncheckedIOException.class, () -> RunLock.acquire(file.resolve("lottery-x")))
                .getMessage();
        assertTrue(m.startsWith("cannot lock run folder " + file.resolve("lottery-x") + ": "), m);
        // the operating system's reason, not the path a second time ("cannot use X: X")
        assertTrue(m.contains("Not a directory") || m.contains("a file is in the way"), m);
    }

    @Test
    void theOperatingSystemsReasonIsKept() {
        Path f = dir.resolve("out.csv");
        String m = IoErrors.message("write", f, new FileSystemException(f.toString(), null, "No space left on device"));
        assertEquals("cannot write " + f + ": No space left on device", m);
        assertEquals("no such file or folder", IoErrors.reason(new java.nio.file.NoSuchFileException(f.toString())));
        assertEquals("IOException", IoErrors.reason(new IOException()));
    }

    @Test
    void sizesAreCheckedAgainstTheHeapWithTheFix() {
        String m = assertThrows(HostMemory.TooLarge.class, () -> HostMemory.require(Long.MAX_VALUE / 4, "a test"))
                .getMessage();
        assertTrue(m.startsWith("a test needs") && m.contains("PRUNE4J_JAVA_OPTS=-Xmx"), m);
        HostMemory.require(1 << 20, "a megabyte");
        assertEquals("1.5 GiB", HostMemory.size(3L << 29));
        assertEquals(Long.MAX_VALUE, HostMemory.bytes(Long.MAX_VALUE / 2, 4));
        assertTrue(HostMemory.outOfMemory(new OutOfMemoryError("Java heap space"), "loading").contains(
                "out of memory (Java heap space) while loading: this JVM can hold"));
    }
}
