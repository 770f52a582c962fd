package io.micromodels.tune;

import io.micromodels.train.Objective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One objective of a multi-objective study ({@code tune --objectives auc,latency}): a validation metric
 * ({@link Objective}: {@code auc}, {@code log_loss}, {@code rmse}, ...) or a cost of the trial's model measured by
 * {@link FrozenCost}:
 * <ul>
 *   <li>{@link #LATENCY} ({@code latency}): nanoseconds per row scoring one row at a time with the frozen network, in
 *       the measuring thread's CPU time (lower is better; noisy, see {@link FrozenCost});</li>
 *   <li>{@link #ROWS_PER_SECOND} ({@code rows_per_second}): rows per second scoring the rows as one batch with the
 *       frozen network (higher is better; noisy too);</li>
 *   <li>{@link #PARAMS} ({@code params}): the network's parameter count, weights and biases (lower is better; exact).</li>
 * </ul>
 * Each knows its direction; samplers and the Pareto front see {@link #loss} (minimised: negated when higher is
 * better). Objectives are recorded by name in {@link StudyOptions#objectives()}.
 *
 * <pre>{@code
 * SearchObjective auc = SearchObjective.parse("auc");        // a metric, higher is better
 * SearchObjective fast = SearchObjective.parse("latency");   // ns per row, lower is better
 * double[] minimised = {auc.loss(0.78), fast.loss(850.0)};   // {-0.78, 850.0}
 * }</pre>
 *
 * @param name the objective's name: a metric name or {@code latency}, {@code rows_per_second}, {@code params}
 */
public record SearchObjective(String name) {
    /** Single-row frozen latency, ns per row. */
    public static final String LATENCY = "latency";
    /** Batch frozen throughput, rows per second. */
    public static final String ROWS_PER_SECOND = "rows_per_second";
    /** Parameter count. */
    public static final String PARAMS = "params";

    /** The costs, in the order they are listed in messages. */
    public static final List<String> COSTS = List.of(LATENCY, ROWS_PER_SECOND, PARAMS);

    /** Validates the name. */
    public SearchObjective {
        if (name == null || !(COSTS.contains(name) || isMetric(name))) {
            throw new IllegalArgumentException("objectives must each be one of " + allNames() + ", got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
    }

    /**
     * @param name a metric name or {@code latency}, {@code rows_per_second}, {@code params}
     * @return the objective
     * @throws IllegalArgumentException naming the allowed names and the value
     */
    public static SearchObjective parse(String name) {
        return new SearchObjective(name);
    }

    /**
     * @param names objective names, e.g. {@code [auc, latency]}
     * @return the objectives, in that order
     */
    public static List<SearchObjective> parseAll(List<String> names) {
        List<SearchObjective> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(parse(n));
        }
        return List.copyOf(out);
    }

    /** @return every accepted name: the metrics, then the costs */
    public static List<String> allNames() {
        List<String> all = new ArrayList<>(Arrays.stream(Objective.values()).map(Objective::metricName).toList());
        all.addAll(COSTS);
        return all;
    }

    private static boolean isMetric(String name) {
        return Arrays.stream(Objective.values()).anyMatch(o -> o.metricName().equals(name));
    }

    /** @return the metric, when this objective is one (empty for a cost) */
    public Optional<Objective> metric() {
        return isMetric(name) ? Optional.of(Objective.parse(name)) : Optional.empty();
    }

    /** @return whether higher values are better (metrics such as AUC, and rows per second) */
    public boolean higherIsBetter() {
        return metric().map(Objective::higherIsBetter).orElse(name.equals(ROWS_PER_SECOND));
    }

    /** @return whether measuring it needs the frozen network ({@code latency}, {@code rows_per_second}) */
    public boolean timed() {
        return name.equals(LATENCY) || name.equals(ROWS_PER_SECOND);
    }

    /**
     * @param value the objective's value
     * @return the value to minimise: {@code -value} when higher is better (NaN stays NaN)
     */
    public double loss(double value) {
        return higherIsBetter() ? -value : value;
    }

    /** @return {@code maximize} or {@code minimize} (Optuna's words), for files and databases */
    public String direction() {
        return higherIsBetter() ? "maximize" : "minimize";
    }

    /** @return the unit after a value: {@code ns/row}, {@code rows/s}, or empty */
    public String unit() {
        return switch (name) {
            case LATENCY -> "ns/row";
            case ROWS_PER_SECOND -> "rows/s";
            default -> "";
        };
    }

    /** @return the value formatted for a table, e.g. {@code auc 0.7812}, {@code latency 845.3 ns/row}, {@code params 1201} */
    public String format(double value) {
        if (Double.isNaN(value)) {
            return name + " NaN";
        }
        return switch (name) {
            case LATENCY -> String.format(Locale.ROOT, "%s %.1f ns/row", name, value);
            case ROWS_PER_SECOND -> String.format(Locale.ROOT, "%s %.0f", name, value);
            case PARAMS -> String.format(Locale.ROOT, "%s %.0f", name, value);
            default -> String.format(Locale.ROOT, "%s %.4f", name, value);
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
