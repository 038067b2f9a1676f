package org.prune4j.backend;

/** Opens the GPU backends the way the GPU suite does, for GPU tests in other packages. */
public final class GpuKernelsTestAccess {
    private GpuKernelsTestAccess() {
    }

    public static Backend backend(String name) {
        return GpuKernelsTest.backend(name);
    }

    public static void closeAll() {
        GpuKernelsTest.closeAll();
    }
}
