package org.prune4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One IDX file of unsigned bytes (the MNIST format): a magic number {@code 0x0000 08 rank},
 * rank big-endian dimensions, then the values. Gzipped files are recognised by their first two
 * bytes, whatever their name.
 */
public record IdxFile(int[] dims, byte[] values) {

    public IdxFile {
        dims = dims.clone();
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n != values.length) {
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
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            boolean gz = b0 == 0x1f && b1 == 0x8b;
            try (DataInputStream in = new DataInputStream(gz ? new GZIPInputStream(raw, 1 << 16) : raw)) {
                return parse(file, in);
            }
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file, "file not found; pass --data DIR pointing at an MNIST-format folder");
        } catch (ZipException e) {
            throw new MalformedDataException(file, "corrupt gzip data (" + e.getMessage() + "); download the file again");
        } catch (EOFException e) {
            throw new MalformedDataException(file, "file ends early (truncated gzip stream); download the file again");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static IdxFile parse(Path file, DataInputStream in) throws IOException {
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
