package org.prune4j.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.prune4j.backend.Backend;
import org.prune4j.backend.cuda.CudaException;

/**
 * A stand-in for a GPU backend that fails: every call goes to a real backend until the
 * {@code n}th call of {@code method}, which throws the {@link CudaException} a CUDA backend
 * throws when the device runs out of memory. What the experiment does next (save, report, fall
 * back to the CPU) can then be tested without a GPU.
 */
public final class FailingBackend {
    private FailingBackend() {
    }

    /** {@code real} under the name {@code name}, failing on the {@code n}th call of {@code method}. */
    public static Backend failOn(Backend real, String name, String method, int n) {
        AtomicInteger calls = new AtomicInteger();
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "name" -> {
                            return name;
                        }
                        case "description" -> {
                            return name + " (a failing stand-in over " + real.name() + ")";
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        default -> {
                        }
                    }
                    if (m.getName().equals(method) && calls.incrementAndGet() == n) {
                        throw new CudaException("cuMemAlloc of 256 MiB failed: CUDA_ERROR_OUT_OF_MEMORY (2)", 2,
                                "CUDA_ERROR_OUT_OF_MEMORY", false);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
