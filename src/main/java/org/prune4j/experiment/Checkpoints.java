package org.prune4j.experiment;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.prune4j.guard.HostMemory;
import org.prune4j.guard.IoErrors;
import org.prune4j.nn.ModelState;
import org.prune4j.sparse.Mask;

/**
 * Model states on disk: values and masks, a CRC-32 at the end so a file cut short or damaged is
 * recognised, and written to a temporary file first and renamed, so a checkpoint is either the
 * old one or the complete new one.
 *
 * <p>Reading checks the checksum over the whole file before it allocates anything, and bounds
 * every count and length it then reads by the bytes left in the file, so a damaged or hostile
 * file fails with a {@link CorruptCheckpointException} and never asks for more memory than its
 * own size.
 */
public final class Checkpoints {
    private static final long MAGIC = 0x50344a434b505431L; // "P4JCKPT1"
    /** Magic, tensor count, mask count and checksum: the smallest possible checkpoint. */
    private static final int MIN_SIZE = 8 + 4 + 4 + 8;

    private Checkpoints() {
    }

    public static void write(Path file, ModelState state) {
        Path tmp = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // a name of its own, so two writers (which the run lock prevents) could never rename each other's file
            tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
            CRC32 crc = new CRC32();
            try (DataOutputStream out = new DataOutputStream(new CheckedOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), crc))) {
                out.writeLong(MAGIC);
                out.writeInt(state.values().size());
                for (Map.Entry<String, float[]> e : state.values().entrySet()) {
                    out.writeUTF(e.getKey());
                    float[] v = e.getValue();
                    out.writeInt(v.length);
                    for (float x : v) {
                        out.writeFloat(x);
                    }
                }
                out.writeInt(state.masks().size());
                for (Map.Entry<String, Mask> e : state.masks().entrySet()) {
                    out.writeUTF(e.getKey());
                    Mask m = e.getValue();
                    out.writeInt(m.rows());
                    out.writeInt(m.cols());
                    boolean[] k = m.toArray();
                    for (int i = 0; i < k.length; i += 8) {
                        int b = 0;
                        for (int j = 0; j < 8 && i + j < k.length; j++) {
                            b |= k[i + j] ? 1 << j : 0;
                        }
                        out.writeByte(b);
                    }
                }
                out.flush();
                long sum = crc.getValue();
                out.writeLong(sum);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw IoErrors.wrap("write checkpoint", file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; its reason is what matters
                }
            }
        }
    }

    public static ModelState read(Path file) {
        String notFile = IoErrors.notRegularFile(file);
        if (notFile != null) {
            throw new CorruptCheckpointException(file, "cannot be read as a checkpoint: it is " + notFile);
        }
        try {
            long size = Files.size(file);
            if (size < MIN_SIZE) {
                throw new CorruptCheckpointException(file, "is truncated (" + size + " bytes; a checkpoint has at least "
                        + MIN_SIZE + ")");
            }
            verifyChecksum(file, size);
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                return parse(file, new Bounded(raw, size - 8));
            }
        } catch (EOFException e) {
            throw new CorruptCheckpointException(file, "is truncated");
        } catch (java.io.UTFDataFormatException e) {
            throw new CorruptCheckpointException(file, "holds a tensor name that is not valid text");
        } catch (IOException e) {
            throw IoErrors.wrap("read checkpoint", file, e);
        }
    }

    /** Pass one: the CRC-32 of everything before the last 8 bytes must equal those 8 bytes. */
    private static void verifyChecksum(Path file, long size) throws IOException {
        CRC32 crc = new CRC32();
        long stored;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long left = size - 8;
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = ch.read(buf);
                if (n < 0) {
                    throw new EOFException();
                }
                buf.flip();
                crc.update(buf);
                left -= n;
            }
            ByteBuffer tail = ByteBuffer.allocate(8);
            while (tail.hasRemaining()) {
                if (ch.read(tail, size - 8 + tail.position()) < 0) {
                    throw new EOFException();
                }
            }
            stored = tail.flip().getLong();
        }
        if (stored != crc.getValue()) {
            throw new CorruptCheckpointException(file, "is damaged: its checksum does not match (the file is truncated"
                    + " or corrupt)");
        }
    }

    /** Pass two: the checksum held, so the content is what was written; still, every size is bounded. */
    private static ModelState parse(Path file, Bounded b) throws IOException {
        DataInputStream in = new DataInputStream(b);
        if (in.readLong() != MAGIC) {
            throw new CorruptCheckpointException(file, "is not a Prune4J checkpoint (wrong magic number)");
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        int n = count(file, in.readInt(), b.left() / 6, "tensors");
        for (int t = 0; t < n; t++) {
            String name = in.readUTF();
            int len = count(file, in.readInt(), b.left() / 4, "values in tensor '" + name + "'");
            HostMemory.require(HostMemory.bytes(len, 4), "tensor '" + name + "' of checkpoint " + file);
            float[] v = new float[len];
            for (int i = 0; i < len; i++) {
                v[i] = in.readFloat();
            }
            if (values.put(name, v) != null) {
                throw new CorruptCheckpointException(file, "holds tensor '" + name + "' twice");
            }
        }
        Map<String, Mask> masks = new LinkedHashMap<>();
        int m = count(file, in.readInt(), b.left() / 10, "masks");
        for (int t = 0; t < m; t++) {
            String name = in.readUTF();
            int rows = in.readInt(), cols = in.readInt();
            long cells = (long) rows * cols;
            if (rows < 0 || cols < 0 || (cells + 7) / 8 > b.left() || cells > Integer.MAX_VALUE - 8) {
                throw new CorruptCheckpointException(file, "declares a " + rows + "x" + cols + " mask '" + name
                        + "' that its remaining " + b.left() + " bytes cannot hold");
            }
            HostMemory.require(cells, "mask '" + name + "' of checkpoint " + file);
            boolean[] k = new boolean[(int) cells];
            for (int i = 0; i < k.length; i += 8) {
                int bits = in.readUnsignedByte();
                for (int j = 0; j < 8 && i + j < k.length; j++) {
                    k[i + j] = (bits >> j & 1) != 0;
                }
                if (k.length - i < 8 && bits >> (k.length - i) != 0) {
                    // the writer leaves these bits clear; set ones mean the file was not written by it
                    throw new CorruptCheckpointException(file, "has bits set past the " + k.length + " entries of mask '"
                            + name + "'");
                }
            }
            if (masks.put(name, Mask.of(rows, cols, k)) != null) {
                throw new CorruptCheckpointException(file, "holds mask '" + name + "' twice");
            }
        }
        if (b.left() != 0) {
            throw new CorruptCheckpointException(file, "has " + b.left() + " unexpected bytes before its checksum");
        }
        return new ModelState(values, masks);
    }

    private static int count(Path file, int declared, long bound, String what) {
        if (declared < 0 || declared > bound) {
            throw new CorruptCheckpointException(file, "declares " + declared + " " + what + ", more than its remaining "
                    + "bytes can hold");
        }
        return declared;
    }

    /** A stream that ends after {@code limit} bytes and says how many are left. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        long left() {
            return left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int r = in.read(buf, off, (int) Math.min(len, left));
            if (r > 0) {
                left -= r;
            }
            return r;
        }
    }
}
