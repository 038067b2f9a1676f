package org.prune4j.experiment;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint whose length fields are wrong but whose checksum was made to match (a hostile
 * file, or a bug in a writer) fails on the first impossible length, without allocating it
 * (issue 13, item 8).
 */
class HostileCheckpointTest {
    @TempDir
    Path dir;

    /** {@code body} with its CRC-32 appended, as the writer does. */
    static byte[] withChecksum(byte[] body) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.write(body);
        out.writeLong(crc.getValue());
        return b.toByteArray();
    }

    private String refused(byte[] body) throws IOException {
        Path f = dir.resolve("x.ckpt");
        Files.write(f, withChecksum(body));
        return assertThrows(CorruptCheckpointException.class, () -> Checkpoints.read(f)).getMessage();
    }

    @Test
    void lengthsBeyondTheFileAreRefusedBeforeAllocation() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeLong(0x50344a434b505431L);
        out.writeInt(1);
        out.writeUTF("fc1.weight");
        out.writeInt(Integer.MAX_VALUE); // 8 GiB of floats in a file of 40 bytes
        String m = refused(b.toByteArray());
        assertTrue(m.contains("declares 2147483647 values in tensor 'fc1.weight'"), m);

        b.reset();
        out.writeLong(0x50344a434b505431L);
        out.writeInt(0);
        out.writeInt(1);
        out.writeUTF("mask");
        out.writeInt(100_000);
        out.writeInt(100_000);
        assertTrue(refused(b.toByteArray()).contains("100000x100000 mask 'mask' that its remaining"));

        b.reset();
        out.writeLong(0x50344a434b505431L);
        out.writeInt(-5);
        out.writeInt(0);
        assertTrue(refused(b.toByteArray()).contains("declares -5 tensors"));
        assertTrue(refused(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0}).contains("not a Prune4J"));
    }

    @Test
    void aFolderInPlaceOfACheckpointIsNamed() throws IOException {
        Path d = Files.createDirectory(dir.resolve("main.ckpt"));
        assertTrue(assertThrows(CorruptCheckpointException.class, () -> Checkpoints.read(d)).getMessage()
                .contains("it is a folder, not a file"));
    }
}
