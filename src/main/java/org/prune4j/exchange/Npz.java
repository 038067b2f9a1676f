package org.prune4j.exchange;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz}: a zip of {@code .npy} arrays (format 1.0: magic, a Python-literal
 * header with dtype, order and shape, padded to 64 bytes, then the data), which
 * {@code numpy.load} reads. The metadata travels as one more array, {@code __metadata__}, the
 * UTF-8 bytes of a JSON object.
 */
public final class Npz {
    public static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    public static void write(Path file, ArrayFile contents) {
        AtomicFiles.write(file, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw);
            for (NamedArray a : contents.arrays()) {
                entry(zip, a);
            }
            entry(zip, NamedArray.of(METADATA, JSON.writeValueAsBytes(contents.metadata()),
                    JSON.writeValueAsBytes(contents.metadata()).length));
            zip.finish();
        });
    }

    private static void entry(ZipOutputStream zip, NamedArray a) throws IOException {
        zip.putNextEntry(new ZipEntry(a.name() + ".npy"));
        zip.write(header(a));
        zip.write(a.bytes());
        zip.closeEntry();
    }

    static byte[] header(NamedArray a) {
        int[] s = a.shape();
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            shape.append(s[i]).append(s.length == 1 ? "," : i + 1 < s.length ? ", " : "");
        }
        shape.append(')');
        String dict = "{'descr': '" + a.dtype().numpy + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        String text = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    public static ArrayFile read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<NamedArray> arrays = new ArrayList<>();
            Map<String, String> meta = new LinkedHashMap<>();
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                ZipEntry e = en.nextElement();
                if (!e.getName().endsWith(".npy")) {
                    throw new ModelFileException(file, "entry '" + e.getName() + "' is not a .npy array");
                }
                String name = e.getName().substring(0, e.getName().length() - 4);
                NamedArray a;
                try (InputStream in = zip.getInputStream(e)) {
                    a = npy(file, name, in, e.getSize());
                }
                if (name.equals(METADATA)) {
                    try {
                        meta.putAll(JSON.readValue(a.u8(), new TypeReference<Map<String, String>>() { }));
                    } catch (IOException | IllegalArgumentException ex) {
                        throw new ModelFileException(file, "the metadata array is not a JSON object of strings", ex);
                    }
                } else {
                    arrays.add(a);
                }
            }
            return new ArrayFile(arrays, meta);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelFileException(file, "no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ModelFileException(file, "permission denied", e);
        } catch (java.util.zip.ZipException e) {
            throw new ModelFileException(file, "not a readable .npz (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot read: " + e, e);
        }
    }

    private static NamedArray npy(Path file, String name, InputStream in, long entrySize) throws IOException {
        byte[] pre = in.readNBytes(MAGIC.length + 2);
        if (pre.length < 8 || !java.util.Arrays.equals(java.util.Arrays.copyOf(pre, 6), MAGIC)) {
            throw new ModelFileException(file, name + ": not a .npy array (bad magic)");
        }
        int major = pre[6];
        int lenBytes = major == 1 ? 2 : major == 2 || major == 3 ? 4 : -1;
        if (lenBytes < 0) {
            throw new ModelFileException(file, name + ": .npy format version " + major + " is not supported");
        }
        ByteBuffer lb = ByteBuffer.wrap(in.readNBytes(lenBytes)).order(ByteOrder.LITTLE_ENDIAN);
        if (lb.remaining() < lenBytes) {
            throw new ModelFileException(file, name + ": the .npy array ends inside its header length");
        }
        long headerLength = lenBytes == 2 ? lb.getShort() & 0xFFFF : lb.getInt() & 0xFFFFFFFFL;
        if (entrySize >= 0 && headerLength > entrySize) {
            throw new ModelFileException(file, name + ": header length " + headerLength + " exceeds the entry");
        }
        String header = new String(in.readNBytes((int) Math.min(headerLength, 1 << 20)), StandardCharsets.US_ASCII);
        Matcher d = DESCR.matcher(header), o = ORDER.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new ModelFileException(file, name + ": .npy header lacks descr, fortran_order or shape: " + header);
        }
        NamedArray.DType dtype = null;
        for (NamedArray.DType t : NamedArray.DType.values()) {
            if (t.numpy.equals(d.group(1)) || (t == NamedArray.DType.U8 && d.group(1).equals("<u1"))) {
                dtype = t;
            }
        }
        if (dtype == null) {
            throw new ModelFileException(file, name + ": dtype " + d.group(1) + " is not one Prune4J reads (<f4, <i4, "
                    + "|u1)");
        }
        if (o.group(1).equals("True")) {
            throw new ModelFileException(file, name + ": Fortran-ordered arrays are not supported; save it C-ordered");
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    dims.add(Integer.parseInt(part.trim().replace("L", "")));
                } catch (NumberFormatException e) {
                    throw new ModelFileException(file, name + ": shape (" + s.group(1) + ") is not a tuple of sizes");
                }
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        long want = NamedArray.fileBytes(file, name, shape, dtype);
        if (entrySize >= 0 && want > entrySize) {
            throw new ModelFileException(file, name + ": shape " + dims + " needs " + want + " bytes but the entry holds "
                    + entrySize + ": truncated or damaged");
        }
        if (want > Integer.MAX_VALUE - 8) {
            throw new ModelFileException(file, name + ": " + want + " bytes is larger than one Java array");
        }
        byte[] data = in.readNBytes((int) want);
        if (data.length != want) {
            throw new ModelFileException(file, name + ": ends after " + data.length + " of " + want + " data bytes");
        }
        return new NamedArray(name, dtype, shape, data);
    }
}
