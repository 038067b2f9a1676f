package org.prune4j.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.incubator.vector.FloatVector;

/**
 * What the CPU can do, for doctor and for peak-fraction figures. The peak follows the
 * textbook formula cores x float lanes x 2 (an FMA is two flops) x clock; it assumes one FMA
 * per lane per cycle, so on cores with two FMA pipes the true peak is higher, and on cores that
 * split 512-bit vectors in two (AMD Zen 4) it is the same as for 256-bit vectors with two pipes.
 */
public record CpuInfo(String model, int cores, int floatLanes, int vectorBits, double clockGHz, String clockSource) {

    public static CpuInfo probe() {
        String model = "unknown";
        double mhz = 0;
        String source = "unknown";
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("model name") && model.equals("unknown")) {
                    model = l.substring(l.indexOf(':') + 1).trim();
                }
                if (l.startsWith("cpu MHz") && mhz == 0) {
                    mhz = Double.parseDouble(l.substring(l.indexOf(':') + 1).trim());
                    source = "/proc/cpuinfo cpu MHz";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux or unreadable: leave the defaults, doctor prints "unknown".
        }
        try {
            String max = Files.readString(Path.of("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")).trim();
            mhz = Long.parseLong(max) / 1000.0;
            source = "cpufreq max";
        } catch (IOException | NumberFormatException e) {
            // Virtual machines often have no cpufreq; /proc/cpuinfo's figure stands.
        }
        var s = FloatVector.SPECIES_PREFERRED;
        return new CpuInfo(model, Runtime.getRuntime().availableProcessors(), s.length(), s.vectorBitSize(),
                mhz / 1000.0, source);
    }

    /** Peak single-precision GFLOP/s by the formula in the class comment. */
    public double peakGflops() {
        return cores * floatLanes * 2.0 * clockGHz;
    }
}
