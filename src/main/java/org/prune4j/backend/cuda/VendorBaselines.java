package org.prune4j.backend.cuda;

import java.util.List;

/**
 * The vendor libraries a benchmark compares with, opened on first use on the backend's device
 * and stream whatever the backend's own dense and sparse paths are: cuBLAS, cuSPARSE and
 * cuSPARSELt. One backend can then time every named kernel, ours and theirs, side by side.
 * The backend's own cuBLAS or cuSPARSE (for the {@code cublas} and {@code cusparse} backends)
 * is reused, not opened twice.
 */
final class VendorBaselines {
    private final CudaDevice device;
    private final Cublas ownedCublas;
    private final CusparseSpmm ownedCusparse;
    private Cublas cublas;
    private CusparseSpmm cusparse;
    private CusparseLt cusparseLt;

    VendorBaselines(CudaDevice device, Cublas backendCublas, CusparseSpmm backendCusparse) {
        this.device = device;
        this.ownedCublas = backendCublas;
        this.ownedCusparse = backendCusparse;
    }

    synchronized Cublas cublas() {
        if (ownedCublas != null) {
            return ownedCublas;
        }
        if (cublas == null) {
            cublas = Cublas.load(device.streamHandle());
        }
        return cublas;
    }

    synchronized CusparseSpmm cusparse() {
        if (ownedCusparse != null) {
            return ownedCusparse;
        }
        if (cusparse == null) {
            cusparse = CusparseSpmm.open(device);
        }
        return cusparse;
    }

    synchronized CusparseLt cusparseLt() {
        if (cusparseLt == null) {
            cusparseLt = CusparseLt.open(device);
        }
        return cusparseLt;
    }

    /** Closes what was opened here (not the backend's own libraries), best effort. */
    synchronized List<String> release() {
        BestEffort r = new BestEffort("closing the vendor baselines");
        if (cusparseLt != null) {
            r.run("cuSPARSELt", cusparseLt::close);
            cusparseLt = null;
        }
        if (cublas != null) {
            r.run("cuBLAS", cublas::close);
            cublas = null;
        }
        if (cusparse != null) {
            r.run("cuSPARSE", cusparse::close);
            cusparse = null;
        }
        return r.finish();
    }
}
