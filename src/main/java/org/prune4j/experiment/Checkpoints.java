package org.prune4j.experiment;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.prune4j.nn.ModelState;
import org.prune4j.sparse.Mask;

/**
 * Model states on disk: values and masks, a CRC-32 at the end so a file cut short by a crash is
 * recognised, and written to a temporary file first and renamed, so a checkpoint is either the
 * old one or the complete new one.
 */
public final class Checkpoints {
    private static final long MAGIC = 0x50344a434b505431L; // "P4JCKPT1"

    private Checkpoints() {
    }

    public static void write(Path file, ModelState state) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    public static ModelState read(Path file) {
        CRC32 crc = new CRC32();
        try (DataInputStream in = new DataInputStream(new CheckedInputStream(
                new BufferedInputStream(Files.newInputStream(file), 1 << 16), crc))) {
            if (in.readLong() != MAGIC) {
                throw new IllegalStateException(file + " is not a Prune4J checkpoint");
            }
            Map<String, float[]> values = new LinkedHashMap<>();
            int n = in.readInt();
            for (int t = 0; t < n; t++) {
                String name = in.readUTF();
                float[] v = new float[in.readInt()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readFloat();
                }
                values.put(name, v);
            }
            Map<String, Mask> masks = new LinkedHashMap<>();
            int m = in.readInt();
            for (int t = 0; t < m; t++) {
                String name = in.readUTF();
                int rows = in.readInt(), cols = in.readInt();
                boolean[] k = new boolean[Math.multiplyExact(rows, cols)];
                for (int i = 0; i < k.length; i += 8) {
                    int b = in.readUnsignedByte();
                    for (int j = 0; j < 8 && i + j < k.length; j++) {
                        k[i + j] = (b >> j & 1) != 0;
                    }
                }
                masks.put(name, Mask.of(rows, cols, k));
            }
            long expected = crc.getValue();
            long stored = in.readLong();
            if (stored != expected) {
                throw new IllegalStateException(file + " is corrupt (checksum mismatch); delete it and resume to redo "
                        + "that round");
            }
            return new ModelState(values, masks);
        } catch (EOFException e) {
            throw new IllegalStateException(file + " is truncated; delete it and resume to redo that round", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
