package io.micromodels.tune.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Pareto front (non-dominated set) of points whose objectives are all <b>minimised</b>, either filtered
 * from a batch ({@link #nonDominated(double[][])}) or maintained incrementally ({@link #add(double[])}).
 *
 * <p>Rules: {@code a} dominates {@code b} when {@code a[k] <= b[k]} for every objective {@code k} and
 * {@code a[k] < b[k]} for at least one. Identical points (equal in every objective) are ties: only the
 * first by index is kept. A point with any non-finite objective (NaN for a failed trial, or an infinity)
 * is excluded: it neither enters the front nor removes anything from it.
 *
 * <p>Shapes: a point is a {@code double[m]}, {@code m >= 1}, the same {@code m} for every point of one
 * front; a batch is a {@code double[n][m]}; indices returned refer to rows of the batch (or to the order of
 * {@link #add} calls, counting rejected points), in increasing order.
 *
 * <pre>{@code
 * double[][] pts = {{0.0, 1.0}, {0.5, 0.5}, {0.6, 0.6}, {1.0, 0.0}, {0.5, 0.5}};
 * int[] front = ParetoFront.nonDominated(pts);      // {0, 1, 3}: 2 is dominated by 1, 4 ties with 1
 * ParetoFront f = new ParetoFront(2);
 * f.add(new double[] {1, 1});                        // entered, removed nothing
 * ParetoFront.Added a = f.add(new double[] {0, 1});  // a.entered() true, a.removed() = [0]
 * }</pre>
 *
 * <p>Not thread-safe; {@link #nonDominated} is a pure function (O(n^2 m)).
 */
public final class ParetoFront {
    /**
     * What one {@link #add} did.
     *
     * @param index the index given to the point (the count of points added before it)
     * @param entered whether the point is now on the front
     * @param removed indices of the front members it dominated and removed, increasing; empty if none
     */
    public record Added(int index, boolean entered, int[] removed) {
        public Added {
            removed = removed.clone();
        }

        @Override
        public int[] removed() {
            return removed.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Added a && a.index == index && a.entered == entered
                    && Arrays.equals(a.removed, removed);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * index + Boolean.hashCode(entered)) + Arrays.hashCode(removed);
        }

        @Override
        public String toString() {
            return "Added[index=" + index + ", entered=" + entered + ", removed=" + Arrays.toString(removed) + "]";
        }
    }

    private final int objectives;
    private final List<Integer> indices = new ArrayList<>();
    private final List<double[]> points = new ArrayList<>();
    private int count;

    /**
     * An empty front.
     *
     * @param objectives {@code m}, the number of objectives of every point, at least 1
     */
    public ParetoFront(int objectives) {
        if (objectives < 1) {
            throw new IllegalArgumentException("objectives must be >= 1, got " + objectives);
        }
        this.objectives = objectives;
    }

    /** @return {@code m}, the number of objectives */
    public int objectives() {
        return objectives;
    }

    /**
     * Offers one point to the front. It enters unless a member dominates or equals it, or it has a non-finite
     * objective; when it enters, the members it dominates leave.
     *
     * @param point a {@code double[m]}; copied
     * @return the index given to the point, whether it entered and which members it removed
     */
    public Added add(double[] point) {
        checkLength(point, objectives, "point");
        int index = count++;
        if (!finite(point)) {
            return new Added(index, false, new int[0]);
        }
        for (double[] member : points) {
            if (dominates(member, point) || same(member, point)) {
                return new Added(index, false, new int[0]);
            }
        }
        List<Integer> removed = new ArrayList<>();
        for (int i = points.size() - 1; i >= 0; i--) {
            if (dominates(point, points.get(i))) {
                removed.add(0, indices.remove(i));
                points.remove(i);
            }
        }
        indices.add(index);
        points.add(point.clone());
        return new Added(index, true, removed.stream().mapToInt(Integer::intValue).toArray());
    }

    /** @return the indices of the current members, increasing */
    public int[] indices() {
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return copies of the current members, a {@code double[size][m]} in the order of {@link #indices()} */
    public double[][] points() {
        double[][] out = new double[points.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = points.get(i).clone();
        }
        return out;
    }

    /** @return the number of members */
    public int size() {
        return points.size();
    }

    /**
     * Whether {@code a} dominates {@code b} (all objectives minimised): no worse in every objective and
     * strictly better in at least one. False if either has a NaN where compared.
     *
     * @param a a {@code double[m]}
     * @param b a {@code double[m]}
     */
    public static boolean dominates(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("points differ in length: " + a.length + " and " + b.length);
        }
        boolean strictly = false;
        for (int k = 0; k < a.length; k++) {
            if (!(a[k] <= b[k])) {
                return false;
            }
            if (a[k] < b[k]) {
                strictly = true;
            }
        }
        return strictly;
    }

    /**
     * The non-dominated rows of a batch: row {@code i} is kept when its objectives are finite, no finite row
     * dominates it and no earlier finite row equals it.
     *
     * @param points a {@code double[n][m]}, {@code n >= 0}, every row of the same length {@code m >= 1}
     * @return the kept row indices in input order
     */
    public static int[] nonDominated(double[][] points) {
        checkRectangular(points);
        int n = points.length;
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            ok[i] = finite(points[i]);
        }
        int[] out = new int[n];
        int size = 0;
        outer:
        for (int i = 0; i < n; i++) {
            if (!ok[i]) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                if (j != i && ok[j] && (dominates(points[j], points[i]) || (j < i && same(points[j], points[i])))) {
                    continue outer;
                }
            }
            out[size++] = i;
        }
        return Arrays.copyOf(out, size);
    }

    static void checkRectangular(double[][] points) {
        if (points.length == 0) {
            return;
        }
        int m = points[0].length;
        if (m < 1) {
            throw new IllegalArgumentException("points[0] must have at least 1 objective, got 0");
        }
        for (int i = 0; i < points.length; i++) {
            checkLength(points[i], m, "points[" + i + "]");
        }
    }

    static void checkLength(double[] point, int m, String name) {
        if (point == null || point.length != m) {
            throw new IllegalArgumentException(name + " must have " + m + " objectives, got "
                    + (point == null ? "null" : point.length));
        }
    }

    /** Equal in every objective ({@code ==}, so 0.0 equals -0.0). */
    static boolean same(double[] a, double[] b) {
        for (int k = 0; k < a.length; k++) {
            if (a[k] != b[k]) {
                return false;
            }
        }
        return true;
    }

    static boolean finite(double[] point) {
        for (double v : point) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
