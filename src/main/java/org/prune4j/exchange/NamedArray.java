package org.prune4j.exchange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One array of a model file: a name, an element type, a shape and its little-endian bytes.
 * Immutable; the factories copy.
 */
public record NamedArray(String name, DType dtype, int[] shape, byte[] bytes) {

    /** The element types model files use, with their safetensors and NumPy names. */
    public enum DType {
        F32("F32", "<f4", 4), I32("I32", "<i4", 4), U8("U8", "|u1", 1);

        final String safetensors;
        final String numpy;
        final int size;

        DType(String safetensors, String numpy, int size) {
            this.safetensors = safetensors;
            this.numpy = numpy;
            this.size = size;
        }
    }

    public NamedArray {
        Objects.requireNonNull(name);
        shape = shape.clone();
        long n = count(shape);
        if (n * dtype.size != bytes.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + n * dtype.size + " bytes, got " + bytes.length);
        }
    }

    static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^63 elements");
            }
        }
        return n;
    }

    /**
     * The bytes a file's array of this shape and type holds, or a {@link ModelFileException} naming the
     * array when the shape is not one an array can have: readers take shapes from untrusted headers.
     */
    static long fileBytes(Path file, String name, int[] shape, DType dtype) {
        try {
            long n = count(shape);
            if (n > Long.MAX_VALUE / dtype.size) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype
                        + " has more than 2^63 bytes");
            }
            return n * dtype.size;
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, name + ": " + e.getMessage() + "; the header is damaged");
        }
    }

    public long elements() {
        return count(shape);
    }

    public static NamedArray of(String name, float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NamedArray(name, DType.F32, shape, b.array());
    }

    public static NamedArray of(String name, int[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return new NamedArray(name, DType.I32, shape, b.array());
    }

    public static NamedArray of(String name, byte[] values, int... shape) {
        return new NamedArray(name, DType.U8, shape, values.clone());
    }

    public float[] floats() {
        require(DType.F32);
        float[] f = new float[(int) elements()];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    public int[] ints() {
        require(DType.I32);
        int[] v = new int[(int) elements()];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
        return v;
    }

    public byte[] u8() {
        require(DType.U8);
        return bytes.clone();
    }

    private void require(DType t) {
        if (dtype != t) {
            throw new IllegalArgumentException(name + " holds " + dtype + ", not " + t);
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }
}
