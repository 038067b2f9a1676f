package org.prune4j.nn;

import java.util.Objects;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Tensor;

/**
 * A named tensor of a model with its gradient and, for prunable weights, a mask. The mask is
 * the single source of truth for which weights exist: {@link #setMask} zeroes the pruned
 * values, and {@link #applyMask} is how optimisers keep gradients and their own state zero
 * there, so masked weights stay exactly zero through training.
 */
public final class Parameter {

    /** What the tensor is; only {@link #WEIGHT}s are prunable, {@link #BUFFER}s are not trained. */
    public enum Kind { WEIGHT, BIAS, NORM_SCALE, NORM_SHIFT, BUFFER }

    private final String name;
    private final Kind kind;
    private final Tensor value;
    private final Tensor grad;
    private final int fanIn;
    private final int fanOut;
    private Mask mask;
    private float[] keep;
    private int maskVersion;
    private boolean frozen;

    /**
     * @param fanIn  inputs feeding each output (for a conv: in-channels x kernel area); used by
     *               initialisers and by ERK allocation
     * @param fanOut outputs fed by each input (for a conv: out-channels x kernel area)
     */
    public Parameter(String name, Kind kind, Tensor value, int fanIn, int fanOut) {
        this.name = Objects.requireNonNull(name);
        this.kind = Objects.requireNonNull(kind);
        this.value = Objects.requireNonNull(value);
        this.grad = kind == Kind.BUFFER ? null : Tensor.zeros(value.shape());
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        if (kind == Kind.WEIGHT && !value.isMatrix()) {
            throw new IllegalArgumentException(name + ": weights are stored as matrices (outputs x inputs), got "
                    + value.shapeString());
        }
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public Tensor value() {
        return value;
    }

    /** The gradient; null for buffers. */
    public Tensor grad() {
        return grad;
    }

    public int fanIn() {
        return fanIn;
    }

    public int fanOut() {
        return fanOut;
    }

    public boolean prunable() {
        return kind == Kind.WEIGHT;
    }

    /** Whether an optimiser updates this tensor (false for buffers and frozen parameters). */
    public boolean trainable() {
        return kind != Kind.BUFFER && !frozen;
    }

    /** Freezes or unfreezes the tensor: BatchNorm-only training and edge-popup freeze weights. */
    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    public int size() {
        return value.size();
    }

    /** The current mask, or null when every weight is kept. */
    public Mask mask() {
        return mask;
    }

    /** Counts the weights the mask keeps (all of them when there is no mask). */
    public int alive() {
        return mask == null ? value.size() : mask.keptCount();
    }

    public double density() {
        return value.size() == 0 ? 1.0 : alive() / (double) value.size();
    }

    /** Bumped on every mask change, so cached sparse structures know to rebuild. */
    public int maskVersion() {
        return maskVersion;
    }

    /** Sets the mask (null removes it) and zeroes the pruned weights and their gradient. */
    public void setMask(Mask newMask) {
        if (newMask != null) {
            if (!prunable()) {
                throw new IllegalArgumentException(name + " is a " + kind + "; only weights can be masked");
            }
            if (newMask.rows() != value.rows() || newMask.cols() != value.cols()) {
                throw new IllegalArgumentException("mask " + newMask.rows() + "x" + newMask.cols() + " does not fit "
                        + name + " " + value.shapeString());
            }
        }
        mask = newMask;
        keep = newMask == null ? null : multipliers(newMask);
        maskVersion++;
        applyMask(value.data());
        if (grad != null) {
            applyMask(grad.data());
        }
    }

    /**
     * Zeroes the entries of {@code values} (same layout as the weight) that the mask prunes.
     * A multiply by 0/1 rather than a branch: random masks made the branch mispredict often
     * enough to halve training speed, and the multiply vectorises. A finite value becomes an exact
     * (possibly negative) zero; a NaN stays NaN, and the trainer stops on non-finite weights.
     */
    public void applyMask(float[] values) {
        float[] k = keep;
        if (k == null) {
            return;
        }
        for (int i = 0; i < k.length; i++) {
            values[i] *= k[i];
        }
    }

    private static float[] multipliers(Mask m) {
        boolean[] b = m.toArray();
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] ? 1f : 0f;
        }
        return f;
    }

    @Override
    public String toString() {
        return name + " " + value.shapeString() + (mask == null ? "" : String.format(" density %.4f", density()));
    }
}
