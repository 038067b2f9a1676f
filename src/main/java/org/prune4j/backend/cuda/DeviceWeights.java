package org.prune4j.backend.cuda;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Weights on the device, uploaded once per host weight and variant (format, precision, kernel,
 * transpose) and reused by every later call, instead of being copied over PCIe on each product.
 * Keyed by the identity of the host object: sparse matrices are immutable (their arrays are
 * documented "shared, read-only", and new values make a new matrix), so identity is enough. An
 * entry goes when its weight is garbage-collected, when the least recently used entries exceed
 * the byte budget, or on {@link #close()}.
 *
 * <p>A call must use the resident it got before asking for another: asking may evict (a call
 * that needs several device arrays of one weight gets them as one {@link Resident}).
 */
final class DeviceWeights implements AutoCloseable {

    /** Device data of one weight in one variant. */
    interface Resident extends AutoCloseable {
        long bytes();

        @Override
        void close();
    }

    /** A weak identity key: equal only to a key of the same live object and an equal variant. */
    private static final class Key extends WeakReference<Object> {
        private final int hash;
        private final Object variant;

        Key(Object weight, Object variant, ReferenceQueue<Object> queue) {
            super(weight, queue);
            this.hash = System.identityHashCode(weight) * 31 + variant.hashCode();
            this.variant = variant;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Key k) || k.hash != hash || !variant.equals(k.variant)) {
                return false;
            }
            Object mine = get();
            return mine != null && mine == k.get();
        }
    }

    private final long budgetBytes;
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final LinkedHashMap<Key, Resident> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long uploads;

    DeviceWeights(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The resident form of {@code weight} in {@code variant}, uploading it the first time. */
    @SuppressWarnings("unchecked")
    synchronized <T extends Resident> T get(Object weight, Object variant, Supplier<T> upload) {
        purgeCollected();
        Key probe = new Key(weight, variant, null);
        Resident r = entries.get(probe);
        if (r == null) {
            r = upload.get();
            uploads++;
            entries.put(new Key(weight, variant, collected), r);
            bytes += r.bytes();
            evictBeyondBudget(r);
        }
        Reference.reachabilityFence(weight);
        return (T) r;
    }

    /** Drops every variant of {@code weight} (for a caller that changed its values in place). */
    synchronized void forget(Object weight) {
        for (Iterator<Map.Entry<Key, Resident>> it = entries.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Resident> e = it.next();
            if (e.getKey().get() == weight) {
                it.remove();
                drop(e.getValue());
            }
        }
    }

    /** How many uploads have happened (a test checks that repeated calls do not upload again). */
    synchronized long uploads() {
        return uploads;
    }

    synchronized long residentBytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    private void purgeCollected() {
        for (Reference<?> ref; (ref = collected.poll()) != null;) {
            Resident r = entries.remove(ref);
            if (r != null) {
                drop(r);
            }
        }
    }

    private void evictBeyondBudget(Resident keep) {
        for (Iterator<Resident> it = entries.values().iterator(); bytes > budgetBytes && it.hasNext();) {
            Resident r = it.next();
            if (r != keep) {
                it.remove();
                drop(r);
            }
        }
    }

    private void drop(Resident r) {
        bytes -= r.bytes();
        r.close();
    }

    @Override
    public synchronized void close() {
        BestEffort release = new BestEffort("releasing cached device weights");
        for (Resident r : entries.values()) {
            release.run("weight", r::close);
        }
        entries.clear();
        bytes = 0;
        release.finish();
    }
}
