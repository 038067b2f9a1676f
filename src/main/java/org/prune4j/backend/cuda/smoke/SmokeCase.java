package org.prune4j.backend.cuda.smoke;

import org.prune4j.backend.cuda.CudaBackend;

/** One kernel's smoke case: its name (known without a GPU) and what runs and checks it. */
record SmokeCase(String kernel, Body body) {
    /** Runs the kernel once on small data and checks it against the host reference. */
    interface Body {
        Check run(CudaBackend gpu);
    }
}
