package io.micromodels.report;

import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only snapshot of a study folder ({@code study.json} and {@code trials.jsonl}) as the JSON the dashboard
 * draws: each trial's number, status, score, hyperparameters (read from its spec), seconds and failure; the best
 * score so far; and each hyperparameter's importance. Reading never changes the folder (unlike resuming a study,
 * which cuts off an incomplete last line): a last line still being written is left out until its newline arrives.
 *
 * <p>Importance is a one-way functional-ANOVA estimate from the finished trials: for each hyperparameter, the share
 * of the score's variance explained by the means within groups of that parameter (its distinct values when there are
 * at most {@value #BINS}, else {@code k = min(BINS, n / 2)} equal-count bins of its rank, so every bin holds two
 * trials or more), bias-corrected as epsilon squared,
 * {@code max(0, (SS_between - (k - 1) SS_within / (n - k)) / SS_total)} (the plain correlation ratio
 * {@code SS_between / SS_total} is 1 whenever every trial is its own group). It is not the Gaussian process's length
 * scales, and with few trials it is noisy.
 */
public final class StudySnapshot {
    /** Most groups per hyperparameter in the importance estimate. */
    public static final int BINS = 5;
    private static final ObjectMapper JSON = StrictJson.mapper();

    /** A hyperparameter read from a trial's spec. */
    private record Param(String name, String unit, boolean log, boolean categorical) {
    }

    private static final List<Param> PARAMS = List.of(
            new Param("learningRate", "step size", true, false),
            new Param("depth", "hidden layers", false, false),
            new Param("width", "units in the first hidden layer", true, false),
            new Param("activation", "hidden activation", false, true),
            new Param("dropRate", "fraction", false, false),
            new Param("l1", "penalty weight", true, false),
            new Param("l2", "penalty weight", true, false),
            new Param("batchSize", "rows per minibatch", true, false));

    private StudySnapshot() {
    }

    /**
     * Reads the study folder.
     *
     * @throws IllegalArgumentException naming the file when the folder is not a study or {@code study.json} is
     *                                  unreadable
     */
    public static ObjectNode read(Path dir) {
        Path header = dir.resolve("study.json");
        JsonNode h;
        try {
            h = JSON.readTree(Files.readString(header, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(header + " is missing: " + dir + " is not a study folder");
        } catch (IOException e) {
            throw new IllegalArgumentException(header + " is unreadable: " + oneLine(e.getMessage()), e);
        }
        if (h == null || !h.path("metric").isTextual()) {
            throw new IllegalArgumentException(header + " has no \"metric\": it is not a study header");
        }
        String metric = h.path("metric").asText();
        boolean higher;
        try {
            higher = io.micromodels.train.Objective.parse(metric).higherIsBetter();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(header + ": unknown metric '" + metric + "'", e);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("study", dir.getFileName() == null ? dir.toString() : dir.getFileName().toString());
        out.put("id", h.path("id").asText(""));
        out.put("metric", metric);
        out.put("higherIsBetter", higher);
        out.put("target", h.path("options").path("trials").asInt(0));
        ArrayNode params = out.putArray("params");
        for (Param p : PARAMS) {
            params.addObject().put("name", p.name).put("unit", p.unit).put("log", p.log).put("categorical", p.categorical);
        }
        ArrayNode notes = out.putArray("notes");
        ArrayNode trials = out.putArray("trials");
        byte[] bytes;
        Path file = dir.resolve("trials.jsonl");
        try {
            bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int start = 0;
        int line = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            if (end == bytes.length) {
                break; // still being written: its newline has not arrived
            }
            line++;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            start = end + 1;
            if (text.isBlank()) {
                continue;
            }
            try {
                trials.add(trial(JSON.readTree(text)));
            } catch (IOException | RuntimeException e) {
                notes.add(file + " line " + line + " is unreadable and was left out: " + oneLine(e.getMessage()));
            }
        }
        out.put("bytes", start);
        // lines are in the order trials finished; numbers are in the order they were proposed (a batch finishes out
        // of order): the dashboard draws them by number
        List<JsonNode> byNumber = new java.util.ArrayList<>();
        trials.forEach(byNumber::add);
        byNumber.sort(java.util.Comparator.comparingInt(t -> t.path("number").asInt()));
        trials.removeAll();
        trials.addAll(byNumber);
        double best = Double.NaN;
        ArrayNode bestSoFar = out.putArray("bestSoFar");
        int complete = 0;
        for (JsonNode t : trials) {
            if (t.path("status").asText().equals("COMPLETE") && t.path("score").isNumber()) {
                double s = t.path("score").asDouble();
                complete++;
                if (Double.isNaN(best) || (higher ? s > best : s < best)) {
                    best = s;
                }
                bestSoFar.addObject().put("x", t.path("number").asInt()).put("y", best);
            }
        }
        out.put("complete", complete);
        ArrayNode imp = out.putArray("importance");
        if (complete >= 3) {
            for (Param p : PARAMS) {
                imp.addObject().put("name", p.name).put("value", importance(trials, p.name));
            }
        }
        out.put("importanceMethod", "share of the score's variance explained by at most " + BINS + " groups of each "
                + "hyperparameter, bias-corrected (epsilon squared): a one-way functional-ANOVA estimate from the " + complete
                + " finished trials, not the Gaussian process's length scales; noisy with few trials");
        return out;
    }

    /** One line of trials.jsonl as the dashboard's trial. */
    private static ObjectNode trial(JsonNode r) {
        if (!r.path("number").canConvertToInt() || !r.path("status").isTextual() || !r.has("spec")) {
            throw new IllegalArgumentException("not a trial record (needs number, status and spec)");
        }
        ObjectNode t = JSON.createObjectNode();
        t.put("number", r.path("number").asInt());
        t.put("status", r.path("status").asText());
        JsonNode score = r.path("score");
        if (score.isNumber() && Double.isFinite(score.asDouble())) {
            t.put("score", score.asDouble());
        } else {
            t.putNull("score");
        }
        t.put("epochs", r.path("epochs").asInt());
        t.put("seconds", r.path("seconds").asDouble());
        t.put("failure", r.path("failure").asText(""));
        JsonNode spec = r.path("spec");
        ObjectNode v = t.putObject("params");
        JsonNode hidden = spec.path("hidden");
        JsonNode first = hidden.size() > 0 ? hidden.get(0) : JSON.createObjectNode();
        v.put("learningRate", spec.path("updater").path("learningRate").asDouble());
        v.put("depth", hidden.size());
        v.put("width", first.path("width").asInt(0));
        v.put("activation", first.path("activation").asText("none"));
        v.put("dropRate", first.path("dropRate").asDouble(0));
        v.put("l1", spec.path("l1").asDouble());
        v.put("l2", spec.path("l2").asDouble());
        v.put("batchSize", spec.path("batchSize").asInt());
        t.put("spec", spec.toString());
        return t;
    }

    /** The correlation ratio of the finished trials' scores on one parameter (see the class comment). */
    static double importance(ArrayNode trials, String param) {
        List<double[]> rows = new ArrayList<>(); // {rank key, score}
        List<String> cats = new ArrayList<>();
        for (JsonNode t : trials) {
            if (t.path("status").asText().equals("COMPLETE") && t.path("score").isNumber()) {
                JsonNode v = t.path("params").path(param);
                String key = v.asText();
                if (!cats.contains(key)) {
                    cats.add(key);
                }
                rows.add(new double[] {v.isNumber() ? v.asDouble() : cats.indexOf(key), t.path("score").asDouble()});
            }
        }
        int n = rows.size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rows.get(i)[0];
            y[i] = rows.get(i)[1];
        }
        return epsilonSquared(x, y, BINS);
    }

    /**
     * The bias-corrected share of {@code y}'s variance explained by groups of {@code x} (see the class comment); 0 when
     * {@code y} is constant or there are no more trials than groups.
     */
    public static double epsilonSquared(double[] x, double[] y, int bins) {
        int n = x.length;
        int[] group = groups(x, Math.max(1, Math.min(bins, n / 2)), bins);
        double[] ss = sumsOfSquares(group, y);
        int k = (int) Arrays.stream(group).distinct().count();
        if (ss[0] == 0 || n - k <= 0) {
            return 0;
        }
        return Math.max(0, Math.min(1, (ss[1] - (k - 1) * ss[2] / (n - k)) / ss[0]));
    }

    /** {@code {SS_total, SS_between, SS_within}} of {@code y} for the given groups. */
    private static double[] sumsOfSquares(int[] group, double[] y) {
        double mean = Arrays.stream(y).average().orElse(0);
        double total = 0;
        for (double v : y) {
            total += (v - mean) * (v - mean);
        }
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < y.length; i++) {
            double[] s = sums.computeIfAbsent(group[i], k -> new double[2]);
            s[0] += y[i];
            s[1]++;
        }
        double between = 0;
        for (double[] s : sums.values()) {
            double m = s[0] / s[1];
            between += s[1] * (m - mean) * (m - mean);
        }
        double within = 0;
        for (int i = 0; i < y.length; i++) {
            double[] s = sums.get(group[i]);
            double m = s[0] / s[1];
            within += (y[i] - m) * (y[i] - m);
        }
        return new double[] {total, between, within};
    }

    /**
     * Group of each {@code x}: by distinct value when there are at most {@code maxDistinct}, else {@code bins}
     * equal-count groups of the sorted values (ties kept in one group).
     */
    private static int[] groups(double[] x, int bins, int maxDistinct) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
        long distinct = Arrays.stream(x).distinct().count();
        int[] group = new int[n];
        int g = 0;
        for (int k = 0; k < n; k++) {
            if (k > 0 && x[order[k]] != x[order[k - 1]]) {
                g = distinct <= maxDistinct ? g + 1 : Math.max(g, (int) ((long) k * bins / n));
            }
            group[order[k]] = g;
        }
        return group;
    }

    /**
     * {@code eta^2} of {@code y} grouped by {@code x}: by distinct value when there are at most {@code bins}, else
     * by {@code bins} equal-count groups of the sorted values (ties kept in one group). 0 when {@code y} is constant.
     */
    public static double correlationRatio(double[] x, double[] y, int bins) {
        if (x.length < 2) {
            return 0;
        }
        double[] ss = sumsOfSquares(groups(x, bins, bins), y);
        return ss[0] == 0 ? 0 : ss[1] / ss[0];
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    static Set<String> paramNames() {
        return Set.copyOf(PARAMS.stream().map(Param::name).toList());
    }
}
