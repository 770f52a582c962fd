package io.micromodels.tune;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a multi-objective study chooses, among the trials of its Pareto front, the one whose model is saved
 * ({@code tune --pick}). The first objective is the primary one (a metric); "within X" admits the front trials whose
 * primary value is at most X worse than the best front trial's (inclusive, up to rounding), X absolute ({@code 0.005}) or
 * relative to the best value ({@code 1%}):
 * <ul>
 *   <li>{@code best}: the best primary value;</li>
 *   <li>{@code smallest-within X}: the fewest parameters among the trials within X;</li>
 *   <li>{@code fastest-within X}: the lowest {@code latency} among the trials within X (the highest
 *       {@code rows_per_second} when latency is not an objective; one of them must be).</li>
 * </ul>
 * Ties go to the better primary value, then to the lower trial number.
 *
 * <pre>{@code
 * Pick p = Pick.parse("fastest-within 1%");
 * TrialRecord chosen = p.choose(study.paretoFront(), study.objectives()).orElseThrow();
 * }</pre>
 *
 * @param rule      which rule
 * @param tolerance X, {@code >= 0} and finite: absolute in the primary metric's units, or a percentage when
 *                  {@code relative}; 0 for {@code best}
 * @param relative  whether X is a percentage of the best primary value's magnitude
 */
public record Pick(Rule rule, double tolerance, boolean relative) {

    /** The rules. */
    public enum Rule {
        /** The best primary value. */
        BEST("best"),
        /** The fewest parameters within the tolerance. */
        SMALLEST_WITHIN("smallest-within"),
        /** The lowest latency (or highest throughput) within the tolerance. */
        FASTEST_WITHIN("fastest-within");

        private final String label;

        Rule(String label) {
            this.label = label;
        }

        /** @return the rule's name on the command line, e.g. {@code smallest-within} */
        public String label() {
            return label;
        }
    }

    /** The default: the best primary value. */
    public static final Pick BEST = new Pick(Rule.BEST, 0, false);

    /** The forms {@link #parse} accepts, for messages. */
    public static final String FORMS = "best, smallest-within X or fastest-within X (X a number >= 0 in the primary "
            + "metric's units, e.g. 0.005, or a percentage of its best value, e.g. 1%)";

    private static final Pattern FORM = Pattern.compile("(smallest-within|fastest-within)\\s+([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(%?)");

    /** Validates the fields. */
    public Pick {
        Objects.requireNonNull(rule, "rule must be one of [best, smallest-within, fastest-within], got null");
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite number >= 0, got " + tolerance);
        }
        if (rule == Rule.BEST && (tolerance != 0 || relative)) {
            throw new IllegalArgumentException("tolerance must be 0 (absolute) for best, got " + tolerance + (relative ? "%" : ""));
        }
    }

    /**
     * @param text {@code best}, {@code smallest-within X} or {@code fastest-within X} (X a number, or a number and
     *             {@code %}); spaces around are ignored
     * @return the rule
     * @throws IllegalArgumentException naming the allowed forms and the text
     */
    public static Pick parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.equals("best")) {
            return BEST;
        }
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("pick must be " + FORMS + ", got '" + text + "'");
        }
        double x = Double.parseDouble(m.group(2));
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("pick must be " + FORMS + ", got '" + text + "'");
        }
        return new Pick(m.group(1).equals("smallest-within") ? Rule.SMALLEST_WITHIN : Rule.FASTEST_WITHIN, x,
                !m.group(3).isEmpty());
    }

    /** @return the rule as {@link #parse} reads it, e.g. {@code fastest-within 1%} */
    public String label() {
        if (rule == Rule.BEST) {
            return "best";
        }
        return rule.label() + " " + BigDecimal.valueOf(tolerance).stripTrailingZeros().toPlainString() + (relative ? "%" : "");
    }

    /**
     * Checks that the rule can be applied to a study with these objectives: {@code fastest-within} needs
     * {@code latency} or {@code rows_per_second} among them; every rule needs a multi-objective study.
     *
     * @param objectives the study's objectives (empty for a single-objective study)
     * @throws IllegalArgumentException naming what is missing
     */
    public void check(List<SearchObjective> objectives) {
        if (objectives.isEmpty() && rule != Rule.BEST) {
            throw new IllegalArgumentException("pick " + label() + " chooses among the Pareto front of a multi-objective "
                    + "study; this study has one objective");
        }
        if (rule == Rule.FASTEST_WITHIN && speedIndex(objectives) < 0) {
            throw new IllegalArgumentException("pick " + label() + " needs latency or rows_per_second among the objectives, got "
                    + objectives);
        }
    }

    /**
     * Chooses a trial of a Pareto front.
     *
     * @param front      the front's trials (complete, each with {@code values} of length {@code objectives.size()},
     *                   finite), as {@link ParetoTrials#front} returns them
     * @param objectives the study's objectives, the first the primary one
     * @return the chosen trial; empty for an empty front
     */
    public Optional<TrialRecord> choose(List<TrialRecord> front, List<SearchObjective> objectives) {
        check(objectives);
        if (front.isEmpty()) {
            return Optional.empty();
        }
        SearchObjective primary = objectives.get(0);
        Comparator<TrialRecord> byPrimary = Comparator.comparingDouble((TrialRecord r) -> primary.loss(r.values()[0]))
                .thenComparingInt(TrialRecord::number);
        TrialRecord best = front.stream().min(byPrimary).orElseThrow();
        if (rule == Rule.BEST) {
            return Optional.of(best);
        }
        double bestLoss = primary.loss(best.values()[0]);
        double allowed = relative ? tolerance / 100 * Math.abs(best.values()[0]) : tolerance;
        double slack = 1e-12 * Math.max(1.0, Math.abs(bestLoss)) + allowed * 1e-12;
        List<TrialRecord> within = front.stream()
                .filter(r -> primary.loss(r.values()[0]) - bestLoss <= allowed + slack).toList();
        Comparator<TrialRecord> key;
        if (rule == Rule.SMALLEST_WITHIN) {
            key = Comparator.comparingLong((TrialRecord r) -> r.spec().parameterCount());
        } else {
            int s = speedIndex(objectives);
            SearchObjective speed = objectives.get(s);
            key = Comparator.comparingDouble((TrialRecord r) -> speed.loss(r.values()[s]));
        }
        return within.stream().min(key.thenComparing(byPrimary));
    }

    /** The index of {@code latency}, else of {@code rows_per_second}, else -1. */
    static int speedIndex(List<SearchObjective> objectives) {
        for (String name : List.of(SearchObjective.LATENCY, SearchObjective.ROWS_PER_SECOND)) {
            for (int i = 0; i < objectives.size(); i++) {
                if (objectives.get(i).name().equals(name)) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return label().toLowerCase(Locale.ROOT);
    }
}
