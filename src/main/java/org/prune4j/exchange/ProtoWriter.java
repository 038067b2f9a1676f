package org.prune4j.exchange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffer wire format, as much of it as an ONNX file needs: varint and 32-bit
 * fields, and length-delimited strings, bytes and nested messages. Fields are written in the
 * order given; readers accept any order.
 */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    ProtoWriter int64(int field, long v) {
        tag(field, 0);
        varint(v);
        return this;
    }

    ProtoWriter float32(int field, float v) {
        tag(field, 5);
        int bits = Float.floatToIntBits(v);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i) & 0xFF);
        }
        return this;
    }

    ProtoWriter bytes(int field, byte[] b) {
        tag(field, 2);
        varint(b.length);
        out.writeBytes(b);
        return this;
    }

    ProtoWriter string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter message(int field, ProtoWriter m) {
        return bytes(field, m.toBytes());
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
