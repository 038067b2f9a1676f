package org.prune4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device-weight cache's bookkeeping, with stand-in residents (no GPU). */
class DeviceWeightsTest {

    /** A resident that records whether it was closed. */
    static final class Fake implements DeviceWeights.Resident {
        final long bytes;
        boolean closed;

        Fake(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aWeightIsUploadedOncePerVariantAndIdentityNotEquality() {
        DeviceWeights w = new DeviceWeights(1 << 20);
        List<String> a = new ArrayList<>(List.of("same")), b = new ArrayList<>(List.of("same"));
        Fake first = w.get(a, "csr-f32", () -> new Fake(100));
        for (int i = 0; i < 5; i++) {
            assertSame(first, w.get(a, "csr-f32", () -> new Fake(100)));
        }
        assertEquals(1, w.uploads());
        Fake half = w.get(a, "csr-BF16", () -> new Fake(50));
        assertEquals(2, w.uploads(), "another variant of the same weight is another upload");
        Fake other = w.get(b, "csr-f32", () -> new Fake(100));
        assertEquals(3, w.uploads(), "an equal but distinct weight is its own entry");
        assertFalse(first == other || first == half);
        assertEquals(250, w.residentBytes());
    }

    @Test
    void theLeastRecentlyUsedGoPastTheBudgetButNeverTheOneJustAsked() {
        DeviceWeights w = new DeviceWeights(250);
        Object x = new Object(), y = new Object(), z = new Object();
        Fake fx = w.get(x, "v", () -> new Fake(100));
        Fake fy = w.get(y, "v", () -> new Fake(100));
        w.get(x, "v", () -> new Fake(100)); // x is now the most recent
        Fake fz = w.get(z, "v", () -> new Fake(100));
        assertTrue(fy.closed, "y was the least recently used");
        assertFalse(fx.closed || fz.closed);
        Fake huge = w.get(new Object(), "v", () -> new Fake(1000));
        assertFalse(huge.closed, "one entry larger than the budget still stays while it is in use");
        assertTrue(fx.closed && fz.closed);
    }

    @Test
    void forgetAndCloseReleaseTheirEntries() {
        DeviceWeights w = new DeviceWeights(1 << 20);
        Object x = new Object(), y = new Object();
        Fake a = w.get(x, "one", () -> new Fake(10)), b = w.get(x, "two", () -> new Fake(10));
        Fake c = w.get(y, "one", () -> new Fake(10));
        w.forget(x);
        assertTrue(a.closed && b.closed);
        assertFalse(c.closed);
        assertEquals(10, w.residentBytes());
        w.close();
        assertTrue(c.closed);
        assertEquals(0, w.size());
    }

    @Test
    void aCollectedWeightsDeviceCopyIsReleased() throws InterruptedException {
        DeviceWeights w = new DeviceWeights(1 << 20);
        Fake f = upload(w);
        Object keep = new Object();
        for (int i = 0; i < 100 && !f.closed; i++) {
            System.gc();
            Thread.sleep(10);
            w.get(keep, "v", () -> new Fake(1)); // purging happens on the next request
        }
        assertTrue(f.closed, "the entry of a weight nothing refers to any more was closed");
    }

    private static Fake upload(DeviceWeights w) {
        return w.get(new Object(), "v", () -> new Fake(10));
    }
}
