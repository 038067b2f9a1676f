package org.prune4j.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * Looks for a usable CUDA driver and GPUs without ever crashing: with no driver installed,
 * JCuda's native library fails to load, which is the normal no-GPU case and is reported as
 * "no CUDA driver". Results are computed once.
 */
public final class CudaProbe {

    /** One GPU as the driver describes it. */
    public record Gpu(int ordinal, String name, int major, int minor, long memoryBytes, int multiprocessors) {
        public String arch() {
            return "sm_" + major + minor;
        }
    }

    /** The outcome: driver version and GPUs, or the reason there are none. */
    public record Result(boolean driverLoaded, int driverVersion, List<Gpu> gpus, String detail) {
        public boolean usable() {
            return driverLoaded && !gpus.isEmpty();
        }

        public String driverVersionString() {
            return driverVersion <= 0 ? "none" : (driverVersion / 1000) + "." + (driverVersion % 1000 / 10);
        }
    }

    private static volatile Result cached;

    private CudaProbe() {
    }

    public static Result probe() {
        Result r = cached;
        if (r == null) {
            r = run();
            cached = r;
        }
        return r;
    }

    private static Result run() {
        NativeLibraries.Found libcuda = NativeLibraries.find("libcuda.so.1");
        if (!libcuda.loaded()) {
            return new Result(false, 0, List.of(), "no CUDA driver (libcuda.so.1 not found: install the NVIDIA driver"
                    + " to use a GPU)");
        }
        try {
            Class.forName("jcuda.driver.JCudaDriver", false, CudaProbe.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return new Result(false, 0, List.of(), "JCuda is not on the class path (org.jcuda:jcuda, jcuda-natives, "
                    + "jcusparse and jcusparse-natives 12.6.0 are optional dependencies of Prune4J): add them to use "
                    + "a GPU");
        }
        try {
            // Status codes, not JCuda's exceptions: the backend checks every call through Cuda.check,
            // and the flag is global to the JVM.
            JCudaDriver.setExceptionsEnabled(false);
            Cuda.check(JCudaDriver.cuInit(0), "cuInit");
            int[] version = new int[1];
            Cuda.check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
            int[] count = new int[1];
            Cuda.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
            List<Gpu> gpus = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                CUdevice dev = new CUdevice();
                Cuda.check(JCudaDriver.cuDeviceGet(dev, i), "cuDeviceGet(" + i + ")");
                byte[] name = new byte[256];
                JCudaDriver.cuDeviceGetName(name, name.length, dev);
                int[] major = new int[1], minor = new int[1], sms = new int[1];
                JCudaDriver.cuDeviceGetAttribute(major, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
                JCudaDriver.cuDeviceGetAttribute(minor, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
                JCudaDriver.cuDeviceGetAttribute(sms, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev);
                long[] mem = new long[1];
                JCudaDriver.cuDeviceTotalMem(mem, dev);
                String n = new String(name, java.nio.charset.StandardCharsets.UTF_8).trim().replace("\0", "");
                gpus.add(new Gpu(i, n, major[0], minor[0], mem[0], sms[0]));
            }
            String detail = gpus.isEmpty() ? "CUDA driver loaded but it sees no GPU" : gpus.size() + " GPU(s)";
            return new Result(true, version[0], List.copyOf(gpus), detail);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Result(false, 0, List.of(), "no CUDA driver: JCuda's driver library did not load ("
                    + firstLine(e.getMessage()) + ")");
        } catch (RuntimeException e) {
            return new Result(false, 0, List.of(), "CUDA driver present but unusable: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
