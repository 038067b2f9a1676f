package org.prune4j.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor stored row-major in one {@link Storage}. Where the values live is a
 * property of the tensor ({@link #device()}): host tensors expose their array on purpose
 * ({@link #data()}) so that CPU kernels work on it directly, the way EJML exposes its
 * matrices; a device tensor's values are reached only through its backend's kernels or an
 * explicit, counted copy ({@link #toHost()}, {@link #copyFromHost}). The shape is fixed at
 * construction; the values are mutable.
 */
public final class Tensor {
    private final int[] shape;
    private final Storage storage;
    private final float[] data;

    /** Host tensors above this many values (64 MiB) are checked against the heap before they are allocated. */
    private static final long LARGE = 16L << 20;

    private Tensor(int[] shape, Storage storage) {
        this.shape = shape;
        this.storage = storage;
        this.data = storage instanceof HostStorage h ? h.array() : null;
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor wrap(float[] data, int... shape) {
        return on(new HostStorage(data), shape);
    }

    /**
     * A tensor over {@code storage}, which must hold exactly as many values as the shape; how
     * backends hand out tensors in their own memory.
     */
    public static Tensor on(Storage storage, int... shape) {
        int[] s = checkShape(shape);
        long size = sizeOf(s);
        if (storage.length() != size) {
            throw new IllegalArgumentException("storage holds " + storage.length() + " values but shape "
                    + Arrays.toString(s) + " needs " + size);
        }
        return new Tensor(s, storage);
    }

    public static Tensor zeros(int... shape) {
        int[] s = checkShape(shape);
        long size = sizeOf(s);
        if (size > LARGE) {
            org.prune4j.guard.HostMemory.require(4 * size, "a tensor of shape " + Arrays.toString(s));
        }
        return new Tensor(s, new HostStorage(new float[Math.toIntExact(size)]));
    }

    /** Values uniform in [lo, hi). */
    public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = rng.uniform(lo, hi);
        }
        return t;
    }

    /** Values from a normal distribution with the given standard deviation. */
    public static Tensor gaussian(Rng rng, double std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (rng.nextGaussian() * std);
        }
        return t;
    }

    public static Tensor filled(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    private static int[] checkShape(int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("a tensor needs at least one dimension");
        }
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        if (sizeOf(shape) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                    + " has more than 2^31 elements; split the tensor");
        }
        return shape.clone();
    }

    private static long sizeOf(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public int rank() {
        return shape.length;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return storage.length();
    }

    public Storage storage() {
        return storage;
    }

    public Device device() {
        return storage.device();
    }

    public boolean isHost() {
        return data != null;
    }

    /**
     * The host array behind this tensor, shared, not copied. A device tensor has none: its
     * values stay where its backend computes, and this says how to get a host copy instead.
     */
    public float[] data() {
        if (data == null) {
            throw new IllegalStateException("this " + shapeString() + " tensor lives on " + device()
                    + ", not in host memory; read it with toHost() at a boundary (checkpoint, report), "
                    + "or compute on it with its backend");
        }
        return data;
    }

    /** A host copy of the values: the array itself copied for host tensors, a counted transfer for device ones. */
    public Tensor toHost() {
        float[] out = new float[size()];
        storage.read(0, out, 0, out.length);
        return new Tensor(shape.clone(), new HostStorage(out));
    }

    /** Overwrites every value from a host array of the same size (a counted transfer for device tensors). */
    public void copyFromHost(float[] src) {
        if (src.length != size()) {
            throw new IllegalArgumentException("copyFromHost: " + src.length + " values for a " + shapeString()
                    + " tensor of " + size());
        }
        storage.write(src, 0, 0, src.length);
    }

    /** Rows of a matrix (rank 2). */
    public int rows() {
        requireMatrix();
        return shape[0];
    }

    /** Columns of a matrix (rank 2). */
    public int cols() {
        requireMatrix();
        return shape[1];
    }

    public float get(int row, int col) {
        requireMatrix();
        return data()[row * shape[1] + col];
    }

    public void set(int row, int col, float value) {
        requireMatrix();
        data()[row * shape[1] + col] = value;
    }

    public boolean isMatrix() {
        return shape.length == 2;
    }

    private void requireMatrix() {
        if (shape.length != 2) {
            throw new IllegalStateException("expected a matrix (rank 2), got shape " + Arrays.toString(shape));
        }
    }

    /** A host copy (see {@link #toHost()}). */
    public Tensor copy() {
        return toHost();
    }

    /** Same values, new shape with the same number of elements; shares the storage. */
    public Tensor reshape(int... newShape) {
        return on(storage, newShape);
    }

    /** A new matrix that is this matrix transposed. */
    public Tensor transpose() {
        int r = rows(), c = cols();
        float[] d = data();
        Tensor t = zeros(c, r);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t.data[j * r + i] = d[i * c + j];
            }
        }
        return t;
    }

    /** A new tensor of the absolute values: the magnitude score of magnitude pruning. */
    public Tensor abs() {
        Tensor t = copy();
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = Math.abs(t.data[i]);
        }
        return t;
    }

    public void fill(float value) {
        Arrays.fill(data(), value);
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    public String shapeString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : "x").append(shape[i]);
        }
        return sb.toString();
    }

    /** Index of the first NaN or infinite value, or -1. */
    public int firstNonFinite() {
        float[] d = data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "Tensor[" + shapeString() + (isHost() ? "" : " on " + device()) + "]";
    }
}
