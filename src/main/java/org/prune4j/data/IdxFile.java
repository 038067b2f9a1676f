package org.prune4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.prune4j.guard.HostMemory;
import org.prune4j.guard.IoErrors;

/**
 * One IDX file of unsigned bytes (the MNIST format): a magic number {@code 0x0000 08 rank},
 * rank big-endian dimensions, then the values. Gzipped files are recognised by their first two
 * bytes, whatever their name.
 */
public record IdxFile(int[] dims, byte[] values) {

    /** {@code values} is null only for a header read by {@link #dimensions(Path)}. */
    public IdxFile {
        dims = dims.clone();
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (values != null && n != values.length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " need " + n + " values, got "
                    + values.length);
        }
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Value {@code i} as an unsigned byte. */
    public int unsigned(int i) {
        return values[i] & 0xff;
    }

    public static IdxFile read(Path file) {
        return open(file, true);
    }

    /** The dimensions in the header of {@code file}, without reading its values. */
    public static int[] dimensions(Path file) {
        return open(file, false).dims();
    }

    private static IdxFile open(Path file, boolean values) {
        String notFile = IoErrors.notRegularFile(file);
        if (notFile != null) {
            throw new MalformedDataException(file, "cannot read it as an IDX file: it is " + notFile
                    + (Files.exists(file) ? "" : "; pass --data DIR pointing at an MNIST-format folder"));
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            boolean gz = b0 == 0x1f && b1 == 0x8b;
            // an uncompressed file's size bounds what its header may promise; a gzipped one's cannot
            long bound = gz ? Long.MAX_VALUE : Files.size(file);
            try (DataInputStream in = new DataInputStream(gz ? new GZIPInputStream(raw, 1 << 16) : raw)) {
                return parse(file, in, bound, values);
            }
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file, "file not found; pass --data DIR pointing at an MNIST-format folder");
        } catch (ZipException e) {
            throw new MalformedDataException(file, "corrupt gzip data (" + e.getMessage() + "); download the file again");
        } catch (EOFException e) {
            throw new MalformedDataException(file, "file ends early (truncated gzip stream); download the file again");
        } catch (IOException e) {
            throw IoErrors.wrap("read IDX file", file, e);
        }
    }

    private static IdxFile parse(Path file, DataInputStream in, long fileSize, boolean readValues) throws IOException {
        byte[] head = new byte[4];
        if (in.readNBytes(head, 0, 4) < 4) {
            throw new MalformedDataException(file, "shorter than the 4-byte IDX header; is it an IDX file?");
        }
        if (head[0] != 0 || head[1] != 0) {
            throw new MalformedDataException(file, String.format(
                    "bad IDX magic %02x%02x%02x%02x (expected 0000 08 rank); is it an IDX file?",
                    head[0], head[1], head[2], head[3]));
        }
        if (head[2] != 0x08) {
            throw new MalformedDataException(file, String.format(
                    "IDX element type 0x%02x is not supported; only unsigned bytes (0x08) are", head[2]));
        }
        int rank = head[3];
        if (rank < 1 || rank > 4) {
            throw new MalformedDataException(file, "IDX rank " + rank + " is out of range 1..4");
        }
        int[] dims = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new MalformedDataException(file, "header ends after " + i + " of " + rank + " dimensions");
            }
            if (dims[i] <= 0) {
                throw new MalformedDataException(file, "dimension " + i + " is " + dims[i] + "; must be positive");
            }
            n *= dims[i];
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new MalformedDataException(file, "dims " + Arrays.toString(dims) + " hold more than 2^31 values");
        }
        long header = 4 + 4L * rank;
        if (n > fileSize - header) {
            throw new MalformedDataException(file, "truncated: header " + Arrays.toString(dims) + " promises " + n
                    + " values but the file holds " + Math.max(0, fileSize - header) + "; download the file again");
        }
        if (!readValues) {
            return new IdxFile(dims, null);
        }
        HostMemory.require(n, "the " + n + " values of " + file);
        byte[] values = in.readNBytes((int) n);
        if (values.length < n) {
            throw new MalformedDataException(file, "truncated: header " + Arrays.toString(dims) + " promises " + n
                    + " values but the file holds " + values.length + "; download the file again");
        }
        if (in.read() != -1) {
            throw new MalformedDataException(file, "has bytes after the " + n + " values its header "
                    + Arrays.toString(dims) + " promises");
        }
        return new IdxFile(dims, values);
    }
}
