package org.prune4j.nn;

import java.util.Objects;
import org.prune4j.backend.Backend;
import org.prune4j.backend.MaskHandle;
import org.prune4j.sparse.BlockShape;
import org.prune4j.sparse.MaskStructure;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Tensor;

/**
 * A named tensor of a model with its gradient, optimiser state and, for prunable weights, a
 * mask. The mask is the single source of truth for which weights exist: {@link #setMask}
 * zeroes the pruned values, gradient entries and optimiser state, and the optimisers leave
 * pruned entries untouched, so masked weights stay exactly zero through training.
 *
 * <p>During training the tensors live where the backend computes ({@link #resident}), or, on
 * the sparse path, as the stored entries of a CSR weight ({@link #sparse}); {@link #value()}
 * and {@link #grad()} bring them back to host memory, dense, for host code (scores, resets,
 * checkpoints). Such a move is a counted transfer on a device backend and never happens inside
 * a training step. Not thread-safe: one model, one training loop.
 */
public final class Parameter {

    /**
     * What the tensor is; only {@link #WEIGHT}s are prunable, {@link #BUFFER}s are not trained.
     * A {@link #SCORE} holds one learned number per entry of a weight (edge-popup, learned
     * supermasks): it lives outside the model, trains like a weight, decay included, and is
     * never masked. An {@link #AUXILIARY} tensor is one a sparsity regulariser trains beside a
     * weight during training only (variational dropout's log sigma^2, hard-concrete gates' log
     * alpha): outside the model, never decayed, never masked.
     */
    public enum Kind { WEIGHT, BIAS, NORM_SCALE, NORM_SHIFT, BUFFER, SCORE, AUXILIARY }

    private final String name;
    private final Kind kind;
    private final int[] shape;
    private final int size;
    private final int fanIn;
    private final int fanOut;
    private final Placement placement;
    private Mask mask;
    private int maskVersion;
    private MaskStructure structure;
    private boolean frozen;

    /**
     * @param fanIn  inputs feeding each output (for a conv: in-channels x kernel area); used by
     *               initialisers and by ERK allocation
     * @param fanOut outputs fed by each input (for a conv: out-channels x kernel area)
     */
    public Parameter(String name, Kind kind, Tensor value, int fanIn, int fanOut) {
        this.name = Objects.requireNonNull(name);
        this.kind = Objects.requireNonNull(kind);
        Objects.requireNonNull(value);
        if (kind == Kind.WEIGHT && !value.isMatrix()) {
            throw new IllegalArgumentException(name + ": weights are stored as matrices (outputs x inputs), got "
                    + value.shapeString());
        }
        if (!value.isHost()) {
            throw new IllegalArgumentException(name + ": a parameter starts in host memory; it moves to its backend "
                    + "when training starts");
        }
        this.shape = value.shape();
        this.size = value.size();
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        this.placement = new Placement(value, kind != Kind.BUFFER);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** The values, dense, in host memory (brought back from a device or a sparse form if they were there). */
    public Tensor value() {
        return placement.hostValue();
    }

    /** The gradient, dense, in host memory, zero at pruned entries; null for buffers. */
    public Tensor grad() {
        return kind == Kind.BUFFER ? null : placement.hostGrad(mask);
    }

    /**
     * The gradient at every entry, pruned ones included, as the last backward wrote it on the
     * dense path; in host memory. RigL's growth and the mask learners score connections that do
     * not exist yet by it. The sparse path computes the gradient at kept entries only, so after
     * a sparse backward this throws: put the layer on the dense path for the step whose
     * gradient is wanted ({@link WeightedLayer#useSparseKernel}).
     */
    public Tensor fullGradient() {
        if (kind == Kind.BUFFER) {
            throw new IllegalStateException(name + " is a buffer; it has no gradient");
        }
        return placement.hostFullGrad(mask, name);
    }

    /** A host copy of the values that leaves them where they are (a counted transfer on a device). */
    public float[] snapshot() {
        return placement.snapshot();
    }

    public int fanIn() {
        return fanIn;
    }

    public int fanOut() {
        return fanOut;
    }

    /** Whether weight decay applies: to weights and scores, not to biases or BatchNorm. */
    public boolean decays() {
        return kind == Kind.WEIGHT || kind == Kind.SCORE;
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
        return size;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The current mask, or null when every weight is kept. */
    public Mask mask() {
        return mask;
    }

    /** Counts the weights the mask keeps (all of them when there is no mask). */
    public int alive() {
        return mask == null ? size : mask.keptCount();
    }

    public double density() {
        return size == 0 ? 1.0 : alive() / (double) size;
    }

    /**
     * The structure of the mask ({@link MaskStructure#of}: exact 2:4, or the blocks it is made
     * of), {@link MaskStructure#NONE} without a mask; found once per mask.
     */
    public MaskStructure structure() {
        if (mask == null) {
            return MaskStructure.NONE;
        }
        if (structure == null) {
            structure = MaskStructure.of(mask);
        }
        return structure;
    }

    /** The blocks the mask is made of ({@link BlockShape#NONE} without a mask, or for 2:4). */
    public BlockShape blocks() {
        return structure().blocks();
    }

    /** Bumped on every mask change, so prepared sparse patterns and mask handles know to rebuild. */
    public int maskVersion() {
        return maskVersion;
    }

    /** Sets the mask (null removes it) and zeroes the pruned weights, their gradient and optimiser state. */
    public void setMask(Mask newMask) {
        if (newMask != null) {
            if (!prunable()) {
                throw new IllegalArgumentException(name + " is a " + kind + "; only weights can be masked");
            }
            if (newMask.rows() != shape[0] || newMask.cols() != shape[1]) {
                throw new IllegalArgumentException("mask " + newMask.rows() + "x" + newMask.cols() + " does not fit "
                        + name + " " + java.util.Arrays.toString(shape));
            }
        }
        mask = newMask;
        maskVersion++;
        structure = null;
        placement.maskChanged(newMask);
    }

    /**
     * Zeroes the entries of a host array laid out like the weight that the mask prunes; for host
     * code that builds weight-shaped values (initialisers, resets, score perturbations).
     */
    public void applyMask(float[] values) {
        if (mask == null) {
            return;
        }
        boolean[] k = mask.toArray();
        for (int i = 0; i < k.length; i++) {
            if (!k[i]) {
                values[i] = 0f;
            }
        }
    }

    // ---- training-side access (package: layers and optimisers) -----------------------------

    /** The dense value in {@code b}'s memory; moves it there once, then it stays. */
    Tensor resident(Backend b) {
        return placement.denseOn(b);
    }

    /** The dense gradient in {@code b}'s memory. */
    Tensor residentGrad(Backend b) {
        return placement.denseGradOn(b);
    }

    /** A dense product just wrote the gradient at pruned entries too; optimisers skip them. */
    void gradWrittenDense() {
        if (mask != null) {
            placement.markGradUnmasked();
        }
    }

    /** The mask as {@code b}'s kernels read it, or null without a mask. */
    MaskHandle maskOn(Backend b) {
        return placement.maskOn(b, mask, maskVersion);
    }

    /**
     * The sparse form on {@code b}: pattern from the mask (in its blocks, where {@code b} has
     * block kernels), values gathered once; kept until the mask changes.
     */
    SparseForm sparse(Backend b) {
        if (mask == null) {
            throw new IllegalStateException(name + " has no mask, so there is no sparse form");
        }
        return placement.sparseOn(b, mask, blocks(), maskVersion);
    }

    boolean isSparse() {
        return placement.isSparse();
    }

    /** What an optimiser updates; a parameter still in host memory is bound to {@code fallback}. */
    public Slot slot(Backend fallback) {
        return placement.slot(fallback, mask, maskVersion);
    }

    /** Drops the state tensors an optimiser made (it starts over, as at a new round). */
    public void clearState(Object owner) {
        placement.clearState(owner);
    }

    /** The tensor that holds the values now (dense or the stored entries, host or device). */
    public Tensor current() {
        return placement.current();
    }

    /** The backend whose memory holds the values now, or null when they are in host memory and unbound. */
    public Backend currentBackend() {
        return placement.currentBackend();
    }

    /** Brings everything back to host memory and frees what the parameter held on a device. */
    public void release() {
        placement.toHost();
    }

    @Override
    public String toString() {
        return name + " " + java.util.Arrays.stream(shape).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining("x")) + (mask == null ? "" : String.format(" density %.4f", density()));
    }
}
