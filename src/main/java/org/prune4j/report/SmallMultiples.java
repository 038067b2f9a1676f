package org.prune4j.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One small chart per panel in a grid, all on the same y range so panels compare at a glance:
 * a run's fifteen training curves become fifteen readable frames instead of fifteen lines in
 * one. Written as PNG and, where the vector encoder is present, as one SVG holding each panel's
 * SVG at its place.
 */
public final class SmallMultiples {
    private static final int WIDTH = 360;
    private static final int HEIGHT = 260;

    /** One frame: its title and its lines. */
    public record Panel(String title, List<Plots.Series> series) {
    }

    private SmallMultiples() {
    }

    /**
     * Panels in rows of {@code columns}; every panel shares {@code yLabel} and the y range of all
     * of them. {@code falling} puts the legend top right, out of the way of curves that fall
     * (losses), else bottom right (accuracies).
     */
    public static void write(Path file, String xLabel, String yLabel, List<Panel> panels, int columns,
            boolean falling) {
        if (panels.isEmpty()) {
            return;
        }
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Panel p : panels) {
            for (Plots.Series s : p.series()) {
                for (double v : s.y()) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (!(lo <= hi)) {
            return;
        }
        double pad = hi > lo ? 0.05 * (hi - lo) : Math.max(1e-3, Math.abs(hi) * 0.05);
        int cols = Math.min(columns, panels.size()), rows = (panels.size() + cols - 1) / cols;
        BufferedImage all = new BufferedImage(cols * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        StringBuilder svg = new StringBuilder();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            for (int i = 0; i < panels.size(); i++) {
                XYChart chart = chart(panels.get(i), xLabel, i % cols == 0 ? yLabel : "", lo - pad, hi + pad, falling);
                int x = (i % cols) * WIDTH, y = (i / cols) * HEIGHT;
                g.drawImage(BitmapEncoder.getBufferedImage(chart), x, y, null);
                if (Plots.vector()) {
                    svg.append(panelSvg(chart, file, x, y));
                }
            }
            g.dispose();
            javax.imageio.ImageIO.write(all, "png", file.toFile());
            if (Plots.vector()) {
                String name = file.getFileName().toString().replaceFirst("\\.png$", "");
                Files.writeString(file.resolveSibling(name + ".svg"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + all.getWidth() + "\" height=\""
                        + all.getHeight() + "\" viewBox=\"0 0 " + all.getWidth() + " " + all.getHeight() + "\">\n"
                        + svg + "</svg>\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file + ": " + org.prune4j.guard.IoErrors.reason(e), e);
        }
    }

    private static XYChart chart(Panel p, String xLabel, String yLabel, double yMin, double yMax, boolean falling) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(p.title()).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        c.getStyler().setYAxisMin(yMin);
        c.getStyler().setYAxisMax(yMax);
        c.getStyler().setLegendPosition(falling ? org.knowm.xchart.style.Styler.LegendPosition.InsideNE
                : org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        c.getStyler().setMarkerSize(3);
        for (Plots.Series s : p.series()) {
            if (s.x().length > 0) {
                XYSeries xy = c.addSeries(s.name(), s.x(), s.y());
                xy.setMarker(SeriesMarkers.NONE);
            }
        }
        return c;
    }

    /** The panel's own SVG document, moved to (x, y) as a nested svg element in a translated group. */
    private static String panelSvg(XYChart chart, Path file, int x, int y) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".panel", ".svg");
        try {
            org.knowm.xchart.VectorGraphicsEncoder.saveVectorGraphic(chart, tmp.toString(),
                    org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            String s = Files.readString(tmp, StandardCharsets.UTF_8);
            int start = s.indexOf("<svg");
            if (start < 0) {
                throw new IOException("the vector encoder wrote no <svg> element");
            }
            return "<g transform=\"translate(" + x + " " + y + ")\">\n" + s.substring(start).strip() + "\n</g>\n";
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
