package io.micromodels.bench;

import io.micromodels.text.Fmt;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The results of one suite on one machine: printed as an aligned text table, written as
 * {@code <date>-<host>-<backend>-<suite>.csv} (one row per measurement, the machine facts in
 * columns) and a markdown summary {@code .md} (machine facts, results, extra sections, plots,
 * headline) into an output directory, never overwriting an existing file unless forced.
 *
 * <pre>{@code
 * ResultTable table = new ResultTable("train", facts).units("iter", "samples");
 * table.add(new Result("train", "DL4J", "default", 2, Result.params("width", 32, "batch", 64), m, 64, ""));
 * System.out.print(table.toText());
 * table.write(Path.of("results"), false);   // refuses to replace existing files
 * }</pre>
 */
public final class ResultTable {

    private final String suite;
    private final MachineFacts facts;
    private String opLabel = "op";
    private String itemLabel = "items";
    private final List<Result> results = new ArrayList<>();
    private final List<Object[]> sections = new ArrayList<>();   // {title, TextTable}
    private final List<String> notes = new ArrayList<>();
    private final List<Object[]> images = new ArrayList<>();     // {title, Path}
    private String headline = "";

    /**
     * @param suite suite name, used in the file names
     * @param facts the machine the results come from
     */
    public ResultTable(String suite, MachineFacts facts) {
        this.suite = suite;
        this.facts = facts;
    }

    /**
     * Names of one operation and of one item, for column headers: {@code units("iter", "samples")}
     * gives "median us/iter" and "samples/s".
     */
    public ResultTable units(String opLabel, String itemLabel) {
        this.opLabel = opLabel;
        this.itemLabel = itemLabel;
        return this;
    }

    public ResultTable add(Result r) {
        results.add(r);
        return this;
    }

    public List<Result> results() {
        return List.copyOf(results);
    }

    public String suite() {
        return suite;
    }

    public MachineFacts facts() {
        return facts;
    }

    /** Adds a further titled table (e.g. ratios) to the markdown summary. */
    public ResultTable section(String title, TextTable table) {
        sections.add(new Object[] {title, table});
        return this;
    }

    /** Adds a paragraph to the markdown summary. */
    public ResultTable note(String text) {
        notes.add(text);
        return this;
    }

    /** Links a PNG (preferably in the same directory) from the markdown summary. */
    public ResultTable image(String title, Path png) {
        images.add(new Object[] {title, png});
        return this;
    }

    /** The suite's headline figure, shown at the top of the markdown summary. */
    public ResultTable headline(String line) {
        headline = line == null ? "" : line;
        return this;
    }

    /** Parameter names over all results, in first-seen order. */
    public List<String> paramKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Result r : results) keys.addAll(r.params().keySet());
        return List.copyOf(keys);
    }

    /** The results as a {@link TextTable}: one row per measurement. */
    public TextTable asTextTable() {
        List<String> keys = paramKeys();
        List<String> header = new ArrayList<>(List.of("implementation", "variant", "threads"));
        header.addAll(keys);
        header.addAll(List.of("median us/" + opLabel, "IQR us", "min us", "max us", itemLabel + "/s", "n", "note"));
        TextTable t = new TextTable(header);
        for (Result r : results) {
            List<String> row = new ArrayList<>(List.of(r.implementation(), r.variant(), String.valueOf(r.threads())));
            for (String k : keys) row.add(r.param(k));
            Measurement m = r.measurement();
            row.addAll(List.of(Fmt.measure(m.median()), Fmt.measure(m.iqr()), Fmt.measure(m.min()), Fmt.measure(m.max()),
                    Fmt.rate(r.throughput()), String.valueOf(m.n()), r.note()));
            t.row(row);
        }
        return t;
    }

    /** Aligned plain text of the results. */
    public String toText() {
        return asTextTable().toText();
    }

    /** CSV: header, then one row per measurement with the machine facts in leading columns. */
    public String toCsv() {
        Map<String, String> f = facts.asMap();
        List<String> keys = paramKeys();
        List<String> header = new ArrayList<>(f.keySet());
        header.addAll(List.of("suite", "implementation", "variant", "threads"));
        header.addAll(keys);
        header.addAll(List.of("median_us", "q1_us", "q3_us", "iqr_us", "min_us", "max_us", "n",
                "items_per_op", "items_per_s", "note", "samples_us"));
        StringBuilder sb = new StringBuilder();
        sb.append(header.stream().map(ResultTable::csv).collect(Collectors.joining(","))).append('\n');
        for (Result r : results) {
            List<String> row = new ArrayList<>(f.values());
            row.addAll(List.of(r.suite(), r.implementation(), r.variant(), String.valueOf(r.threads())));
            for (String k : keys) row.add(r.param(k));
            Measurement m = r.measurement();
            row.addAll(List.of(raw(m.median()), raw(m.q1()), raw(m.q3()), raw(m.iqr()), raw(m.min()), raw(m.max()),
                    String.valueOf(m.n()), raw(r.itemsPerOp()), raw(r.throughput()), r.note(),
                    m.samples().stream().map(ResultTable::raw).collect(Collectors.joining(";"))));
            sb.append(row.stream().map(ResultTable::csv).collect(Collectors.joining(","))).append('\n');
        }
        return sb.toString();
    }

    /** Markdown summary; image links are made relative to {@code dir} when inside it. */
    public String toMarkdown(Path dir) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Benchmark `").append(suite).append("` — ").append(facts.hostname()).append(", ")
                .append(facts.backendLabel()).append(", ").append(facts.date()).append("\n\n");
        if (!headline.isEmpty()) sb.append("**Headline:** `").append(headline).append("`\n\n");
        sb.append("## Machine\n\n");
        TextTable mt = new TextTable("fact", "value");
        facts.asMap().forEach((k, v) -> mt.row(k, v.isEmpty() ? "-" : v));
        sb.append(mt.toMarkdown()).append('\n');
        for (String n : notes) sb.append(n).append("\n\n");
        sb.append("## Results\n\nMicroseconds per ").append(opLabel).append(" (median, IQR, min, max over n repeats after warm-up), ")
                .append(itemLabel).append(" per second at the median; threads = compute threads used.\n\n");
        sb.append(asTextTable().toMarkdown()).append('\n');
        for (Object[] s : sections) {
            sb.append("## ").append(s[0]).append("\n\n").append(((TextTable) s[1]).toMarkdown()).append('\n');
        }
        for (Object[] img : images) {
            Path p = (Path) img[1];
            String link = p.toString();
            if (dir != null) {
                Path abs = p.toAbsolutePath().normalize();
                Path d = dir.toAbsolutePath().normalize();
                if (abs.startsWith(d)) link = d.relativize(abs).toString();
            }
            sb.append("## ").append(img[0]).append("\n\n![").append(img[0]).append("](").append(link).append(")\n\n");
        }
        return sb.toString();
    }

    /** {@code <date>-<host>-<backend>-<suite>}, file-name safe; date is the local date of the facts. */
    public String baseName() {
        String date = facts.date().length() >= 10 ? facts.date().substring(0, 10) : facts.date();
        return OutputFiles.safeName(date + "-" + facts.hostname() + "-" + facts.backendLabel() + "-" + suite);
    }

    /** The CSV and markdown files {@link #write} creates in {@code dir}. */
    public List<Path> files(Path dir) {
        return List.of(dir.resolve(baseName() + ".csv"), dir.resolve(baseName() + ".md"));
    }

    /**
     * Writes the CSV and markdown files into {@code dir} (created if missing).
     *
     * @param force replace existing files; otherwise an existing file aborts before anything is written
     * @return the written files (csv, md)
     * @throws java.nio.file.FileAlreadyExistsException if a file exists and {@code force} is false
     */
    public List<Path> write(Path dir, boolean force) throws IOException {
        Path csv = files(dir).get(0);
        Path md = files(dir).get(1);
        OutputFiles.checkFree(csv, force);
        OutputFiles.checkFree(md, force);
        Files.createDirectories(dir);
        OutputFiles.writeString(csv, toCsv(), force);
        OutputFiles.writeString(md, toMarkdown(dir), force);
        return List.of(csv, md);
    }

    private static String raw(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "";
        if (Math.abs(v) >= 1e6) return String.valueOf(Math.round(v));   // whole units are precise enough
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    static String csv(String s) {
        if (s == null) return "";
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
