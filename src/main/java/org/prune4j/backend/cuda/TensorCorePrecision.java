package org.prune4j.backend.cuda;

/**
 * Operand precisions of the tensor-core kernels, all accumulating in fp32: tf32 keeps fp32
 * storage and rounds each operand to 10 mantissa bits in the fragment (round to nearest, ties
 * away from zero, as cvt.rna.tf32.f32 does); bf16 and fp16 are stored in 16 bits.
 */
public enum TensorCorePrecision {
    TF32, BF16, FP16;

    /** The value the tensor cores multiply for {@code f}. */
    public float round(float f) {
        return switch (this) {
            case TF32 -> Float.isFinite(f) ? Float.intBitsToFloat((Float.floatToRawIntBits(f) + 0x1000) & 0xffffe000) : f;
            case BF16 -> HalfFormat.BF16.round(f);
            case FP16 -> HalfFormat.FP16.round(f);
        };
    }

    /** The 16-bit storage format of bf16 and fp16; tf32 is stored as fp32 and has none. */
    HalfFormat half() {
        return switch (this) {
            case TF32 -> throw new IllegalStateException("tf32 operands are stored in fp32");
            case BF16 -> HalfFormat.BF16;
            case FP16 -> HalfFormat.FP16;
        };
    }

    String suffix() {
        return switch (this) {
            case TF32 -> "tf32";
            case BF16 -> "bf16";
            case FP16 -> "f16";
        };
    }
}
