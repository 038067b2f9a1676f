package org.prune4j.backend.cuda;

import java.util.Arrays;
import org.prune4j.sparse.TwoFourMatrix;
import org.prune4j.tensor.Tensor;

/**
 * The project's 2:4 SpMM on sparse tensor cores: the weight rearranged for the chosen kernel
 * and uploaded once per weight, format and kernel (kept in {@link DeviceWeights}); per call
 * only X is converted, uploaded and multiplied.
 *
 * <p>mma.sp reads {@link TwoFourMatrix}'s own layout, padded. wgmma.sp takes its A operand
 * from registers, so the values and metadata are reordered into fragment order: each thread
 * then loads its four A registers as one 16-byte word and its metadata as one 32-bit word per
 * K step, and a warpgroup's loads are one contiguous 2 KiB line.
 */
final class TwoFourSpmm {

    /** A 2:4 weight laid out on the host for one kernel, ready to upload. */
    sealed interface HostLayout permits MmaSpWeight, WgmmaSpWeight {
        int rowsPad();

        int kPad();

        /** The encoded 16-bit values, in the kernel's order. */
        short[] values();

        default DeviceBuffer uploadValues(CudaDevice device) {
            return device.upload(values());
        }

        DeviceBuffer uploadMeta(CudaDevice device);
    }

    /** {@link TwoFourMatrix} padded to 16 rows and 32 columns, row-major as it is. */
    record MmaSpWeight(int rowsPad, int kPad, short[] values, short[] meta) implements HostLayout {
        @Override
        public DeviceBuffer uploadMeta(CudaDevice device) {
            return device.upload(meta);
        }
    }

    /**
     * Fragment order for wgmma.sp: for 64-row tile {@code tile}, K step {@code s} (32 logical
     * columns) and warpgroup thread {@code l}, entry {@code (tile * kPad/32 + s) * 128 + l} holds
     * eight 16-bit values (the thread's four A registers, low half first) and one metadata word.
     */
    record WgmmaSpWeight(int rowsPad, int kPad, short[] values, int[] meta) implements HostLayout {
        @Override
        public DeviceBuffer uploadMeta(CudaDevice device) {
            return device.upload(meta);
        }
    }

    private final CudaDevice device;
    private final DeviceWeights weights;

    TwoFourSpmm(CudaDevice device, DeviceWeights weights) {
        this.device = device;
        this.weights = weights;
    }

    /** The cache key of one device layout of a weight. */
    private record Variant(HalfFormat format, TwoFourKernel kernel) {
    }

    /** The kernel that runs {@code n} activation columns when the caller does not choose. */
    TwoFourKernel defaultKernel(int n) {
        return TwoFourKernel.defaultFor(device.computeCapability(), n);
    }

    /** {@code y = w x}; y is rows x n fp32. */
    void multiply(TwoFourKernel kernel, TwoFourMatrix w, Tensor x, Tensor y, HalfFormat format) {
        int n = x.cols();
        Prepared p = prepare(kernel, w, format);
        int nPad = kernel.padN(n);
        float[] xp = HostPadding.pad(x, p.kPad(), nPad);
        try (DeviceBuffer dx = device.upload(format.encode(xp));
                DeviceBuffer dy = device.allocate((long) p.rowsPad() * nPad)) {
            p.launch(dx, dy, nPad).enqueue();
            float[] yp = new float[p.rowsPad() * nPad];
            device.download(dy, yp);
            HostPadding.crop(yp, nPad, y.data(), n);
        }
    }

    /**
     * The weight on the device for {@code kernel}, uploaded on first use and then kept (the
     * caller must not close it): X must be kPad x nPad, Y rowsPad x nPad, nPad from
     * {@link TwoFourKernel}.
     */
    Prepared prepare(TwoFourKernel kernel, TwoFourMatrix w, HalfFormat format) {
        String why = kernel.unsupportedOn(device.computeCapability());
        if (why != null) {
            throw new UnsupportedOperationException(why);
        }
        device.makeCurrent();
        return weights.get(w, new Variant(format, kernel), () -> upload(kernel, w, format));
    }

    private Prepared upload(TwoFourKernel kernel, TwoFourMatrix w, HalfFormat format) {
        HostLayout host = kernel == TwoFourKernel.MMA_SP ? packForMmaSp(w, format) : packForWgmma(w, format);
        DeviceBuffer values = host.uploadValues(device);
        try {
            return new Prepared(kernel, format, host.rowsPad(), host.kPad(), values, host.uploadMeta(device));
        } catch (RuntimeException e) {
            values.close();
            throw e;
        }
    }

    /** A weight on the device, ready to multiply any X of the padded shape. */
    final class Prepared implements DeviceWeights.Resident {
        private final TwoFourKernel kernel;
        private final HalfFormat format;
        private final int rowsPad;
        private final int kPad;
        private final DeviceBuffer values;
        private final DeviceBuffer meta;

        private Prepared(TwoFourKernel kernel, HalfFormat format, int rowsPad, int kPad, DeviceBuffer values,
                DeviceBuffer meta) {
            this.kernel = kernel;
            this.format = format;
            this.rowsPad = rowsPad;
            this.kPad = kPad;
            this.values = values;
            this.meta = meta;
        }

        int rowsPad() {
            return rowsPad;
        }

        int kPad() {
            return kPad;
        }

        /** The product, packed: x is kPad x nPad in the weight's format, y rowsPad x nPad fp32. */
        CudaDevice.Launch launch(DeviceBuffer x, DeviceBuffer y, int nPad) {
            return TwoFourSpmm.launch(device, kernel, format, rowsPad, kPad, values, meta, x, y, nPad);
        }

        /** The kernel's name for one padded width (the wgmma.sp variant depends on the grid). */
        String kernelName(int nPad) {
            return TwoFourSpmm.kernelName(device, kernel, format, rowsPad, nPad);
        }

        @Override
        public long bytes() {
            return values.bytes + meta.bytes;
        }

        @Override
        public void close() {
            values.close();
            meta.close();
        }
    }

    /**
     * The product {@code y (rowsPad x nPad, fp32) = W x} of a weight already packed for
     * {@code kernel} (values and metadata in its layout) with x (kPad x nPad) in {@code format}.
     */
    static CudaDevice.Launch launch(CudaDevice device, TwoFourKernel kernel, HalfFormat format, int rowsPad, int kPad,
            DeviceBuffer values, DeviceBuffer meta, DeviceBuffer x, DeviceBuffer y, int nPad) {
        String name = kernelName(device, kernel, format, rowsPad, nPad);
        if (kernel == TwoFourKernel.MMA_SP) {
            int warps = (rowsPad / 16) * (nPad / 32);
            return device.prepare(name, CudaBackend.ceil(warps, 4), 1, 128, rowsPad, kPad, nPad, values, meta, x, y);
        }
        int wg = name.endsWith("_wg2") ? 2 : 1;
        return device.prepare(name, nPad / 128, rowsPad / (64 * wg), 128 * wg, kPad, nPad, values, meta, x, y);
    }

    /**
     * The kernel's name for one padded shape. Two wgmma.sp warpgroups per block share each X
     * tile; one per block when that would leave multiprocessors idle.
     */
    static String kernelName(CudaDevice device, TwoFourKernel kernel, HalfFormat format, int rowsPad, int nPad) {
        String type = format == HalfFormat.BF16 ? "bf16" : "f16";
        if (kernel == TwoFourKernel.MMA_SP) {
            return "p4j_two_four_" + type;
        }
        return "p4j_two_four_wgmma_" + type + "_wg"
                + ((rowsPad / 128) * (nPad / 128) >= device.multiprocessors() ? 2 : 1);
    }

    /**
     * Padded to 16 rows and 32 columns. Padding groups keep positions 0 and 1 (nibble 0x4) with
     * zero values: ordered metadata must be valid everywhere, including where nothing is stored.
     */
    static MmaSpWeight packForMmaSp(TwoFourMatrix w, HalfFormat f) {
        int rowsPad = TwoFourKernel.MMA_SP.padRows(w.rows()), kPad = TwoFourKernel.MMA_SP.padK(w.paddedCols());
        short[][] rm = rowMajor(w, f, rowsPad, kPad);
        return new MmaSpWeight(rowsPad, kPad, rm[0], rm[1]);
    }

    /**
     * Padded to 128 rows and 64 columns, then reordered into wgmma.sp fragment order. Thread
     * {@code l} of a warpgroup is lane {@code l % 32} of warp {@code l / 32}, which owns rows
     * {@code 16 (l/32) .. +15} of the tile; with g = lane / 4 and t = lane % 4 its registers hold
     * compressed columns (2t, 2t+1) of rows g, g+8, then (8+2t, 8+2t+1) of rows g, g+8. Lanes
     * with t = 0 and 1 carry the metadata words of K halves 0 and 1, row g in the low 16 bits
     * and row g+8 in the high; the others carry zero (sparsity selector 0 ignores them).
     */
    static WgmmaSpWeight packForWgmma(TwoFourMatrix w, HalfFormat f) {
        int rowsPad = TwoFourKernel.WGMMA_SP.padRows(w.rows()), kPad = TwoFourKernel.WGMMA_SP.padK(w.paddedCols());
        short[][] rm = rowMajor(w, f, rowsPad, kPad);
        int[] order = wgmmaOrder(rowsPad, kPad);
        short[] values = new short[order.length];
        for (int o = 0; o < order.length; o++) {
            values[o] = rm[0][order[o]];
        }
        return new WgmmaSpWeight(rowsPad, kPad, values, wgmmaMeta(rm[1], rowsPad, kPad));
    }

    /**
     * For each 16-bit value of the wgmma.sp fragment order (see {@link #packForWgmma}), its index
     * in the row-major compressed layout of {@code rowsPad x kPad/2}.
     */
    static int[] wgmmaOrder(int rowsPad, int kPad) {
        int cw = kPad / 2, steps = kPad / 32, tiles = rowsPad / 64;
        int[] order = new int[Math.multiplyExact(tiles * steps * 128, 8)];
        for (int tile = 0; tile < tiles; tile++) {
            for (int s = 0; s < steps; s++) {
                for (int l = 0; l < 128; l++) {
                    int lane = l & 31, g = lane >> 2, t = lane & 3;
                    int r0 = tile * 64 + (l >> 5) * 16 + g, r1 = r0 + 8, c = s * 16 + 2 * t;
                    int o = 8 * ((tile * steps + s) * 128 + l);
                    int[] src = {r0 * cw + c, r1 * cw + c, r0 * cw + c + 8, r1 * cw + c + 8};
                    for (int reg = 0; reg < 4; reg++) {
                        order[o + 2 * reg] = src[reg];
                        order[o + 2 * reg + 1] = src[reg] + 1;
                    }
                }
            }
        }
        return order;
    }

    /** The wgmma.sp metadata words (one per fragment entry) from row-major 16-bit metadata. */
    static int[] wgmmaMeta(short[] rowMajorMeta, int rowsPad, int kPad) {
        int words = kPad / 16, steps = kPad / 32, tiles = rowsPad / 64;
        int[] meta = new int[tiles * steps * 128];
        for (int tile = 0; tile < tiles; tile++) {
            for (int s = 0; s < steps; s++) {
                for (int l = 0; l < 128; l++) {
                    int lane = l & 31, g = lane >> 2, t = lane & 3;
                    int r0 = tile * 64 + (l >> 5) * 16 + g, r1 = r0 + 8;
                    if (t < 2) {
                        meta[(tile * steps + s) * 128 + l] = (rowMajorMeta[r0 * words + 2 * s + t] & 0xffff)
                                | (rowMajorMeta[r1 * words + 2 * s + t] & 0xffff) << 16;
                    }
                }
            }
        }
        return meta;
    }

    /** Encoded values and metadata words padded to rowsPad x kPad (logical), row-major. */
    private static short[][] rowMajor(TwoFourMatrix w, HalfFormat f, int rowsPad, int kPad) {
        int pc = w.paddedCols();
        short[] vals = new short[Math.multiplyExact(rowsPad, kPad / 2)];
        short[] meta = new short[rowsPad * (kPad / 16)];
        Arrays.fill(meta, (short) 0x4444);
        short[] enc = f.encode(w.values());
        short[] wm = w.metadata();
        for (int i = 0; i < w.rows(); i++) {
            System.arraycopy(enc, i * pc / 2, vals, i * kPad / 2, pc / 2);
            System.arraycopy(wm, i * pc / 16, meta, i * kPad / 16, pc / 16);
        }
        return new short[][] {vals, meta};
    }
}
