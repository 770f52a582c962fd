package io.micromodels.tune;

import io.micromodels.files.AtomicFiles;
import io.micromodels.json.StrictJson;
import io.micromodels.tune.pareto.Hypervolume;
import io.micromodels.tune.pareto.ParetoFront;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Pareto front of a multi-objective study's trials, and the file {@value #FILE} that keeps it in the study
 * folder. A trial is on the front when it is complete, its {@link TrialRecord#values()} are all finite, and no other such
 * trial is at least as good in every objective and better in one (compared on {@link SearchObjective#loss}, through
 * {@link ParetoFront}); of trials equal in every objective only the lowest number is kept.
 *
 * <p>The file (strict JSON, written atomically: a temporary file renamed into place):
 * <pre>{@code
 * {"format": 1,
 *  "objectives": [{"name": "auc", "direction": "maximize"}, {"name": "latency", "direction": "minimize"}],
 *  "front": [{"number": 7, "values": [0.7812, 845.3], "params": 1201}, ...],     // in trial number order
 *  "completeTrials": 40,
 *  "hypervolume": 0.61}
 * }</pre>
 * {@code hypervolume} is the front's dominated hypervolume ({@link Hypervolume}) with every objective's minimised value
 * scaled to {@code [0, 1]} over the complete trials (0 = the best seen, 1 = the worst) and the reference point 1.1 in
 * each: comparable between runs of one study, not between studies.
 */
public final class ParetoTrials {
    /** The file in the study folder. */
    public static final String FILE = "pareto.json";
    /** The format written. */
    public static final int FORMAT = 1;
    /** The reference point's coordinate in every scaled objective. */
    public static final double REFERENCE = 1.1;

    private ParetoTrials() {
    }

    /** One objective as the file names it. */
    public record Direction(String name, String direction) {
    }

    /**
     * One trial of the front.
     *
     * @param number the trial's number
     * @param values shape {@code [m]}: its objectives' values (not negated)
     * @param params its network's parameter count
     */
    public record Member(int number, double[] values, long params) {
        /** Copies the values. */
        public Member {
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && m.number == number && Arrays.equals(m.values, values) && m.params == params;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * number + Arrays.hashCode(values)) + Long.hashCode(params);
        }
    }

    /**
     * The content of {@value #FILE}.
     *
     * @param format         {@value #FORMAT}
     * @param objectives     the study's objectives and their directions
     * @param front          the front's trials in number order
     * @param completeTrials how many complete trials the front was taken from
     * @param hypervolume    see the class comment
     */
    public record File(int format, List<Direction> objectives, List<Member> front, int completeTrials, double hypervolume) {
        /** Validates the fields. */
        public File {
            if (format != FORMAT) {
                throw new IllegalArgumentException("format must be " + FORMAT + ", got " + format);
            }
            objectives = List.copyOf(objectives);
            front = List.copyOf(front);
        }
    }

    /**
     * @param trials     a study's trials (any states, in any order)
     * @param objectives the study's objectives ({@code m >= 1})
     * @return the front's trials, in number order
     */
    public static List<TrialRecord> front(List<TrialRecord> trials, List<SearchObjective> objectives) {
        List<TrialRecord> scored = scored(trials, objectives);
        double[][] losses = losses(scored, objectives);
        List<TrialRecord> out = new ArrayList<>();
        for (int i : ParetoFront.nonDominated(losses)) {
            out.add(scored.get(i));
        }
        return out;
    }

    /**
     * The front's hypervolume with objectives scaled over the complete trials (see the class comment).
     *
     * @param trials     a study's trials
     * @param objectives its objectives
     * @return the hypervolume, 0 when no trial is complete
     */
    public static double hypervolume(List<TrialRecord> trials, List<SearchObjective> objectives) {
        List<TrialRecord> scored = scored(trials, objectives);
        if (scored.isEmpty()) {
            return 0;
        }
        double[][] l = losses(scored, objectives);
        int m = objectives.size();
        for (int k = 0; k < m; k++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] row : l) {
                lo = Math.min(lo, row[k]);
                hi = Math.max(hi, row[k]);
            }
            for (double[] row : l) {
                row[k] = hi > lo ? (row[k] - lo) / (hi - lo) : 0;
            }
        }
        double[] ref = new double[m];
        Arrays.fill(ref, REFERENCE);
        return Hypervolume.of(l, ref);
    }

    /**
     * @param trials     a study's trials
     * @param objectives its objectives
     * @return the file's content
     */
    public static File of(List<TrialRecord> trials, List<SearchObjective> objectives) {
        List<Direction> dirs = objectives.stream().map(o -> new Direction(o.name(), o.direction())).toList();
        List<Member> members = front(trials, objectives).stream()
                .map(r -> new Member(r.number(), r.values(), r.spec().parameterCount())).toList();
        return new File(FORMAT, dirs, members, scored(trials, objectives).size(), hypervolume(trials, objectives));
    }

    /**
     * Writes {@value #FILE} into {@code dir} (atomically, replacing an earlier one).
     *
     * @return the file written
     */
    public static Path write(Path dir, List<TrialRecord> trials, List<SearchObjective> objectives) {
        Path file = dir.resolve(FILE);
        try {
            AtomicFiles.write(file, true, (StrictJson.write(of(trials, objectives)) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * @param file a {@value #FILE}
     * @return its content (strict: unknown or missing keys are errors naming the file)
     */
    public static File read(Path file) {
        try {
            return StrictJson.read(Files.readString(file, StandardCharsets.UTF_8), File.class, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The complete trials with m finite values, in number order. */
    private static List<TrialRecord> scored(List<TrialRecord> trials, List<SearchObjective> objectives) {
        Objects.requireNonNull(trials, "trials must not be null");
        int m = objectives.size();
        if (m < 1) {
            throw new IllegalArgumentException("objectives must not be empty");
        }
        List<TrialRecord> out = new ArrayList<>();
        for (TrialRecord r : trials) {
            double[] v = r.values();
            if (r.complete() && v.length == m && Arrays.stream(v).allMatch(Double::isFinite)) {
                out.add(r);
            }
        }
        out.sort(java.util.Comparator.comparingInt(TrialRecord::number));
        return out;
    }

    /** shape {@code [n][m]}: the trials' minimised values. */
    private static double[][] losses(List<TrialRecord> scored, List<SearchObjective> objectives) {
        double[][] l = new double[scored.size()][objectives.size()];
        for (int i = 0; i < l.length; i++) {
            double[] v = scored.get(i).values();
            for (int k = 0; k < v.length; k++) {
                l[i][k] = objectives.get(k).loss(v[k]);
            }
        }
        return l;
    }
}
