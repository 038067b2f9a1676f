package org.prune4j.backend.cuda;

/** 16-bit storage formats for the reduced-precision kernels, encoded on the host. */
public enum HalfFormat {
    FP16, BF16;

    short[] encode(float[] v) {
        short[] out = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = this == FP16 ? Float.floatToFloat16(v[i]) : bf16(v[i]);
        }
        return out;
    }

    /** Round to nearest even on the upper 16 bits; NaN stays NaN. */
    static short bf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** Back to float, for references and tests. */
    public float decode(short s) {
        return this == FP16 ? Float.float16ToFloat(s) : Float.intBitsToFloat((s & 0xffff) << 16);
    }

    /** The value the GPU sees for {@code f}. */
    public float round(float f) {
        return decode(encode(new float[] {f})[0]);
    }
}
