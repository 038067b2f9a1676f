package org.prune4j.backend.cuda;

import java.util.function.IntConsumer;
import jcuda.driver.CUevent;
import jcuda.driver.JCudaDriver;

/**
 * Device time of a piece of GPU work, with the host kept out of the window. Per timed sample:
 * a spin kernel is queued first (long enough to cover the host's enqueueing), then the start
 * event, {@code batch} back-to-back calls, the end event; the sample is the elapsed time over
 * {@code batch}. The host's own cost per call (building nothing, only enqueueing) is measured
 * separately with the wall clock and reported beside the device time, not inside it. Events are
 * created once per timer.
 *
 * <p>Everything a call needs (descriptors, plans, workspaces, packed launch parameters) must be
 * built before {@link #measure}; the body only enqueues.
 */
final class DeviceTimer implements AutoCloseable {
    /**
     * Per-call device milliseconds per sample; the host's enqueueing time per call in
     * microseconds; the batch size; and whether the host ever took longer to enqueue a batch than
     * the spin covered (then the window may hold host gaps, and the time is an upper bound).
     */
    record Measurement(float[] ms, double hostUs, int batch, boolean hostBound, int calls) {
        /** The argument of the last call made, whose output a caller checks. */
        int lastCall() {
            return calls - 1;
        }
    }

    /** A batch runs at least this long on the device, so event resolution (about 0.5 us) is noise. */
    private static final double MIN_WINDOW_MS = 0.2;
    private static final int MAX_BATCH = 64;

    private final CudaDevice device;
    private final CUevent start = new CUevent();
    private final CUevent end = new CUevent();
    private final CudaDevice.Launch spinShort;

    DeviceTimer(CudaDevice device) {
        this.device = device;
        device.makeCurrent();
        Cuda.check(JCudaDriver.cuEventCreate(start, 0), "cuEventCreate");
        try {
            Cuda.check(JCudaDriver.cuEventCreate(end, 0), "cuEventCreate");
        } catch (RuntimeException e) {
            JCudaDriver.cuEventDestroy(start);
            throw e;
        }
        this.spinShort = device.prepare("p4j_spin", 1, 1, 32, 50_000L);
    }

    /**
     * Times {@code call} (its argument counts calls, for rotating buffers): {@code warmup} calls
     * untimed, one calibration sample to size the batch and the spin, then {@code runs} samples.
     */
    Measurement measure(IntConsumer call, int warmup, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("need at least one timed run, got " + runs);
        }
        device.makeCurrent();
        int counter = 0;
        for (int i = 0; i < warmup; i++) {
            call.accept(counter++);
        }
        device.synchronize();
        // calibration: one call behind a 50 us spin, to size the batch and the spin
        float one = sample(call, counter++, 1, spinShort);
        int batch = (int) Math.max(1, Math.min(MAX_BATCH, Math.ceil(MIN_WINDOW_MS / Math.max(one, 1e-4))));
        // the spin must outlast the host's enqueueing of a whole batch: four times the measured
        // enqueue cost, at least 50 us, at most 50 ms
        long spinNs = Math.max(50_000, Math.min(50_000_000, 4 * lastEnqueueNs * batch));
        CudaDevice.Launch spin = device.prepare("p4j_spin", 1, 1, 32, spinNs);
        float[] ms = new float[runs];
        long hostNs = 0;
        boolean hostBound = false;
        for (int r = 0; r < runs; r++) {
            ms[r] = sample(call, counter, batch, spin);
            counter += batch;
            hostNs += lastEnqueueNs;
            hostBound |= lastEnqueueNs > spinNs;
        }
        return new Measurement(ms, hostNs / 1e3 / ((double) runs * batch), batch, hostBound, counter);
    }

    private long lastEnqueueNs;

    /** One sample: spin, start, batch calls, end, wait; per-call milliseconds. */
    private float sample(IntConsumer call, int first, int batch, CudaDevice.Launch spin) {
        spin.enqueue();
        Cuda.check(JCudaDriver.cuEventRecord(start, device.stream()), "cuEventRecord");
        long h = System.nanoTime();
        for (int i = 0; i < batch; i++) {
            call.accept(first + i);
        }
        lastEnqueueNs = System.nanoTime() - h;
        Cuda.check(JCudaDriver.cuEventRecord(end, device.stream()), "cuEventRecord");
        Cuda.check(JCudaDriver.cuEventSynchronize(end), "cuEventSynchronize (a timed kernel may have faulted)");
        float[] ms = new float[1];
        Cuda.check(JCudaDriver.cuEventElapsedTime(ms, start, end), "cuEventElapsedTime");
        return ms[0] / batch;
    }

    @Override
    public void close() {
        JCudaDriver.cuEventDestroy(start);
        JCudaDriver.cuEventDestroy(end);
    }
}
