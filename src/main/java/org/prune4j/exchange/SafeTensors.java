package org.prune4j.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, {@code __metadata__} (string to string),
 * then the tensors' bytes back to back. Reading bounds every length by the file's size before
 * allocating, so a damaged header is an error, not an out-of-memory.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers above this are not model files (the format's own readers stop at 100 MB). */
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    public static void write(Path file, ArrayFile contents) {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        contents.metadata().forEach(meta::put);
        long offset = 0;
        for (NamedArray a : contents.arrays()) {
            ObjectNode t = header.putObject(a.name());
            t.put("dtype", a.dtype().safetensors);
            var shape = t.putArray("shape");
            for (int d : a.shape()) {
                shape.add(d);
            }
            var range = t.putArray("data_offsets");
            range.add(offset);
            offset += a.bytes().length;
            range.add(offset);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot encode the header: " + e.getMessage(), e);
        }
        // the format asks for the data to start 8-byte aligned: pad the header with spaces
        int pad = (8 - json.length % 8) % 8;
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length + pad);
            out.write(len.array());
            out.write(json);
            out.write(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
            for (NamedArray a : contents.arrays()) {
                out.write(a.bytes());
            }
        });
    }

    public static ArrayFile read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new ModelFileException(file, "only " + size + " bytes: too short for a safetensors file");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long headerLength = len.getLong(0);
            if (headerLength <= 0 || headerLength > Math.min(MAX_HEADER, size - 8)) {
                throw new ModelFileException(file, "header length " + headerLength + " does not fit a file of "
                        + size + " bytes: truncated or not a safetensors file");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
            readFully(ch, hb, 8, file);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ModelFileException(file, "the header is not valid JSON: " + e.getMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new ModelFileException(file, "the header is not a JSON object");
            }
            long dataStart = 8 + headerLength, dataSize = size - dataStart;
            Map<String, String> meta = new LinkedHashMap<>();
            List<NamedArray> arrays = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                arrays.add(array(file, ch, e.getKey(), e.getValue(), dataStart, dataSize));
            }
            return new ArrayFile(arrays, meta);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelFileException(file, "no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ModelFileException(file, "permission denied", e);
        } catch (IOException e) {
            throw new ModelFileException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static NamedArray array(Path file, FileChannel ch, String name, JsonNode t, long dataStart, long dataSize)
            throws IOException {
        NamedArray.DType dtype = null;
        for (NamedArray.DType d : NamedArray.DType.values()) {
            if (d.safetensors.equals(t.path("dtype").asText())) {
                dtype = d;
            }
        }
        if (dtype == null) {
            throw new ModelFileException(file, name + ": dtype '" + t.path("dtype").asText() + "' is not one Prune4J"
                    + " writes (F32, I32, U8)");
        }
        JsonNode shapeNode = t.path("shape"), range = t.path("data_offsets");
        if (!shapeNode.isArray() || !range.isArray() || range.size() != 2) {
            throw new ModelFileException(file, name + ": the header entry lacks a shape or data_offsets");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = shapeNode.get(i).asLong(-1);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new ModelFileException(file, name + ": dimension " + shapeNode.get(i) + " is out of range");
            }
            shape[i] = (int) d;
        }
        long begin = range.get(0).asLong(-1), end = range.get(1).asLong(-1);
        long want = NamedArray.fileBytes(file, name, shape, dtype);
        if (begin < 0 || end < begin || end > dataSize || end - begin != want) {
            throw new ModelFileException(file, name + ": bytes " + begin + ".." + end + " do not hold a "
                    + java.util.Arrays.toString(shape) + " " + dtype + " inside the file's " + dataSize
                    + " data bytes: truncated or damaged");
        }
        ByteBuffer b = ByteBuffer.allocate((int) want);
        readFully(ch, b, dataStart + begin, file);
        return new NamedArray(name, dtype, shape, b.array());
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at, Path file) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, at + b.position());
            if (n < 0) {
                throw new ModelFileException(file, "ends early at byte " + (at + b.position()));
            }
        }
    }

    /** Writes a file through a temporary sibling and a rename, so a reader never sees half of it. */
    interface Body {
        void write(OutputStream out) throws IOException;
    }
}
