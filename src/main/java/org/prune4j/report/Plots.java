package org.prune4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Charts written as PNG, with an SVG copy beside each, without a display. */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Whether the SVG encoder's library is on the class path (XChart's optional VectorGraphics2D). */
    private static final boolean VECTOR = Plots.class.getClassLoader()
            .getResource("de/erichseifert/vectorgraphics2d/VectorGraphics2D.class") != null;

    private Plots() {
    }

    /** Whether SVG copies are written. */
    static boolean vector() {
        return VECTOR;
    }

    /**
     * Whether this runtime can draw: the GPU bundle's runtime leaves out java.desktop and the
     * charting jars to stay small, and its runs write results files only (plots can be drawn
     * later from results.json on any machine with the full build).
     */
    public static boolean available() {
        return ModuleLayer.boot().findModule("java.desktop").isPresent()
                && Plots.class.getClassLoader().getResource("org/knowm/xchart/XYChart.class") != null;
    }

    /**
     * A named line; {@code errors}, when not null, draws a shaded band of +- errors[i] around it
     * (an interval over seeds, say) in the line's colour.
     */
    public record Series(String name, double[] x, double[] y, double[] errors) {
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, null);
        }
    }

    /** The band's polygon {x, y}: (x, y + e) left to right, then (x, y - e) right to left. */
    static double[][] bandOutline(double[] x, double[] y, double[] e) {
        int n = x.length;
        double[] bx = new double[2 * n], by = new double[2 * n];
        for (int k = 0; k < n; k++) {
            bx[k] = x[k];
            by[k] = y[k] + e[k];
            bx[2 * n - 1 - k] = x[k];
            by[2 * n - 1 - k] = y[k] - e[k];
        }
        return new double[][] {bx, by};
    }

    /**
     * Writes a line chart; {@code logX} puts x on a logarithmic axis (times that span 16 ms to
     * 300 ms, say). The chart library's own log axis labels only powers of ten, which can leave
     * a chart one label; so x is drawn at log10(x) on a linear axis, labelled back in x.
     */
    public static void line(Path file, String title, String xLabel, String yLabel, List<Series> series, boolean logX) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(logX ? xLabel
                + ", log scale" : xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(6);
        if (logX) {
            chart.setCustomXAxisTickLabelsFormatter(Plots::powerOfTenLabel);
        }
        addLines(chart, series, s -> logX ? log10OfPositive(s) : s.x());
        save(chart, file);
    }

    private static double[] log10OfPositive(Series s) {
        double[] x = new double[s.x().length];
        for (int i = 0; i < x.length; i++) {
            if (!(s.x()[i] > 0 && Double.isFinite(s.x()[i]))) {
                throw new IllegalArgumentException(s.name() + ": a log axis needs positive x, got " + s.x()[i]);
            }
            x[i] = Math.log10(s.x()[i]);
        }
        return x;
    }

    /** 10^d to three significant digits: the x of a log-axis position d. */
    static String powerOfTenLabel(double d) {
        return new java.math.BigDecimal(Math.pow(10, d)).round(new java.math.MathContext(3)).stripTrailingZeros()
                .toPlainString();
    }

    /**
     * Adds each series as a line with circle markers at the x positions {@code position} gives,
     * its band first (so every line is drawn over every band), in the theme's colour for its
     * place in the list so the band matches its line.
     */
    private static void addLines(XYChart chart, List<Series> series, java.util.function.Function<Series, double[]> position) {
        java.awt.Color[] palette = chart.getStyler().getSeriesColors();
        List<Runnable> lines = new java.util.ArrayList<>();
        int i = 0;
        for (Series s : series) {
            if (s.x().length == 0) {
                continue;
            }
            double[] x = position.apply(s);
            java.awt.Color c = palette[i++ % palette.length];
            if (s.errors() != null) {
                band(chart, s, x, c);
            }
            lines.add(() -> {
                XYSeries xy = chart.addSeries(s.name(), x, s.y());
                xy.setMarker(SeriesMarkers.CIRCLE);
                xy.setLineColor(c);
                xy.setMarkerColor(c);
            });
        }
        lines.forEach(Runnable::run);
    }

    /** The closed outline y + e forwards, then y - e backwards, filled translucent and left out of the legend. */
    private static void band(XYChart chart, Series s, double[] x, java.awt.Color c) {
        double[][] outline = bandOutline(x, s.y(), s.errors());
        XYSeries b = chart.addSeries(s.name() + " (interval)", outline[0], outline[1]);
        b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        b.setFillColor(new java.awt.Color(c.getRed(), c.getGreen(), c.getBlue(), 48));
        b.setLineColor(new java.awt.Color(c.getRed(), c.getGreen(), c.getBlue(), 0));
        b.setMarker(SeriesMarkers.NONE);
        b.setShowInLegend(false);
    }

    /**
     * A heat map of {@code values[row][column]} (NaN cells left blank), rows labelled
     * {@code rows} from the top, in a colour scale from {@code min} to {@code max}.
     */
    public static void heatMap(Path file, String title, String xLabel, String yLabel, List<String> columns,
            List<String> rows, double[][] values, double min, double max) {
        org.knowm.xchart.HeatMapChart chart = new org.knowm.xchart.HeatMapChartBuilder().width(900)
                .height(160 + 60 * rows.size()).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setPlotContentSize(1);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setMin(min);
        chart.getStyler().setMax(max);
        chart.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(0xB2182B),
            new java.awt.Color(0xF7F7F7), new java.awt.Color(0x2166AC)});
        List<Number[]> cells = new java.util.ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                double v = values[r][c];
                if (!Double.isNaN(v)) {
                    // the chart draws its y axis upwards: the first row goes on top
                    cells.add(new Number[] {c, rows.size() - 1 - r, Math.round(v * 100) / 100.0});
                }
            }
        }
        List<String> bottomUp = new java.util.ArrayList<>(rows);
        java.util.Collections.reverse(bottomUp);
        chart.addSeries("heat", columns, bottomUp, cells);
        save(chart, file);
    }

    /**
     * A line chart against weights remaining (%), the way the pruning papers draw it: a log
     * axis running from dense on the left to sparse on the right, labelled in % remaining.
     * The x values are percentages in (0, 100]; they are drawn at log10(100 / x).
     */
    public static void lineAgainstWeightsRemaining(Path file, String title, String yLabel, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle("weights remaining (%), log scale").yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(6);
        chart.setCustomXAxisTickLabelsFormatter(Plots::remainingLabel);
        addLines(chart, series, s -> {
            double[] x = new double[s.x().length];
            for (int i = 0; i < x.length; i++) {
                if (!(s.x()[i] > 0 && s.x()[i] <= 100)) {
                    throw new IllegalArgumentException("weights remaining must be in (0, 100] %, got " + s.x()[i]);
                }
                x[i] = Math.log10(100 / s.x()[i]);
            }
            return x;
        });
        save(chart, file);
    }

    /** The % remaining at axis position d = log10(100 / remaining), to three significant digits. */
    static String remainingLabel(double d) {
        return powerOfTenLabel(2 - d);
    }

    /**
     * Grouped bars: one group per category (a layer), one bar per series (a round), each series
     * holding a value per category.
     */
    public static void bars(Path file, String title, String xLabel, String yLabel, List<String> categories,
            Map<String, double[]> series) {
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(900).height(560)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        series.forEach((name, values) -> {
            if (values.length != categories.size()) {
                throw new IllegalArgumentException(name + ": " + values.length + " values for " + categories.size()
                        + " categories");
            }
            chart.addSeries(name, categories, java.util.Arrays.stream(values).boxed().toList());
        });
        save(chart, file);
    }

    /** Points without lines on log-log axes, except series named "roofline...", drawn as lines. */
    public static void scatter(Path file, String title, String xLabel, String yLabel, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(5);
        for (Series raw : series) {
            Series s = positive(raw);
            if (s.x().length == 0) {
                continue;
            }
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            if (s.name().startsWith("roofline")) {
                xy.setMarker(SeriesMarkers.NONE);
            } else {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
        }
        save(chart, file);
    }

    /** Log axes cannot show zero or negative values (an all-pruned weight does no flops): drop them. */
    private static Series positive(Series s) {
        int n = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (s.x()[i] > 0 && s.y()[i] > 0 && Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                n++;
            }
        }
        double[] x = new double[n], y = new double[n];
        for (int i = 0, j = 0; i < s.x().length; i++) {
            if (s.x()[i] > 0 && s.y()[i] > 0 && Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                x[j] = s.x()[i];
                y[j++] = s.y()[i];
            }
        }
        return new Series(s.name(), x, y);
    }

    /**
     * Writes the chart as {@code file} (PNG) and beside it as SVG, the same name with
     * {@code .svg}: a vector copy for papers and pages that scale it.
     */
    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            if (!VECTOR) {
                return;
            }
            String name = file.getFileName().toString();
            Path svg = file.resolveSibling((name.endsWith(".png") ? name.substring(0, name.length() - 4) : name) + ".svg");
            org.knowm.xchart.VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(),
                    org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file + ": " + org.prune4j.guard.IoErrors.reason(e), e);
        }
    }

    static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static Series series(String name, Map<Double, Double> points) {
        return new Series(name, toArray(List.copyOf(points.keySet())), toArray(List.copyOf(points.values())));
    }
}
