package org.prune4j.backend.cuda;

import org.prune4j.backend.Availability;
import org.prune4j.backend.Backend;
import org.prune4j.backend.BackendProvider;
import org.prune4j.backend.BackendUnavailableException;

/**
 * Registers the CUDA backends: {@code cuda} (the project's kernels), {@code cublas} (dense
 * products on cuBLAS) and {@code cusparse} (sparse products on cuSPARSE). Each probe names the
 * first missing requirement: a driver, a GPU, kernels in the jar, a GPU and driver that can run
 * them (compute capability, driver version, a test launch: {@link StartupCheck}), or the vendor
 * library.
 */
public class CudaBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        CudaProbe.Result r = CudaProbe.probe();
        if (!r.usable()) {
            return Availability.no(r.detail());
        }
        if (!KernelImage.built()) {
            return Availability.no(KernelImage.status());
        }
        Availability startup = StartupCheck.cached(r);
        if (!startup.usable()) {
            return startup;
        }
        return vendorProbe(r);
    }

    /**
     * The start-up check on its own (compute capability, driver against the fatbin, a test
     * launch), for {@code doctor}; computed once per process like the probes that use it.
     */
    public static Availability startupCheck() {
        CudaProbe.Result r = CudaProbe.probe();
        if (!r.usable()) {
            return Availability.no(r.detail());
        }
        if (!KernelImage.built()) {
            return Availability.no(KernelImage.status());
        }
        return StartupCheck.cached(r);
    }

    /** What the vendor library needs beyond the driver and the kernels; the own backend needs nothing more. */
    Availability vendorProbe(CudaProbe.Result r) {
        return Availability.yes(StartupCheck.cached(r).detail() + "; kernels " + KernelImage.status());
    }

    @Override
    public final Backend create() {
        Availability a = probe();
        if (!a.usable()) {
            throw new BackendUnavailableException(name() + ": " + a.detail());
        }
        CudaDevice device;
        try {
            device = CudaDevice.open(0);
        } catch (RuntimeException e) {
            throw new BackendUnavailableException(name() + ": " + e.getMessage());
        }
        try {
            return build(device);
        } catch (RuntimeException e) {
            device.release();
            throw new BackendUnavailableException(name() + ": " + e.getMessage());
        }
    }

    CudaBackend build(CudaDevice device) {
        return new CudaBackend("cuda", device, null, null);
    }

    /** Dense products on cuBLAS (libcublas.so.13 through FFM, or .12), the rest on the project's kernels. */
    public static final class Cublas extends CudaBackendProvider {
        @Override
        public String name() {
            return "cublas";
        }

        @Override
        public int priority() {
            return 90;
        }

        @Override
        Availability vendorProbe(CudaProbe.Result r) {
            for (String so : org.prune4j.backend.cuda.Cublas.SONAMES) {
                NativeLibraries.Found f = NativeLibraries.find(so);
                if (f.loaded()) {
                    return Availability.yes(so + " at " + f.detail());
                }
            }
            return Availability.no("cuBLAS not found (libcublas.so.13 or .12); install the CUDA toolkit libraries");
        }

        @Override
        CudaBackend build(CudaDevice device) {
            return new CudaBackend("cublas", device, org.prune4j.backend.cuda.Cublas.load(device.streamHandle()), null);
        }
    }

    /** Sparse products on cuSPARSE's generic SpMM (JCusparse), the rest on the project's kernels. */
    public static final class Cusparse extends CudaBackendProvider {
        @Override
        public String name() {
            return "cusparse";
        }

        @Override
        public int priority() {
            return 80;
        }

        @Override
        Availability vendorProbe(CudaProbe.Result r) {
            NativeLibraries.Found f = NativeLibraries.find("libcusparse.so.12");
            return f.loaded() ? Availability.yes("libcusparse.so.12 at " + f.detail())
                    : Availability.no("cuSPARSE not found (libcusparse.so.12): " + f.detail());
        }

        @Override
        CudaBackend build(CudaDevice device) {
            return new CudaBackend("cusparse", device, null, CusparseSpmm.open(device));
        }
    }
}
