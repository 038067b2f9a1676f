package org.prune4j.backend.cuda;

import java.util.EnumMap;
import java.util.Map;
import org.prune4j.backend.SparseWeight;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.MaskStructure;

/**
 * An exact 2:4 pattern on the GPU for training: the forward product on sparse tensor cores, the
 * two gradients on the CSR kernels of the same pattern (held as {@link #csr}, whose stored
 * values, in CSR order, are this weight's values).
 *
 * <p>Why the gradients stay on CSR: the input gradient multiplies by W^T, whose groups of four
 * run along the outputs, where a 2:4 mask promises nothing, so sparse tensor cores cannot take
 * it without a second, transposable mask; and the weight gradient is wanted only at the kept
 * entries, which is an SDDMM, not a product the tensor cores have. Both also stay fp32, so the
 * update sees full-precision gradients, while the forward rounds W and x to bf16 (fp32
 * accumulation): bf16 keeps fp32's range, so no loss scaling is needed.
 *
 * <p>The packed layout depends on the kernel, and the kernel on the batch width ({@link
 * TwoFourKernel#defaultFor}), so each kernel's packing is built on first use and kept.
 */
final class CudaTwoFourWeight implements SparseWeight {
    /** Scratch slots: packed values, activations in 16 bits, the padded output. */
    static final int PACKED = 0;
    static final int X_HALF = 1;
    static final int Y_PAD = 2;

    final CudaSparseWeight csr;
    private final CudaDevice device;
    private final CsrMatrix pattern;
    private final Map<TwoFourKernel, Packed> packed = new EnumMap<>(TwoFourKernel.class);
    private final Map<TwoFourKernel, DeviceScratch> scratch = new EnumMap<>(TwoFourKernel.class);

    /** A packing on the device: the slot map and the metadata, both fixed for the mask. */
    record Packed(TwoFourPacking layout, DeviceBuffer source, DeviceBuffer meta) {
    }

    /** Whether this device trains {@code pattern} on sparse tensor cores: an exact 2:4 pattern, compute capability 8.0+. */
    static boolean runs(CudaDevice device, CsrMatrix pattern) {
        return TwoFourKernel.MMA_SP.unsupportedOn(device.computeCapability()) == null && pattern.nnz() > 0
                && MaskStructure.isTwoFour(pattern);
    }

    CudaTwoFourWeight(CudaDevice device, CsrMatrix pattern, String backend) {
        this.device = device;
        this.pattern = pattern;
        this.csr = new CudaSparseWeight(device, pattern, backend);
    }

    /** The packing for {@code kernel}, uploaded on first use. */
    Packed packed(TwoFourKernel kernel) {
        return packed.computeIfAbsent(kernel, k -> {
            TwoFourPacking layout = TwoFourPacking.of(pattern, k);
            DeviceBuffer source = device.upload(layout.source());
            try {
                return new Packed(layout, source, layout.uploadMeta(device));
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
        });
    }

    /** Scratch buffer {@code slot} for {@code kernel} of at least {@code floats} 32-bit words. */
    DeviceBuffer scratch(TwoFourKernel kernel, int slot, long floats) {
        return scratch.computeIfAbsent(kernel, k -> new DeviceScratch(device, 3)).get(slot, floats);
    }

    @Override
    public int rows() {
        return csr.rows;
    }

    @Override
    public int cols() {
        return csr.cols;
    }

    @Override
    public int nnz() {
        return csr.nnz;
    }

    @Override
    public String backend() {
        return csr.backend();
    }

    @Override
    public void close() {
        packed.values().forEach(p -> CudaBackend.closeAll(new DeviceBuffer[] {p.source(), p.meta()}));
        packed.clear();
        scratch.values().forEach(DeviceScratch::close);
        scratch.clear();
        csr.close();
    }
}
