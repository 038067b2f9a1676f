package org.prune4j.guard;

import java.util.Locale;

/**
 * Checks a size against the Java heap before allocating it, so a file that declares a huge
 * matrix, or a data set larger than the heap, fails with the size asked for and the fix instead
 * of an {@link OutOfMemoryError} stack trace half-way through.
 */
public final class HostMemory {
    /** How the launcher is told to give the JVM more heap. */
    public static final String FIX = "give Java more heap with PRUNE4J_JAVA_OPTS=-Xmx<size> (the launcher's default"
            + " is -Xmx8g)";

    private HostMemory() {
    }

    /** Thrown when an allocation would not fit; the message names what, how much, and the fix. */
    public static final class TooLarge extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final long bytes;

        TooLarge(String message, long bytes) {
            super(message);
            this.bytes = bytes;
        }

        /** The size that was asked for. */
        public long bytes() {
            return bytes;
        }
    }

    /** Bytes the heap may still grow to hold: the maximum heap less what is in use now. */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Throws {@link TooLarge} when {@code bytes} cannot fit in the heap even after a collection.
     * {@code what} says what it is for ("the row offsets of FILE").
     */
    public static void require(long bytes, String what) {
        if (bytes < 0) {
            throw new TooLarge(what + " needs more than 2^63 bytes", Long.MAX_VALUE);
        }
        if (bytes <= available()) {
            return;
        }
        System.gc(); // what looks used may be garbage; only a collection tells
        if (bytes > available()) {
            throw new TooLarge(what + " needs " + size(bytes) + " of memory but this JVM can hold "
                    + size(Runtime.getRuntime().maxMemory()) + " in all (" + size(Math.max(0, available()))
                    + " free); " + FIX, bytes);
        }
    }

    /**
     * As {@link #require} for one Java array of {@code count} elements: also refuses more than
     * a Java array can hold (2^31 - 1), whatever the heap.
     */
    public static void requireArray(long count, long bytesEach, String what) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new TooLarge(what + " has " + count + " elements, more than one Java array holds (2^31 - 1); "
                    + "work on it in parts or keep it sparse", bytes(count, bytesEach));
        }
        require(bytes(count, bytesEach), what);
    }

    /** {@code count} elements of {@code bytesEach} bytes, saturating instead of overflowing. */
    public static long bytes(long count, long bytesEach) {
        try {
            return Math.multiplyExact(Math.max(0, count), bytesEach);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A byte count as "1.5 GiB". */
    public static String size(long bytes) {
        if (bytes >= Long.MAX_VALUE / 2) {
            return "more than 4 EiB";
        }
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** One line for an {@link OutOfMemoryError} that escaped every check. */
    public static String outOfMemory(OutOfMemoryError e, String doing) {
        String detail = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
        return "out of memory" + detail + (doing == null ? "" : " while " + doing) + ": this JVM can hold "
                + size(Runtime.getRuntime().maxMemory()) + "; " + FIX;
    }
}
