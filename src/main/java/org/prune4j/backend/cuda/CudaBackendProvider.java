package org.prune4j.backend.cuda;

import org.prune4j.backend.Availability;
import org.prune4j.backend.Backend;
import org.prune4j.backend.BackendProvider;
import org.prune4j.backend.BackendUnavailableException;

/**
 * Registers the CUDA backend. It says exactly which requirement is missing: a driver, a GPU,
 * kernels in the jar, or the backend's host side, which this build does not include yet
 * (the kernels compile and ship; the JCuda bridge that launches them is the next step).
 */
public final class CudaBackendProvider implements BackendProvider {

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
        return Availability.no(r.detail() + " and kernels built, but this build has no CUDA host bridge yet;"
                + " the CPU backend runs everything");
    }

    @Override
    public Backend create() {
        throw new BackendUnavailableException("cuda: " + probe().detail());
    }
}
