package org.prune4j.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor stored row-major in one array. The array is exposed on purpose
 * ({@link #data()}): kernels work on it directly, the way EJML exposes its matrices. The shape
 * is fixed at construction; the values are mutable.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    private Tensor(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = checkShape(shape);
        long size = sizeOf(s);
        if (data.length != size) {
            throw new IllegalArgumentException("data has " + data.length + " values but shape "
                    + Arrays.toString(s) + " needs " + size);
        }
        return new Tensor(s, data);
    }

    public static Tensor zeros(int... shape) {
        int[] s = checkShape(shape);
        return new Tensor(s, new float[Math.toIntExact(sizeOf(s))]);
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
        return data.length;
    }

    public float[] data() {
        return data;
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
        return data[row * shape[1] + col];
    }

    public void set(int row, int col, float value) {
        requireMatrix();
        data[row * shape[1] + col] = value;
    }

    public boolean isMatrix() {
        return shape.length == 2;
    }

    private void requireMatrix() {
        if (shape.length != 2) {
            throw new IllegalStateException("expected a matrix (rank 2), got shape " + Arrays.toString(shape));
        }
    }

    public Tensor copy() {
        return new Tensor(shape.clone(), data.clone());
    }

    /** Same values, new shape with the same number of elements; shares the data. */
    public Tensor reshape(int... newShape) {
        return wrap(data, newShape);
    }

    /** A new matrix that is this matrix transposed. */
    public Tensor transpose() {
        int r = rows(), c = cols();
        Tensor t = zeros(c, r);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t.data[j * r + i] = data[i * c + j];
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
        Arrays.fill(data, value);
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
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "Tensor[" + shapeString() + "]";
    }
}
