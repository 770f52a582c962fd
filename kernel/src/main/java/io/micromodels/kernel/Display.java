package io.micromodels.kernel;

import io.micromodels.plots.ExplainPlots;
import io.micromodels.train.Metrics;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jfree.chart.JFreeChart;

/**
 * Rich output from a notebook cell: HTML, Markdown, images (a {@link RenderedImage} such as a
 * {@link java.awt.image.BufferedImage}, a PNG file or bytes, an explain plot, a JFreeChart) and tables.
 * Each call shows its output at once, below the cell; outside a running kernel the text form is printed instead.
 *
 * <pre>
 * Display.metrics(model.testMetrics());                       // an HTML table of the test metrics
 * Display.figure(ExplainPlots.summaryFigure(shap, PlotOptions.DEFAULTS));
 * Display.png(Path.of("runs/explain/shap_summary.png"));
 * Display.table(List.of("trial", "AUC"), rows);              // rows: a list of rows, each a list of cells
 * </pre>
 *
 * A cell whose last expression is a {@code RenderedImage}, {@code Metrics}, {@code ExplainPlots.Figure} or
 * {@code JFreeChart} is shown the same way without calling this class.
 */
public final class Display {
    /** The HTML class of metrics tables (the notebook tests look for it). */
    public static final String METRICS_TABLE_CLASS = "micromodels-metrics";

    private Display() {
    }

    /** Shows HTML. */
    public static void html(String html) {
        DisplayData d = new DisplayData();
        d.putHTML(html);
        d.putText("[HTML]");
        show(d, html);
    }

    /** Shows Markdown. */
    public static void markdown(String markdown) {
        DisplayData d = new DisplayData(markdown);
        d.putMarkdown(markdown);
        show(d, markdown);
    }

    /** Shows an image as a PNG. */
    public static void image(RenderedImage image) {
        show(imageData(image), "[image " + image.getWidth() + "x" + image.getHeight() + "]");
    }

    /** Shows a PNG file. */
    public static void png(Path file) {
        try {
            png(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PNG " + file + ": " + e.getMessage(), e);
        }
    }

    /** Shows PNG bytes. */
    public static void png(byte[] png) {
        DisplayData d = new DisplayData("[PNG image]");
        d.putData(MIMEType.IMAGE_PNG, Base64.getEncoder().encodeToString(png));
        show(d, "[PNG image]");
    }

    /** Shows an explain plot (from {@link ExplainPlots}) at its own size. */
    public static void figure(ExplainPlots.Figure figure) {
        image(figure.chart().createBufferedImage(figure.width(), figure.height()));
    }

    /** Shows a chart at the given size in pixels. */
    public static void chart(JFreeChart chart, int width, int height) {
        image(chart.createBufferedImage(width, height));
    }

    /** Shows metrics as an HTML table (with the confusion matrix of a classifier). */
    public static void metrics(Metrics metrics) {
        show(metricsData(metrics), metrics.table());
    }

    /** Shows a table: a header and rows of cells (numbers are formatted with 4 significant decimals). */
    public static void table(List<String> header, List<? extends List<?>> rows) {
        String html = htmlTable(header, rows, null);
        DisplayData d = new DisplayData(textTable(header, rows));
        d.putHTML(html);
        show(d, textTable(header, rows));
    }

    /** The rich form of a cell's value, or null when its {@code toString()} is all there is to show. */
    static DisplayData toDisplayData(Object value) {
        if (value instanceof Metrics m) {
            return metricsData(m);
        }
        if (value instanceof ExplainPlots.Figure f) {
            return imageData(f.chart().createBufferedImage(f.width(), f.height()));
        }
        if (value instanceof JFreeChart c) {
            return imageData(c.createBufferedImage(640, 400));
        }
        if (value instanceof RenderedImage img) {
            return imageData(img);
        }
        return null;
    }

    private static DisplayData metricsData(Metrics m) {
        List<List<?>> rows = new java.util.ArrayList<>();
        for (Map.Entry<String, Double> e : m.values().entrySet()) {
            rows.add(List.of(e.getKey(), e.getValue()));
        }
        StringBuilder html = new StringBuilder(htmlTable(List.of("metric", "value"), rows, METRICS_TABLE_CLASS));
        if (!m.classes().isEmpty()) {
            List<String> header = new java.util.ArrayList<>();
            header.add("actual \\ predicted");
            header.addAll(m.classes());
            List<List<?>> confusion = new java.util.ArrayList<>();
            for (int a = 0; a < m.classes().size(); a++) {
                List<Object> row = new java.util.ArrayList<>();
                row.add(m.classes().get(a));
                for (long c : m.confusion()[a]) {
                    row.add(c);
                }
                confusion.add(row);
            }
            html.append(htmlTable(header, confusion, "micromodels-confusion"));
        }
        DisplayData d = new DisplayData(m.table());
        d.putHTML(html.toString());
        return d;
    }

    private static DisplayData imageData(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DisplayData d = new DisplayData("[image " + image.getWidth() + "x" + image.getHeight() + "]");
        d.putData(MIMEType.IMAGE_PNG, Base64.getEncoder().encodeToString(out.toByteArray()));
        return d;
    }

    static String htmlTable(List<String> header, List<? extends List<?>> rows, String cssClass) {
        StringBuilder sb = new StringBuilder("<table").append(cssClass == null ? "" : " class=\"" + cssClass + "\"").append("><thead><tr>");
        for (String h : header) {
            sb.append("<th>").append(escape(h)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (List<?> row : rows) {
            sb.append("<tr>");
            for (Object cell : row) {
                sb.append(cell instanceof Number ? "<td style=\"text-align:right\">" : "<td>").append(escape(format(cell))).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    private static String textTable(List<String> header, List<? extends List<?>> rows) {
        StringBuilder sb = new StringBuilder(String.join("\t", header)).append('\n');
        for (List<?> row : rows) {
            sb.append(String.join("\t", row.stream().map(Display::format).toList())).append('\n');
        }
        return sb.toString();
    }

    private static String format(Object cell) {
        if (cell instanceof Double || cell instanceof Float) {
            double v = ((Number) cell).doubleValue();
            return Math.abs(v) >= 1e5 || (v != 0 && Math.abs(v) < 1e-3) ? String.format(Locale.ROOT, "%.4g", v)
                    : String.format(Locale.ROOT, "%.4f", v);
        }
        return String.valueOf(cell);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void show(DisplayData data, String text) {
        BaseKernel kernel;
        try {
            kernel = BaseKernel.notebookKernel();
        } catch (NullPointerException e) {
            System.out.println(text);
            return;
        }
        System.out.flush(); // text printed before this call comes before it
        System.err.flush();
        kernel.display(data);
    }
}
