package org.prune4j.backend;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.prune4j.tensor.Device;
import org.prune4j.tensor.Storage;
import org.prune4j.tensor.Tensor;

/**
 * A backend whose tensors live on a pretend device ("sim:0"): host arrays that {@link
 * Tensor#data()} refuses to hand out, reached only through counted copies. Its kernels are the
 * CPU backend's. Every operation rejects a host tensor, so a training step that runs on it
 * proves it keeps everything resident; the transfer counter proves what crossed. This is how the
 * device-residency contract of the CUDA backend is tested on a machine without a GPU.
 */
public final class SimulatedDevice implements InvocationHandler {
    public static final Device SIM = new Device("sim", 0);
    private final Backend cpu;
    private final TransferCounter counter = new TransferCounter();

    /** Device memory: a host array behind a storage that counts every crossing. */
    static final class SimStorage implements Storage {
        final float[] array;
        private final TransferCounter counter;

        SimStorage(int n, TransferCounter counter) {
            this.array = new float[n];
            this.counter = counter;
        }

        @Override
        public Device device() {
            return SIM;
        }

        @Override
        public int length() {
            return array.length;
        }

        @Override
        public void read(int from, float[] dst, int dstOff, int len) {
            counter.countToHost(4L * len);
            System.arraycopy(array, from, dst, dstOff, len);
        }

        @Override
        public void write(float[] src, int srcOff, int from, int len) {
            counter.countToDevice(4L * len);
            System.arraycopy(src, srcOff, array, from, len);
        }
    }

    private SimulatedDevice(Backend cpu) {
        this.cpu = cpu;
    }

    public static Backend over(Backend cpu) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                new SimulatedDevice(cpu));
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        switch (m.getName()) {
            case "name":
                return "sim";
            case "description":
                return "simulated device over the CPU kernels";
            case "device":
                return SIM;
            case "capabilities":
                return Capabilities.all();
            case "transfers":
                return counter.snapshot();
            case "allocate":
                int[] shape = (int[]) args[0];
                long n = 1;
                for (int d : shape) {
                    n *= d;
                }
                return Tensor.on(new SimStorage(Math.toIntExact(n), counter), shape);
            case "copy":
                copy((Tensor) args[0], (Tensor) args[1]);
                return null;
            case "resident":
                return InvocationHandler.invokeDefault(proxy, m, args);
            case "close":
                return null;
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "sim";
            default:
                break;
        }
        Object[] unwrapped = args == null ? null : args.clone();
        if (unwrapped != null) {
            for (int i = 0; i < unwrapped.length; i++) {
                if (unwrapped[i] instanceof Tensor t) {
                    if (!(t.storage() instanceof SimStorage s)) {
                        throw new IllegalArgumentException(m.getName() + ": argument " + i + " (" + t
                                + ") is in host memory; the simulated device computes only on its own tensors");
                    }
                    unwrapped[i] = Tensor.wrap(s.array, t.shape());
                }
            }
        }
        try {
            return m.invoke(cpu, unwrapped);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void copy(Tensor src, Tensor dst) {
        if (src.size() != dst.size()) {
            throw new IllegalArgumentException("copy: sizes differ");
        }
        if (src.storage() instanceof SimStorage s && dst.storage() instanceof SimStorage d) {
            System.arraycopy(s.array, 0, d.array, 0, s.array.length);
        } else if (src.isHost()) {
            dst.copyFromHost(src.data());
        } else {
            src.storage().read(0, dst.data(), 0, dst.size());
        }
    }
}
