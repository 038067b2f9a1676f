/**
 * The CUDA side. {@link org.prune4j.backend.cuda.CudaProbe} finds the driver and GPUs without
 * ever crashing; {@code StartupCheck} decides, once per process, whether this GPU and driver can
 * run the jar's fatbin (compute capability, driver version, one test launch), so {@code auto}
 * falls back to the CPU with one reason. {@link org.prune4j.backend.cuda.CudaBackend} runs the
 * project's kernels and, as {@code cublas} / {@code cusparse}, the vendor paths; its device
 * ({@code CudaDevice}, {@code DeviceHandles}, {@code DeviceMemoryPool}) releases best effort
 * through {@code DriverCalls}, so a kernel fault never turns a close into an exception or a
 * leak. Weights are uploaded once and kept ({@code DeviceWeights}); {@link
 * org.prune4j.backend.cuda.KernelTimer} times each named kernel with only device work between
 * its events ({@code DeviceTimer}). Vendor libraries: cuBLAS and cuSPARSELt through FFM,
 * cuSPARSE through JCusparse. The smoke step lives in {@code smoke}.
 */
package org.prune4j.backend.cuda;
