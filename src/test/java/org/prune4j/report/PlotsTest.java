package org.prune4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every chart comes as PNG and as SVG beside it. */
class PlotsTest {
    @TempDir
    Path dir;

    @Test
    void weightsRemainingRunFromDenseToSparseWithPercentLabels() throws Exception {
        // position d = log10(100 / remaining): 0 is dense, 1 is 10% left, 2 is 1% left
        assertEquals("100", Plots.remainingLabel(0));
        assertEquals("10", Plots.remainingLabel(1));
        assertEquals("31.6", Plots.remainingLabel(0.5));
        assertEquals("1", Plots.remainingLabel(2));
        assumeTrue(Plots.available(), "charting libraries not on the class path");
        Plots.lineAgainstWeightsRemaining(dir.resolve("acc.png"), "t", "accuracy", List.of(new Plots.Series("s",
                new double[] {100, 51.2, 10.7, 1.8}, new double[] {88, 89, 88.5, 85})));
        assertTrue(Files.exists(dir.resolve("acc.png")) && Files.exists(dir.resolve("acc.svg")));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Plots.lineAgainstWeightsRemaining(dir.resolve("bad.png"), "t", "y", List.of(new Plots.Series("s",
                        new double[] {0}, new double[] {1}))));
        assertTrue(e.getMessage().contains("(0, 100]"), e.getMessage());
    }

    @Test
    void aLogAxisIsLabelledInItsValues() throws Exception {
        // a log-axis position back to its value: 10^2, 10^1.5 = 31.62..., 10^-1
        assertEquals("100", Plots.powerOfTenLabel(2));
        assertEquals("31.6", Plots.powerOfTenLabel(1.5));
        assertEquals("0.1", Plots.powerOfTenLabel(-1));
        assumeTrue(Plots.available(), "charting libraries not on the class path");
        Plots.line(dir.resolve("pareto.png"), "t", "step (ms)", "accuracy", List.of(new Plots.Series("s",
                new double[] {16.4, 88.3, 283}, new double[] {88.5, 92, 91.4})), true);
        assertTrue(Files.exists(dir.resolve("pareto.png")));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Plots.line(dir.resolve("bad.png"), "t", "x", "y", List.of(new Plots.Series("s",
                        new double[] {0, 1}, new double[] {1, 2})), true));
        assertTrue(e.getMessage().contains("positive x"), e.getMessage());
    }

    @Test
    void anIntervalIsABandAroundItsLine() throws Exception {
        double[][] o = Plots.bandOutline(new double[] {1, 2, 3}, new double[] {10, 20, 30}, new double[] {1, 2, 0.5});
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 2, 3, 3, 2, 1}, o[0]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {11, 22, 30.5, 29.5, 18, 9}, o[1]);
        assumeTrue(Plots.available(), "charting libraries not on the class path");
        Plots.lineAgainstWeightsRemaining(dir.resolve("band.png"), "t", "accuracy", List.of(
                new Plots.Series("a", new double[] {100, 50, 10}, new double[] {88, 89, 88.5}, new double[] {0.3, 0.4, 0.5}),
                new Plots.Series("b", new double[] {100, 50, 10}, new double[] {87, 88, 87.5}, null)));
        String svg = Files.readString(dir.resolve("band.svg"));
        assertTrue(svg.contains("<svg"), "an SVG document");
        assertTrue(Files.size(dir.resolve("band.png")) > 0);
    }

    @Test
    void lineBarAndHeatMapChartsAreWrittenAsPngAndSvg() throws Exception {
        assumeTrue(Plots.available(), "charting libraries not on the class path");
        Plots.line(dir.resolve("line.png"), "t", "x", "y", List.of(new Plots.Series("s", new double[] {1, 2},
                new double[] {3, 4})), false);
        Plots.heatMap(dir.resolve("heat.png"), "t", "x", "y", List.of("a", "b"), List.of("r1", "r2"),
                new double[][] {{1, 2}, {3, Double.NaN}}, 0, 4);
        Plots.bars(dir.resolve("bars.png"), "t", "layer", "kept (%)", List.of("fc1", "fc2"),
                new java.util.LinkedHashMap<>(java.util.Map.of("round 0", new double[] {100, 100})));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Plots.bars(
                dir.resolve("bad.png"), "t", "x", "y", List.of("a", "b"), java.util.Map.of("r", new double[] {1})));
        assertTrue(e.getMessage().contains("1 values for 2 categories"), e.getMessage());
        for (String name : new String[] {"line", "heat", "bars"}) {
            byte[] png = Files.readAllBytes(dir.resolve(name + ".png"));
            assertTrue(png.length > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', name + ".png is a PNG");
            String svg = Files.readString(dir.resolve(name + ".svg"));
            assertTrue(svg.contains("<svg"), name + ".svg is an SVG document");
        }
    }
}
