package io.micromodels.plots;

import io.micromodels.explain.Check;
import io.micromodels.explain.PermutationImportance;
import io.micromodels.explain.ShapExplanation;
import io.micromodels.explain.ShapExplanations;
import io.micromodels.files.AtomicFiles;
import io.micromodels.text.Fmt;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.CategoryTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAnchor;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.IntervalBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.category.DefaultIntervalCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * PNG plots of explanations, drawn with JFreeChart (set {@code java.awt.headless=true} on a server: the command line
 * and the Java kernel do):
 * <ul>
 *   <li>{@link #permutationImportance}: bars of mean permutation importance with &plusmn;1 sd error bars;</li>
 *   <li>{@link #meanAbsShap}: bars of mean |SHAP value| per feature;</li>
 *   <li>{@link #summary}: the SHAP beeswarm, one row per feature (most important at the top),
 *       x = SHAP value, colour = the feature's value from low (blue) to high (red), grey where
 *       it has no numeric value (NaN, e.g. a categorical feature with an unordered decoder, or a
 *       missing cell), with jitter that spreads dense regions vertically and a colour legend;</li>
 *   <li>{@link #waterfall}: one row's path from the base value E[f(X)] to f(x), features sorted by
 *       |SHAP value| (largest at the top), red bars push the output up, blue bars down, each
 *       labelled "feature = value".</li>
 * </ul>
 * Every method has a {@code ...Figure} variant returning the chart with its suggested size.
 */
public final class ExplainPlots {

    /** Colour of positive SHAP contributions and high feature values (shap's red). */
    public static final Color RED = new Color(255, 0, 82);
    /** Colour of negative SHAP contributions and low feature values (shap's blue). */
    public static final Color BLUE = new Color(0, 139, 251);
    private static final Color GREY = new Color(150, 150, 150);
    private static final Color GRID = new Color(225, 225, 225);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font ITEM = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private ExplainPlots() {}

    /** A chart and the pixel size it is meant to be drawn at. */
    public record Figure(JFreeChart chart, int width, int height) {
        /** Writes the chart as a PNG (atomically, see {@link AtomicFiles}), creating parent directories; returns {@code png}. */
        public Path writePng(Path png) {
            try {
                // a temporary file renamed into place: a killed run never leaves a partial PNG under its name
                AtomicFiles.write(png, true, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
                return png;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + png, e);
            }
        }
    }

    // ---------------------------------------------------------------- permutation importance

    /** Writes the permutation importance bar chart with default options; returns {@code png}. */
    public static Path permutationImportance(PermutationImportance pi, Path png) {
        return permutationImportanceFigure(pi, PlotOptions.DEFAULTS).writePng(png);
    }

    /** Writes the permutation importance bar chart; returns {@code png}. */
    public static Path permutationImportance(PermutationImportance pi, Path png, PlotOptions options) {
        return permutationImportanceFigure(pi, options).writePng(png);
    }

    /** Horizontal bars of mean importance, most important at the top, with &plusmn;1 sd error bars. */
    public static Figure permutationImportanceFigure(PermutationImportance pi, PlotOptions options) {
        Check.notNull("pi", pi);
        Check.notNull("options", options);
        int[] order = pi.order();
        int shown = Math.min(options.maxFeatures(), order.length);
        double[] mean = pi.mean();
        double[] std = pi.std();
        int repeats = pi.losses()[0].length;
        DefaultStatisticalCategoryDataset ds = new DefaultStatisticalCategoryDataset();
        for (int k = 0; k < shown; k++) {
            int i = order[k];
            ds.add(mean[i], std[i], "importance", pi.featureNames().get(i));
        }
        StatisticalBarRenderer r = new StatisticalBarRenderer();
        styleBars(r, BLUE);
        r.setErrorIndicatorPaint(new Color(40, 40, 40));
        r.setErrorIndicatorStroke(new BasicStroke(1.5f));
        String axis = "Importance: worsening of " + pi.metric() + " when the feature is permuted";
        CategoryPlot plot = barPlot(ds, r, axis);
        double[] lows = new double[shown];
        double[] highs = new double[shown];
        double[] vals = new double[shown];
        String[] cats = new String[shown];
        for (int k = 0; k < shown; k++) {
            int i = order[k];
            cats[k] = pi.featureNames().get(i);
            vals[k] = mean[i];
            lows[k] = Math.min(mean[i] - std[i], 0);
            highs[k] = Math.max(mean[i] + std[i], 0);
        }
        valueLabels(plot, cats, vals, lows, highs, false);
        return barFigure("Permutation feature importance", plot, r, "baseline " + pi.metric() + " = "
                + Fmt.num(pi.baselineScore()) + "; mean"
                + (repeats > 1 ? " \u00b1 1 sd over " + repeats + " repeats" : " of 1 repeat"), shown, order.length, options);
    }

    // ---------------------------------------------------------------- mean |SHAP|

    /** Writes the mean |SHAP value| bar chart with default options; returns {@code png}. */
    public static Path meanAbsShap(ShapExplanations e, Path png) {
        return meanAbsShapFigure(e, PlotOptions.DEFAULTS).writePng(png);
    }

    /** Writes the mean |SHAP value| bar chart; returns {@code png}. */
    public static Path meanAbsShap(ShapExplanations e, Path png, PlotOptions options) {
        return meanAbsShapFigure(e, options).writePng(png);
    }

    /** Horizontal bars of mean |SHAP value| per feature, most important at the top. */
    public static Figure meanAbsShapFigure(ShapExplanations e, PlotOptions options) {
        Check.notNull("e", e);
        Check.notNull("options", options);
        double[] meanAbs = e.meanAbs();
        int[] order = descending(meanAbs);
        int shown = Math.min(options.maxFeatures(), order.length);
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (int k = 0; k < shown; k++) ds.addValue(meanAbs[order[k]], "mean |SHAP|", e.featureNames().get(order[k]));
        BarRenderer r = new BarRenderer();
        styleBars(r, BLUE);
        CategoryPlot plot = barPlot(ds, r, "mean |SHAP value| (average impact on model output)");
        String[] cats = new String[shown];
        double[] vals = new double[shown];
        double[] zeros = new double[shown];
        for (int k = 0; k < shown; k++) {
            cats[k] = e.featureNames().get(order[k]);
            vals[k] = meanAbs[order[k]];
        }
        valueLabels(plot, cats, vals, zeros, vals, false);
        return barFigure("SHAP feature importance", plot, r, "over " + e.size() + " explained rows; base value E[f(X)] = "
                + Fmt.num(e.get(0).baseValue()), shown, order.length, options);
    }

    /** Titles a horizontal bar plot of {@code shown} of {@code total} features and sizes it to its rows. */
    private static Figure barFigure(String title, CategoryPlot plot, BarRenderer r, String subtitle, int shown, int total,
                                    PlotOptions options) {
        JFreeChart chart = chart(title, plot);
        subtitle(chart, shown < total ? subtitle + "; " + notShown(total - shown) : subtitle);
        int height = options.height(shown, 170);
        r.setMaximumBarWidth(barWidth(options, height, 170));
        return new Figure(chart, options.width(), height);
    }

    // ---------------------------------------------------------------- beeswarm

    /** Writes the SHAP summary (beeswarm) plot with default options; returns {@code png}. */
    public static Path summary(ShapExplanations e, Path png) {
        return summaryFigure(e, PlotOptions.DEFAULTS).writePng(png);
    }

    /** Writes the SHAP summary (beeswarm) plot; returns {@code png}. */
    public static Path summary(ShapExplanations e, Path png, PlotOptions options) {
        return summaryFigure(e, options).writePng(png);
    }

    /**
     * The SHAP beeswarm: one row per feature (by mean |SHAP|, largest at the top), a point per
     * explained row at its SHAP value, coloured by the feature's value scaled between its 5th and
     * 95th percentile (blue low, red high, grey missing).
     */
    public static Figure summaryFigure(ShapExplanations e, PlotOptions options) {
        Check.notNull("e", e);
        Check.notNull("options", options);
        double[][] shap = e.values();
        double[][] fv = e.featureValues();
        int n = shap.length;
        double[] meanAbs = e.meanAbs();
        int[] order = descending(meanAbs);
        int shown = Math.min(options.maxFeatures(), order.length);
        String[] symbols = new String[shown];
        DefaultXYZDataset ds = new DefaultXYZDataset();
        SplittableRandom rng = new SplittableRandom(options.seed());
        double[][] series = new double[3][n * shown];
        int p = 0;
        for (int k = 0; k < shown; k++) {
            int f = order[k];
            int yRow = shown - 1 - k;                     // most important on top
            symbols[yRow] = e.featureNames().get(f);
            double[] xs = new double[n];
            double[] vals = new double[n];
            for (int i = 0; i < n; i++) { xs[i] = shap[i][f]; vals[i] = fv[i][f]; }
            double[] offsets = swarmOffsets(xs, 0.4, rng);
            double[] colour = colourScale(vals);
            for (int i = 0; i < n; i++) {
                series[0][p] = xs[i];
                series[1][p] = yRow + offsets[i];
                series[2][p] = colour[i];
                p++;
            }
        }
        ds.addSeries("shap", series);
        NumberAxis xAxis = new NumberAxis("SHAP value (impact on model output)");
        SymbolAxis yAxis = new SymbolAxis(null, symbols);
        yAxis.setGridBandsVisible(false);
        yAxis.setRange(-0.6, shown - 0.4);
        yAxis.setTickLabelFont(LABEL);
        xAxis.setLabelFont(LABEL);
        xAxis.setTickLabelFont(TICK);
        ValueScale scale = new ValueScale();
        XYShapeRenderer r = new XYShapeRenderer();
        r.setPaintScale(scale);
        double d = 7;
        r.setDefaultShape(new Ellipse2D.Double(-d / 2, -d / 2, d, d));
        r.setDrawOutlines(false);
        XYPlot plot = new XYPlot(ds, xAxis, yAxis, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setOutlineVisible(false);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        ValueMarker zero = new ValueMarker(0, GREY, new BasicStroke(1.2f));
        plot.addDomainMarker(zero);
        JFreeChart chart = chart("SHAP summary", plot);
        String sub = n + " explained rows; base value E[f(X)] = " + Fmt.num(e.get(0).baseValue());
        if (shown < order.length) sub += "; " + notShown(order.length - shown);
        boolean grey = false;
        for (int k = 0; k < p && !grey; k++) grey = Double.isNaN(series[2][k]);
        if (grey) sub += "; grey: no numeric value (categorical or missing)";
        subtitle(chart, sub);
        SymbolAxis legendAxis = new SymbolAxis("Feature value", new String[] {"Low", "High"});
        legendAxis.setRange(0, 1);
        legendAxis.setGridBandsVisible(false);
        legendAxis.setLabelFont(LABEL);
        legendAxis.setTickLabelFont(TICK);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        legend.setStripWidth(12);
        legend.setSubdivisionCount(100);
        legend.setMargin(new RectangleInsets(30, 12, 60, 8));
        legend.setPadding(new RectangleInsets(4, 4, 4, 4));
        chart.addSubtitle(legend);
        return new Figure(chart, options.width(), options.height(shown, 170));
    }

    // ---------------------------------------------------------------- waterfall

    /** Writes the waterfall plot of one explanation with default options; returns {@code png}. */
    public static Path waterfall(ShapExplanation e, Path png) {
        return waterfallFigure(e, PlotOptions.DEFAULTS).writePng(png);
    }

    /** Writes the waterfall plot of one explanation; returns {@code png}. */
    public static Path waterfall(ShapExplanation e, Path png, PlotOptions options) {
        return waterfallFigure(e, options).writePng(png);
    }

    /**
     * One row's waterfall: starting from the base value at the bottom, each bar adds one feature's
     * SHAP value, ending at f(x) at the top; features sorted by |SHAP value| (largest at the top),
     * beyond {@code maxFeatures - 1} summed into "N other features" at the bottom.
     */
    public static Figure waterfallFigure(ShapExplanation e, PlotOptions options) {
        Check.notNull("e", e);
        Check.notNull("options", options);
        int[] order = e.orderByMagnitude();
        double[] phi = e.values();
        int m = order.length;
        int shownFeatures = m <= options.maxFeatures() ? m : options.maxFeatures() - 1;
        int rows = shownFeatures + (shownFeatures < m ? 1 : 0);
        String[] labels = new String[rows];
        double[] contrib = new double[rows];
        for (int k = 0; k < shownFeatures; k++) {
            int f = order[k];
            labels[k] = e.featureNames().get(f) + " = " + e.featureValueLabels().get(f);
            contrib[k] = phi[f];
        }
        if (rows > shownFeatures) {
            double rest = 0;
            for (int k = shownFeatures; k < m; k++) rest += phi[order[k]];
            labels[rows - 1] = (m - shownFeatures) + " other features";
            contrib[rows - 1] = rest;
        }
        Number[][] starts = new Number[1][rows];
        Number[][] ends = new Number[1][rows];
        double cum = e.baseValue();
        for (int k = rows - 1; k >= 0; k--) {          // accumulate from the bottom row up
            starts[0][k] = cum;
            cum += contrib[k];
            ends[0][k] = cum;
        }
        DefaultIntervalCategoryDataset ds = new DefaultIntervalCategoryDataset(
                new Comparable[] {"SHAP"}, labels, starts, ends);
        IntervalBarRenderer r = new IntervalBarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return contrib[column] >= 0 ? RED : BLUE;
            }
        };
        styleBars(r, RED);
        NumberAxis valueAxis = new NumberAxis("Model output");
        valueAxis.setAutoRangeIncludesZero(false);
        double lo = Math.min(e.baseValue(), e.output());
        double hi = Math.max(e.baseValue(), e.output());
        for (int k = 0; k < rows; k++) {
            lo = Math.min(lo, Math.min(starts[0][k].doubleValue(), ends[0][k].doubleValue()));
            hi = Math.max(hi, Math.max(starts[0][k].doubleValue(), ends[0][k].doubleValue()));
        }
        double span = hi - lo > 0 ? hi - lo : Math.max(1e-3, Math.abs(hi) * 0.1);
        valueAxis.setRange(lo - 0.15 * span, hi + 0.15 * span);
        CategoryPlot plot = barPlot(ds, r, null);
        plot.setRangeAxis(valueAxis);
        styleValueAxis(valueAxis);
        CategoryAxis cat = plot.getDomainAxis();
        cat.setCategoryMargin(0.25);
        // Room above the top bar and below the bottom one for the f(x) and E[f(X)] marker labels.
        double edge = 0.7 / (rows + 1.4);
        cat.setLowerMargin(edge);
        cat.setUpperMargin(edge);
        double[] lows = new double[rows];
        double[] highs = new double[rows];
        for (int k = 0; k < rows; k++) {
            lows[k] = Math.min(starts[0][k].doubleValue(), ends[0][k].doubleValue());
            highs[k] = Math.max(starts[0][k].doubleValue(), ends[0][k].doubleValue());
        }
        valueLabels(plot, labels, contrib, lows, highs, true);
        double axisLo = valueAxis.getLowerBound();
        double axisSpan = valueAxis.getUpperBound() - axisLo;
        plot.addRangeMarker(marker(e.baseValue(), "E[f(X)] = " + Fmt.num(e.baseValue()), false,
                (e.baseValue() - axisLo) / axisSpan > 0.7));
        plot.addRangeMarker(marker(e.output(), "f(x) = " + Fmt.num(e.output()), true,
                (e.output() - axisLo) / axisSpan > 0.7));
        JFreeChart chart = chart("SHAP waterfall", plot);
        subtitle(chart, "from the base value E[f(X)] = " + Fmt.num(e.baseValue()) + " (bottom) to the model output f(x) = "
                + Fmt.num(e.output()) + " (top); red raises, blue lowers the output");
        int height = options.height(rows, 190);
        r.setMaximumBarWidth(barWidth(options, height, 190));
        return new Figure(chart, options.width(), height);
    }

    // ---------------------------------------------------------------- output name

    /**
     * Names the explained output in {@code figure}'s value axis, e.g. "P(class = bad)" or
     * "progression" instead of "model output" (SHAP bars, summary and waterfall figures; other
     * figures are left as they are). Changes the figure's chart; returns {@code figure}.
     */
    public static Figure withOutputName(Figure figure, String outputName) {
        Check.notNull("figure", figure);
        Check.notNull("outputName", outputName);
        org.jfree.chart.plot.Plot plot = figure.chart().getPlot();
        if (plot instanceof CategoryPlot cp) {
            relabel(cp.getRangeAxis(), outputName);
        } else if (plot instanceof XYPlot xp) {
            relabel(xp.getDomainAxis(), outputName);
        }
        return figure;
    }

    private static void relabel(org.jfree.chart.axis.Axis axis, String outputName) {
        String label = axis == null ? null : axis.getLabel();
        if (label == null) return;
        axis.setLabel(label.equals("Model output") ? outputName : label.replace("model output", outputName));
    }

    // ---------------------------------------------------------------- helpers

    private static String notShown(int n) {
        return n + " less important feature" + (n == 1 ? "" : "s") + " not shown";
    }

    // ---------------------------------------------------------------- reliability diagram

    /**
     * A reliability diagram: mean predicted probability (x) against the observed share of positives (y) per bin,
     * with the diagonal of perfect calibration.
     *
     * @param rows     {@code [bins][5]}: lower, upper, mean predicted, observed frequency, count (as
     *                 {@code Scores.reliability} returns them)
     * @param subtitle e.g. the split and the Brier score
     */
    public static Figure reliabilityFigure(double[][] rows, String subtitle) {
        Check.notNull("rows", rows);
        org.jfree.data.xy.XYSeries observed = new org.jfree.data.xy.XYSeries("observed");
        for (double[] r : rows) observed.add(r[2], r[3]);
        org.jfree.data.xy.XYSeries diagonal = new org.jfree.data.xy.XYSeries("perfectly calibrated");
        diagonal.add(0, 0);
        diagonal.add(1, 1);
        org.jfree.data.xy.XYSeriesCollection ds = new org.jfree.data.xy.XYSeriesCollection();
        ds.addSeries(observed);
        ds.addSeries(diagonal);
        NumberAxis x = new NumberAxis("Mean predicted probability");
        NumberAxis y = new NumberAxis("Observed frequency of the positive class");
        for (NumberAxis a : new NumberAxis[] {x, y}) {
            a.setRange(0, 1);
            a.setLabelFont(LABEL);
            a.setTickLabelFont(TICK);
        }
        org.jfree.chart.renderer.xy.XYLineAndShapeRenderer r = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer();
        r.setSeriesPaint(0, BLUE);
        r.setSeriesStroke(0, new BasicStroke(2f));
        r.setSeriesPaint(1, GREY);
        r.setSeriesShapesVisible(1, false);
        r.setSeriesStroke(1, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        XYPlot plot = new XYPlot(ds, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlineVisible(false);
        JFreeChart chart = chart("Reliability diagram", plot);
        subtitle(chart, subtitle);
        return new Figure(chart, 640, 600);
    }

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        return chart;
    }

    private static void subtitle(JFreeChart chart, String text) {
        TextTitle t = new TextTitle(text, SUBTITLE);
        t.setPaint(new Color(80, 80, 80));
        t.setPadding(new RectangleInsets(2, 4, 10, 4));
        chart.addSubtitle(t);
    }

    private static void styleBars(BarRenderer r, Color colour) {
        r.setSeriesPaint(0, colour);
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setItemMargin(0);
    }

    /** Bars about 0.65 of a feature row thick, as a fraction of the plot area (about height - extra px). */
    private static double barWidth(PlotOptions options, int height, int extra) {
        return Math.min(1.0, 0.65 * options.rowHeight() / Math.max(1.0, height - extra + 10));
    }

    private static CategoryPlot barPlot(org.jfree.data.category.CategoryDataset ds, BarRenderer r, String valueLabel) {
        CategoryAxis cat = new CategoryAxis(null);
        cat.setTickLabelFont(LABEL);
        cat.setMaximumCategoryLabelWidthRatio(0.45f);
        cat.setCategoryMargin(0.3);
        cat.setLowerMargin(0.02);
        cat.setUpperMargin(0.02);
        NumberAxis val = new NumberAxis(valueLabel);
        styleValueAxis(val);
        val.setUpperMargin(0.18);
        val.setLowerMargin(0.15);   // room for labels of negative bars; zero stays the edge otherwise
        CategoryPlot plot = new CategoryPlot(ds, cat, val, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlineVisible(false);
        plot.setRangeZeroBaselineVisible(true);
        plot.setRangeZeroBaselinePaint(GREY);
        return plot;
    }

    private static void styleValueAxis(NumberAxis axis) {
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(TICK);
    }

    /** A dashed vertical line labelled at its top or bottom end, the text left of the line if {@code textLeft}. */
    private static ValueMarker marker(double value, String label, boolean top, boolean textLeft) {
        ValueMarker mk = new ValueMarker(value, GREY, new BasicStroke(1.2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        mk.setLabel(label);
        mk.setLabelFont(ITEM);
        mk.setLabelPaint(new Color(60, 60, 60));
        mk.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        mk.setLabelOffset(new RectangleInsets(2, 4, 2, 4));
        if (textLeft) {
            mk.setLabelAnchor(top ? RectangleAnchor.TOP_LEFT : RectangleAnchor.BOTTOM_LEFT);
            mk.setLabelTextAnchor(top ? TextAnchor.TOP_RIGHT : TextAnchor.BOTTOM_RIGHT);
        } else {
            mk.setLabelAnchor(top ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.BOTTOM_RIGHT);
            mk.setLabelTextAnchor(top ? TextAnchor.TOP_LEFT : TextAnchor.BOTTOM_LEFT);
        }
        return mk;
    }

    /**
     * Labels each bar with its value, just past the bar's far end: right of {@code highs[k]} for a
     * non-negative value, left of {@code lows[k]} for a negative one. All labels of a chart share one
     * number of decimals: three significant digits of the largest |value|.
     */
    private static void valueLabels(CategoryPlot plot, String[] categories, double[] values, double[] lows,
                                    double[] highs, boolean signed) {
        DecimalFormat f = labelFormat(values);
        for (int k = 0; k < categories.length; k++) {
            double v = values[k];
            String text = f.format(v);
            if (text.matches("-?0([.,]0*)?")) text = "0";
            else if (signed && v > 0) text = "+" + text;
            boolean right = v >= 0;
            CategoryTextAnnotation a = new CategoryTextAnnotation(right ? "  " + text : text + "  ", categories[k],
                    right ? highs[k] : lows[k]);
            a.setFont(ITEM);
            a.setPaint(new Color(30, 30, 30));
            a.setCategoryAnchor(CategoryAnchor.MIDDLE);
            a.setTextAnchor(right ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT);
            plot.addAnnotation(a);
        }
    }

    static DecimalFormat labelFormat(double[] values) {
        double max = 0;
        for (double v : values) if (Double.isFinite(v)) max = Math.max(max, Math.abs(v));
        int decimals = max == 0 ? 0 : Math.max(0, Math.min(8, 2 - (int) Math.floor(Math.log10(max))));
        String pattern = decimals == 0 ? "0" : "0." + "0".repeat(decimals);
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    private static int[] descending(double[] v) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < v.length; i++) idx.add(i);
        idx.sort((a, b) -> Double.compare(v[b], v[a]));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Vertical offsets (within &plusmn;{@code maxOffset}) that stack points of similar x in layers
     * alternating above and below the row's centre line, as the shap beeswarm does: x is cut into
     * 100 bins and the k-th point of a bin (in seeded random order) goes to layer ceil(k/2) on
     * alternating sides; a small seeded uniform jitter separates identical points within a layer.
     */
    static double[] swarmOffsets(double[] x, double maxOffset, SplittableRandom rng) {
        int n = x.length;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        int nbins = 100;
        int[] bin = new int[n];
        double[] key = new double[n];
        for (int i = 0; i < n; i++) {
            bin[i] = (int) Math.round(nbins * (x[i] - lo) / (hi - lo + 1e-12));
            key[i] = bin[i] + rng.nextDouble() * 0.5;   // random order within a bin
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(key[a], key[b]));
        double[] layers = new double[n];
        int layer = 0;
        int lastBin = Integer.MIN_VALUE;
        double maxLayer = 0;
        for (int i : idx) {
            if (bin[i] != lastBin) layer = 0;
            double l = Math.ceil(layer / 2.0) * ((layer % 2) * 2 - 1);
            layers[i] = l;
            maxLayer = Math.max(maxLayer, Math.abs(l));
            layer++;
            lastBin = bin[i];
        }
        double scale = maxOffset / (maxLayer + 1);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = (layers[i] + (rng.nextDouble() - 0.5) * 0.6) * scale;
        return out;
    }

    /**
     * Feature values mapped to [0, 1] for colouring: clipped to their 5th-95th percentile (1st-99th,
     * then min-max, when those coincide); NaN stays NaN; a constant feature maps to 0.5.
     */
    static double[] colourScale(double[] values) {
        double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double[] out = new double[values.length];
        if (finite.length == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        double vmin = percentile(finite, 5);
        double vmax = percentile(finite, 95);
        if (vmin == vmax) { vmin = percentile(finite, 1); vmax = percentile(finite, 99); }
        if (vmin == vmax) { vmin = finite[0]; vmax = finite[finite.length - 1]; }
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) out[i] = Double.NaN;
            else if (vmax == vmin) out[i] = 0.5;
            else out[i] = (Math.min(Math.max(v, vmin), vmax) - vmin) / (vmax - vmin);
        }
        return out;
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q / 100 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    /** Blue (0) through purple to red (1); grey for NaN. */
    static final class ValueScale implements PaintScale, java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private static final Color MID = new Color(138, 0, 220);

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            if (Double.isNaN(value)) return GREY;
            double t = Math.min(Math.max(value, 0), 1);
            return t < 0.5 ? mix(BLUE, MID, t * 2) : mix(MID, RED, (t - 0.5) * 2);
        }

        private static Color mix(Color a, Color b, double t) {
            return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                    (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                    (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
        }
    }
}
