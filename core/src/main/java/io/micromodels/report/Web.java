package io.micromodels.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Builds the self-contained HTML pages of reports and the study dashboard: Chart.js (from the
 * {@code org.webjars.npm:chart.js} jar on the class path), the shared style and scripts and the page's data are all
 * inlined, so a page fetches nothing when viewed.
 */
final class Web {
    /** Chart.js's UMD build inside the WebJar. */
    static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";

    private Web() {
    }

    /** A class-path resource as text; a missing one is a packaging error. */
    static String resource(String path) {
        try (InputStream in = Web.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is not on the class path (a packaging error)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path + ": " + e.getMessage(), e);
        }
    }

    private static String own(String name) {
        return resource("io/micromodels/report/" + name);
    }

    /** Chart.js without its source-map comment (the map is not shipped: no request for it). */
    static String chartJs() {
        return resource(CHART_JS).replaceAll("//# sourceMappingURL=\\S*", "");
    }

    /** HTML-escapes text for element content and attribute values. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** JSON made safe inside a {@code <script>} element (no {@code </script>} or comment openers). */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /**
     * A whole page.
     *
     * @param title    page title and heading
     * @param subtitle one line under the heading
     * @param dataJson the page's data (read by the script from {@code #mm-data})
     * @param script   {@code report.js} or {@code dashboard.js}
     */
    static String page(String title, String subtitle, String dataJson, String script) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"data:,\">"
                + "<title>" + esc(title) + "</title><style>" + own("style.css") + "</style></head>\n<body>"
                + "<h1>" + esc(title) + "</h1><p class=\"sub\" id=\"mm-sub\">" + esc(subtitle) + "</p><div id=\"mm-root\"></div>\n"
                + "<script type=\"application/json\" id=\"mm-data\">" + scriptSafe(dataJson) + "</script>\n"
                + "<script>" + chartJs() + "</script>\n<script>" + own("common.js") + "</script>\n<script>" + own(script)
                + "</script>\n</body></html>\n";
    }
}
