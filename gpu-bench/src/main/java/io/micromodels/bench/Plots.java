package io.micromodels.bench;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;

/**
 * PNG line charts with logarithmic axes, one series per implementation, through JFreeChart.
 *
 * <pre>{@code
 * Plots.logLog(dir.resolve("throughput-vs-batch.png"), "Training throughput, 10-32-32-2",
 *         "batch size", "samples / s", 2,
 *         List.of(new Plots.Series("DL4J default", xs, ys)), false);
 * }</pre>
 */
public final class Plots {

    /** Series colours in order: blue, green, orange, purple, then greys. */
    private static final Color[] COLORS = {
            new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xd62728), new Color(0x7f7f7f)};

    private Plots() {
    }

    /**
     * One line of a chart; points with non-positive values are dropped (log axes).
     *
     * @param name legend label
     * @param x    x values
     * @param y    y values, same length
     */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("x and y differ in length");
        }
    }

    /**
     * Writes a log-log line chart (900x560 PNG).
     *
     * @param xBase base of the x axis ticks: 2 for batch sizes and widths, 10 otherwise
     * @param force replace an existing file
     * @return the file
     */
    public static Path logLog(Path file, String title, String xLabel, String yLabel, int xBase,
                              List<Series> series, boolean force) throws IOException {
        return logLog(file, title, "", xLabel, yLabel, xBase, series, force);
    }

    /**
     * Writes a log-log line chart (900x560 PNG) with a subtitle (e.g. machine and date).
     *
     * @param subtitle smaller line under the title, empty for none
     * @param xBase    base of the x axis ticks: 2 for batch sizes and widths, 10 otherwise
     * @param force    replace an existing file
     * @return the file
     */
    public static Path logLog(Path file, String title, String subtitle, String xLabel, String yLabel, int xBase,
                              List<Series> series, boolean force) throws IOException {
        System.setProperty("java.awt.headless", "true");
        OutputFiles.checkFree(file, force);
        XYSeriesCollection data = new XYSeriesCollection();
        double yMin = Double.MAX_VALUE, yMax = 0, xMin = Double.MAX_VALUE, xMax = 0;
        for (Series s : series) {
            XYSeries xs = new XYSeries(s.name(), true, false);
            for (int i = 0; i < s.x().length; i++) {
                if (s.x()[i] > 0 && s.y()[i] > 0 && Double.isFinite(s.y()[i])) {
                    xs.add(s.x()[i], s.y()[i]);
                    yMin = Math.min(yMin, s.y()[i]);
                    yMax = Math.max(yMax, s.y()[i]);
                    xMin = Math.min(xMin, s.x()[i]);
                    xMax = Math.max(xMax, s.x()[i]);
                }
            }
            if (xs.getItemCount() > 0) data.addSeries(xs);
        }
        if (data.getSeriesCount() == 0) throw new IllegalArgumentException("nothing to plot in " + file);

        LogAxis x = new LogAxis(xLabel);
        x.setBase(xBase);
        x.setTickUnit(new NumberTickUnit(1));        // one tick per power of the base
        x.setNumberFormatOverride(new DecimalFormat("0"));
        x.setMinorTickMarksVisible(false);
        x.setRange(xMin / Math.pow(xBase, 0.25), xMax * Math.pow(xBase, 0.25));
        LogAxis y = new LogAxis(yLabel);
        y.setBase(10);
        y.setTickUnit(new NumberTickUnit(1));
        y.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        y.setMinorTickCount(9);
        y.setMinorTickMarksVisible(true);
        double lo = Math.pow(10, Math.floor(Math.log10(yMin)));
        double hi = Math.pow(10, Math.ceil(Math.log10(yMax)));
        if (hi <= lo * 10) hi = lo * 100;
        y.setRange(lo, hi);
        Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        for (LogAxis a : List.of(x, y)) {
            a.setTickLabelFont(tick);
            a.setLabelFont(label);
        }

        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            Color c = COLORS[Math.min(i, COLORS.length - 1)];
            r.setSeriesPaint(i, c);
            r.setSeriesStroke(i, new BasicStroke(2.2f));
            r.setSeriesShape(i, i % 2 == 0 ? new Ellipse2D.Double(-4, -4, 8, 8) : new Rectangle2D.Double(-4, -4, 8, 8));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xd0d0d0));
        plot.setRangeGridlinePaint(new Color(0xd0d0d0));
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (subtitle != null && !subtitle.isEmpty()) {
            TextTitle sub = new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            sub.setPaint(new Color(0x555555));
            chart.addSubtitle(0, sub);
        }
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 14));
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 560);
        return file;
    }
}
