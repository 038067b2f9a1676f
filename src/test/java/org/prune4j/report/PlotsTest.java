package org.prune4j.report;

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
    void aLineChartAndAHeatMapAreWrittenAsPngAndSvg() throws Exception {
        assumeTrue(Plots.available(), "charting libraries not on the class path");
        Plots.line(dir.resolve("line.png"), "t", "x", "y", List.of(new Plots.Series("s", new double[] {1, 2},
                new double[] {3, 4})), false);
        Plots.heatMap(dir.resolve("heat.png"), "t", "x", "y", List.of("a", "b"), List.of("r1", "r2"),
                new double[][] {{1, 2}, {3, Double.NaN}}, 0, 4);
        for (String name : new String[] {"line", "heat"}) {
            byte[] png = Files.readAllBytes(dir.resolve(name + ".png"));
            assertTrue(png.length > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', name + ".png is a PNG");
            String svg = Files.readString(dir.resolve(name + ".svg"));
            assertTrue(svg.contains("<svg"), name + ".svg is an SVG document");
        }
    }
}
