package io.micromodels.plots;

import io.micromodels.tune.SearchObjective;
import io.micromodels.tune.TrialRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG plots of a hyperparameter search, drawn with JFreeChart (headless on a server):
 * {@link #paretoFigure}, the Pareto front of a two-objective study ({@code tune --objectives auc,latency} writes it as
 * {@code pareto.png}): every complete trial as a grey point, the front's trials in blue joined in order of the second
 * objective, the picked trial ringed in red; x is the second objective (a log axis when its values span more than a
 * factor of 20), y the first (the primary metric).
 *
 * <pre>{@code
 * TunePlots.paretoFigure(study.trials(), study.paretoFront(), study.objectives(), picked.number(), "fastest-within 1%")
 *         .writePng(study.dir().resolve("pareto.png"));
 * }</pre>
 */
public final class TunePlots {
    private static final Color GREY = new Color(170, 170, 170);
    private static final Color GRID = new Color(225, 225, 225);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private TunePlots() {
    }

    /**
     * The Pareto front of a two-objective study.
     *
     * @param trials     the study's trials (those complete with both values finite are drawn)
     * @param front      the front's trials ({@code Study.paretoFront()})
     * @param objectives exactly two: y, then x
     * @param picked     the number of the picked trial (ringed), or 0 for none
     * @param rule       how it was picked, for the subtitle (e.g. {@code best})
     * @return the figure, 760 x 560 pixels
     */
    public static ExplainPlots.Figure paretoFigure(List<TrialRecord> trials, List<TrialRecord> front,
                                                   List<SearchObjective> objectives, int picked, String rule) {
        Objects.requireNonNull(trials, "trials");
        Objects.requireNonNull(front, "front");
        if (objectives == null || objectives.size() != 2) {
            throw new IllegalArgumentException("objectives must be two (y, then x), got " + objectives);
        }
        XYSeries all = new XYSeries("trials", false, true);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int drawn = 0;
        for (TrialRecord r : trials) {
            double[] v = r.values();
            if (r.complete() && v.length == 2 && Double.isFinite(v[0]) && Double.isFinite(v[1])) {
                all.add(v[1], v[0]);
                lo = Math.min(lo, v[1]);
                hi = Math.max(hi, v[1]);
                drawn++;
            }
        }
        XYSeries line = new XYSeries("Pareto front", false, true);
        front.stream().sorted(Comparator.comparingDouble((TrialRecord r) -> r.values()[1]))
                .forEach(r -> line.add(r.values()[1], r.values()[0]));
        XYSeries mark = new XYSeries("picked", false, true);
        for (TrialRecord r : front) {
            if (r.number() == picked) {
                mark.add(r.values()[1], r.values()[0]);
            }
        }
        XYSeriesCollection ds = new XYSeriesCollection();
        ds.addSeries(all);
        ds.addSeries(line);
        ds.addSeries(mark);
        SearchObjective y = objectives.get(0);
        SearchObjective x = objectives.get(1);
        String xLabel = axisLabel(x);
        ValueAxis xAxis;
        if (lo > 0 && hi / lo > 20) {
            LogAxis log = new LogAxis(xLabel + " (log scale)");
            log.setSmallestValue(lo / 2);
            log.setNumberFormatOverride(new java.text.DecimalFormat(lo >= 10 ? "#,##0" : "0.###",
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
            xAxis = log;
        } else {
            NumberAxis n = new NumberAxis(xLabel);
            n.setAutoRangeIncludesZero(false);
            xAxis = n;
        }
        NumberAxis yAxis = new NumberAxis(axisLabel(y));
        yAxis.setAutoRangeIncludesZero(false);
        for (ValueAxis a : new ValueAxis[] {xAxis, yAxis}) {
            a.setLabelFont(LABEL);
            a.setTickLabelFont(TICK);
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        r.setSeriesPaint(0, GREY);
        r.setSeriesLinesVisible(1, true);
        r.setSeriesStroke(1, new BasicStroke(2f));
        r.setSeriesShape(1, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
        r.setSeriesPaint(1, ExplainPlots.BLUE);
        r.setSeriesLinesVisible(2, false);
        r.setSeriesShape(2, new Rectangle2D.Double(-7, -7, 14, 14));
        r.setSeriesShapesFilled(2, false);
        r.setSeriesPaint(2, ExplainPlots.RED);
        r.setSeriesStroke(2, new BasicStroke(2f));
        XYPlot plot = new XYPlot(ds, xAxis, yAxis, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlineVisible(false);
        JFreeChart chart = new JFreeChart("Pareto front: " + y.name() + " against " + x.name(), TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        TextTitle t = new TextTitle(drawn + " complete trials, " + front.size() + " on the front"
                + (picked > 0 ? "; picked trial " + picked + " (" + rule + ")" : "") + "; "
                + (y.higherIsBetter() ? "higher" : "lower") + " " + y.name() + " and "
                + (x.higherIsBetter() ? "higher" : "lower") + " " + x.name() + " are better", SUBTITLE);
        t.setPaint(new Color(80, 80, 80));
        t.setPadding(new RectangleInsets(2, 4, 10, 4));
        chart.addSubtitle(t);
        return new ExplainPlots.Figure(chart, 760, 560);
    }

    private static String axisLabel(SearchObjective o) {
        return switch (o.name()) {
            case SearchObjective.LATENCY -> "Frozen latency, ns per row (single-row scoring)";
            case SearchObjective.ROWS_PER_SECOND -> "Frozen throughput, rows per second (batch scoring)";
            case SearchObjective.PARAMS -> "Parameters";
            default -> "Validation " + o.name();
        };
    }
}
