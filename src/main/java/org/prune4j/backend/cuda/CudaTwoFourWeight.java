package org.prune4j.backend.cuda;

import java.util.EnumMap;
import java.util.Map;
import org.prune4j.backend.SparseWeight;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.MaskStructure;
import org.prune4j.tensor.Tensor;

/**
 * An exact 2:4 pattern on the GPU for training: the forward product on sparse tensor cores, the
 * two gradients as dense fp32 GEMMs through scratch copies of the weight and its gradient. The
 * stored values are in CSR order, and the pattern's CSR index ({@link #csr}) places them: it
 * scatters and gathers, and it is what a caller sees as positions.
 *
 * <p>Why the gradients are dense: the input gradient multiplies by W^T, whose groups of four
 * run along the outputs, where a 2:4 mask promises nothing, so sparse tensor cores cannot take
 * it without a second, transposable mask; and the weight gradient is wanted only at the kept
 * entries, an SDDMM, not a product the tensor cores have. At 50% density a GPU's dense GEMM
 * beats CSR by far, so, as NVIDIA's ASP recipe does, both run dense on the masked weight. They
 * stay fp32, so the update sees full-precision gradients, while the forward rounds W and x to
 * bf16 (fp32 accumulation): bf16 keeps fp32's range, so no loss scaling is needed.
 *
 * <p>The packed layout depends on the kernel, and the kernel on the batch width ({@link
 * TwoFourKernel#defaultFor}): training and evaluation batches can pick different ones, so every
 * kernel the device runs gets its packing when the weight is made.
 */
final class CudaTwoFourWeight implements SparseWeight {
    /** Scratch slots: packed values, activations in 16 bits, the padded output, x^T and y^T (batch-major). */
    static final int PACKED = 0;
    static final int X_HALF = 1;
    static final int Y_PAD = 2;
    static final int X_T = 3;
    static final int Y_T = 4;

    final CudaSparseWeight csr;
    private final CudaDevice device;
    private final Map<TwoFourKernel, Packed> packed = new EnumMap<>(TwoFourKernel.class);
    private final Map<TwoFourKernel, DeviceScratch> scratch = new EnumMap<>(TwoFourKernel.class);
    private Tensor denseWeight;
    private Tensor denseGrad;

    /**
     * A packing on the device: the slot map ({@code slots} entries) and the metadata, both fixed
     * for the mask, for a weight padded to {@code rowsPad x kPad}.
     */
    record Packed(int rowsPad, int kPad, long slots, DeviceBuffer source, DeviceBuffer meta) {
    }

    /** Whether this device trains {@code pattern} on sparse tensor cores: an exact 2:4 pattern, compute capability 8.0+. */
    static boolean runs(CudaDevice device, CsrMatrix pattern) {
        return TwoFourKernel.MMA_SP.unsupportedOn(device.computeCapability()) == null && pattern.nnz() > 0
                && MaskStructure.isTwoFour(pattern);
    }

    CudaTwoFourWeight(CudaDevice device, CsrMatrix pattern, String backend) {
        this.device = device;
        this.csr = new CudaSparseWeight(device, pattern, backend);
        try {
            for (TwoFourKernel k : TwoFourKernel.values()) {
                if (k.unsupportedOn(device.computeCapability()) == null) {
                    TwoFourPacking layout = TwoFourPacking.of(pattern, k);
                    DeviceBuffer source = device.upload(layout.source());
                    DeviceBuffer meta;
                    try {
                        meta = layout.uploadMeta(device);
                    } catch (RuntimeException e) {
                        source.close();
                        throw e;
                    }
                    packed.put(k, new Packed(layout.rowsPad(), layout.kPad(), layout.source().length, source, meta));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The packing for {@code kernel}. */
    Packed packed(TwoFourKernel kernel) {
        Packed p = packed.get(kernel);
        if (p == null) {
            throw new IllegalStateException("no " + kernel.label() + " packing: the kernel does not run on this GPU");
        }
        return p;
    }

    /** The weight as a dense matrix and its dense gradient, scratch for the backward GEMMs, made on first use. */
    Tensor denseWeight(CudaTrainingOps ops) {
        if (denseWeight == null) {
            denseWeight = ops.allocate(csr.rows, csr.cols);
        }
        return denseWeight;
    }

    Tensor denseGrad(CudaTrainingOps ops) {
        if (denseGrad == null) {
            denseGrad = ops.allocate(csr.rows, csr.cols);
        }
        return denseGrad;
    }

    /** Scratch buffer {@code slot} for {@code kernel} of at least {@code floats} 32-bit words. */
    DeviceBuffer scratch(TwoFourKernel kernel, int slot, long floats) {
        return scratch.computeIfAbsent(kernel, k -> new DeviceScratch(device, 5)).get(slot, floats);
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
        for (Tensor t : new Tensor[] {denseWeight, denseGrad}) {
            if (t != null) {
                t.storage().release();
            }
        }
        denseWeight = null;
        denseGrad = null;
        csr.close();
    }
}
