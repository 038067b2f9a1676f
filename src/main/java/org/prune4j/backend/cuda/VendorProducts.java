package org.prune4j.backend.cuda;

import org.prune4j.backend.Op;
import org.prune4j.backend.Shapes;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.tensor.Tensor;

/**
 * The vendor libraries' products on a {@link CudaBackend}'s GPU and stream, whatever the
 * backend's own dense and sparse paths are: cuBLAS in fp32, tf32 and bf16, cuSPARSE on CSR and
 * Blocked-ELL, cuSPARSELt's version. The smoke step and the benchmarks reach each vendor kernel
 * by name through here; weights are kept on the device by the backend as for its own kernels.
 * Calls hold the backend's lock, like the backend's own methods.
 */
public final class VendorProducts {
    private final CudaBackend backend;
    private final CudaDevice device;
    private final VendorBaselines vendors;

    VendorProducts(CudaBackend backend) {
        this.backend = backend;
        this.device = backend.cudaDevice();
        this.vendors = backend.vendors();
    }

    /**
     * {@code c = a b} on cuBLAS whatever this backend's own dense path is: {@code fp32} (sgemm),
     * {@code tf32} (fp32 storage, tensor-core compute) or {@code bf16} (operands rounded to bf16),
     * all with fp32 output and accumulation. The vendor baseline of the tensor-core kernels.
     */
    public void gemmCublas(Tensor a, Tensor b, Tensor c, String precision) {
        synchronized (backend) {
            int[] mnk = Shapes.gemm(Op.N, Op.N, a, b, c);
            int m = mnk[0], n = mnk[1], k = mnk[2];
            device.makeCurrent();
            Cublas cb = vendors.cublas();
            boolean bf16 = precision.equals("bf16");
            try (DeviceBuffer da = bf16 ? device.upload(HalfFormat.BF16.encode(a.data())) : device.upload(a.data());
                    DeviceBuffer db = bf16 ? device.upload(HalfFormat.BF16.encode(b.data())) : device.upload(b.data());
                    DeviceBuffer dc = device.allocate(c.size())) {
                switch (precision) {
                    case "fp32" -> cb.sgemm(false, false, m, n, k, 1f, da.ptr.address(), k, db.ptr.address(), n, 0f,
                            dc.ptr.address(), n);
                    case "tf32" -> cb.gemmTf32(m, n, k, da.ptr.address(), db.ptr.address(), dc.ptr.address());
                    case "bf16" -> cb.gemmBf16(m, n, k, da.ptr.address(), db.ptr.address(), dc.ptr.address());
                    default -> throw new IllegalArgumentException("cuBLAS precision must be fp32, tf32 or bf16, got "
                            + precision);
                }
                device.download(dc, c.data());
            }
        }
    }

    /** {@code y = w x} on cuSPARSE's CSR SpMM whatever this backend's own sparse path is (fp32). */
    public void spmmCusparse(SparseMatrix w, Tensor x, Tensor y) {
        synchronized (backend) {
            Shapes.spmm(w, Op.N, x, y);
            CsrMatrix a = backend.csr(w);
            device.makeCurrent();
            CusparseSpmm sp = vendors.cusparse();
            OwnKernels.Csr dw = backend.residentCsr(a, null);
            try (DeviceBuffer dx = device.upload(x.data()); DeviceBuffer dy = device.allocate(y.size())) {
                device.fill32(dy, Float.floatToRawIntBits(Float.NaN), y.size());
                sp.spmm(dw, dx, x.cols(), dy);
                device.download(dy, y.data());
            }
        }
    }

    /**
     * {@code y = w x} on cuSPARSE's Blocked-ELL SpMM (fp32); false, computing nothing, when this
     * cuSPARSE refuses it on this GPU or the blocks do not tile the weight.
     */
    public boolean spmmBlockedEll(BsrMatrix w, Tensor x, Tensor y) {
        synchronized (backend) {
            Shapes.spmm(w, Op.N, x, y);
            if (!CusparseSpmm.blockedEllFits(w)) {
                return false;
            }
            device.makeCurrent();
            CusparseSpmm sp = vendors.cusparse();
            CusparseSpmm.Ell ell = backend.blockedEll(w);
            try (DeviceBuffer dx = device.upload(x.data()); DeviceBuffer dy = device.allocate(y.size())) {
                if (!sp.spmmBlockedEll(ell, dx, x.cols(), dy)) {
                    return false;
                }
                device.download(dy, y.data());
                return true;
            }
        }
    }

    /** "cuSPARSELt 0.8.1" once it has been opened here (it opens on first use). */
    public String cusparseLtDescription() {
        synchronized (backend) {
            return vendors.cusparseLt().describe();
        }
    }
}
