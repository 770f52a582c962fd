package io.micromodels.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small table of strings rendered as aligned plain text or as GitHub markdown.
 * Numeric-looking cells are right-aligned.
 *
 * <pre>{@code
 * TextTable t = new TextTable("width", "us/iter");
 * t.row("32", "812.4");
 * System.out.print(t.toText());
 * }</pre>
 */
public final class TextTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... header) {
        this(Arrays.asList(header));
    }

    public TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    /** Appends a row; missing cells are blank, extra cells are an error. */
    public TextTable row(Object... cells) {
        return row(Arrays.stream(cells).map(c -> c == null ? "" : String.valueOf(c)).toList());
    }

    /** Appends a row; missing cells are blank, extra cells are an error. */
    public TextTable row(List<String> cells) {
        if (cells.size() > header.size()) throw new IllegalArgumentException("row wider than header");
        List<String> r = new ArrayList<>(cells);
        while (r.size() < header.size()) r.add("");
        rows.add(r);
        return this;
    }

    public List<String> header() {
        return header;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    /** Aligned text, two spaces between columns, a dashed rule under the header. */
    public String toText() {
        int[] w = widths();
        StringBuilder sb = new StringBuilder();
        appendText(sb, header, w);
        for (int i = 0; i < w.length; i++) {
            if (i > 0) sb.append("  ");
            sb.append("-".repeat(w[i]));
        }
        sb.append('\n');
        for (List<String> r : rows) appendText(sb, r, w);
        return sb.toString();
    }

    /** GitHub-flavoured markdown; pipes inside cells are escaped. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append('|');
        for (String h : header) sb.append(' ').append(md(h)).append(" |");
        sb.append("\n|");
        for (int i = 0; i < header.size(); i++) {
            sb.append(numericColumn(i) ? "---:|" : "---|");
        }
        sb.append('\n');
        for (List<String> r : rows) {
            sb.append('|');
            for (String c : r) sb.append(' ').append(md(c)).append(" |");
            sb.append('\n');
        }
        return sb.toString();
    }

    private int[] widths() {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) w[i] = Math.max(w[i], r.get(i).length());
        }
        return w;
    }

    private boolean numericColumn(int i) {
        boolean any = false;
        for (List<String> r : rows) {
            String c = r.get(i);
            if (c.isEmpty() || c.equals("-")) continue;
            if (!isNumeric(c)) return false;
            any = true;
        }
        return any;
    }

    private void appendText(StringBuilder sb, List<String> cells, int[] w) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            if (i > 0) line.append("  ");
            String c = cells.get(i);
            boolean right = numericColumn(i);
            String pad = " ".repeat(w[i] - c.length());
            line.append(right ? pad + c : c + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    static boolean isNumeric(String s) {
        return s.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?([eE][-+]?[0-9]+)?[x%]?");
    }

    private static String md(String s) {
        return s.replace("|", "\\|");
    }
}
