package io.micromodels.tune.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Exact dominated hypervolume of a set of points (all objectives <b>minimised</b>) with respect to a reference
 * point: the Lebesgue measure of the union of the boxes {@code [p, reference]}.
 *
 * <p>Only points strictly better than the reference in every objective (and finite) contribute; others are
 * ignored, as are dominated points. Algorithms: {@code m = 1} a difference; {@code m = 2} sort by the first
 * objective and sweep (O(n log n)); {@code m = 3} slices between successive third-objective values, each a 2-D
 * sweep (O(n^2 log n)); {@code m >= 4} the WFG recursion of While, Bradstreet and Barone (2012)
 * ({@link #general}), exact but exponential in the worst case: meant for small fronts (tens of points).
 *
 * <p>Shapes: {@code points} is a {@code double[n][m]} ({@code n >= 0}), {@code reference} a {@code double[m]}
 * of finite values, {@code m >= 1}.
 *
 * <pre>{@code
 * double[][] front = {{1, 3}, {2, 2}, {3, 1}};
 * double hv = Hypervolume.of(front, new double[] {4, 4});   // 6.0 (three 1x1 steps: 3 + 2 + 1)
 * }</pre>
 */
public final class Hypervolume {
    private Hypervolume() {}

    /**
     * The exact hypervolume, choosing the algorithm by {@code m}.
     *
     * @param points a {@code double[n][m]}; not modified
     * @param reference a {@code double[m]}, finite
     * @return the dominated hypervolume, {@code >= 0}; 0 when no point is strictly better than the reference
     */
    public static double of(double[][] points, double[] reference) {
        double[][] p = contributing(points, reference);
        int m = reference.length;
        if (p.length == 0) {
            return 0.0;
        }
        return switch (m) {
            case 1 -> reference[0] - Arrays.stream(p).mapToDouble(q -> q[0]).min().orElseThrow();
            case 2 -> sweep2(p, reference);
            case 3 -> slice3(p, reference);
            default -> wfg(nonDominatedCopy(p), reference);
        };
    }

    /**
     * The exact hypervolume by the WFG recursion for any {@code m}, whatever {@code m} is (used for
     * {@code m >= 4} by {@link #of}; exposed to check it against the 2-D and 3-D algorithms).
     *
     * @param points a {@code double[n][m]}; not modified
     * @param reference a {@code double[m]}, finite
     * @return the dominated hypervolume, {@code >= 0}
     */
    public static double general(double[][] points, double[] reference) {
        double[][] p = contributing(points, reference);
        return p.length == 0 ? 0.0 : wfg(nonDominatedCopy(p), reference);
    }

    /** Validated copies of the finite rows strictly better than the reference in every objective. */
    private static double[][] contributing(double[][] points, double[] reference) {
        if (reference == null || reference.length < 1) {
            throw new IllegalArgumentException("reference must have at least 1 objective");
        }
        for (int k = 0; k < reference.length; k++) {
            if (!Double.isFinite(reference[k])) {
                throw new IllegalArgumentException("reference[" + k + "] must be finite, got " + reference[k]);
            }
        }
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            ParetoFront.checkLength(points[i], reference.length, "points[" + i + "]");
            if (!ParetoFront.finite(points[i])) {
                continue;
            }
            boolean better = true;
            for (int k = 0; k < reference.length && better; k++) {
                better = points[i][k] < reference[k];
            }
            if (better) {
                out.add(points[i].clone());
            }
        }
        return out.toArray(new double[0][]);
    }

    /** 2-D: sorted by the first objective, each point adds the strip between its second objective and the best so far. */
    private static double sweep2(double[][] p, double[] ref) {
        double[][] s = p.clone();
        Arrays.sort(s, Comparator.<double[]>comparingDouble(q -> q[0]).thenComparingDouble(q -> q[1]));
        double volume = 0.0;
        double bestY = ref[1];
        for (double[] q : s) {
            if (q[1] < bestY) {
                volume += (ref[0] - q[0]) * (bestY - q[1]);
                bestY = q[1];
            }
        }
        return volume;
    }

    /** 3-D: between successive distinct third-objective values, the area of the points at or below the slice. */
    private static double slice3(double[][] p, double[] ref) {
        double[][] s = p.clone();
        Arrays.sort(s, Comparator.comparingDouble(q -> q[2]));
        double[] ref2 = {ref[0], ref[1]};
        double volume = 0.0;
        int i = 0;
        while (i < s.length) {
            double z = s[i][2];
            while (i < s.length && s[i][2] == z) {
                i++;
            }
            double next = i < s.length ? s[i][2] : ref[2];
            double[][] below = new double[i][];
            for (int j = 0; j < i; j++) {
                below[j] = new double[] {s[j][0], s[j][1]};
            }
            volume += sweep2(below, ref2) * (next - z);
        }
        return volume;
    }

    /** WFG: the sum over points of their exclusive volume with respect to the points after them. */
    private static double wfg(double[][] p, double[] ref) {
        double volume = 0.0;
        for (int k = 0; k < p.length; k++) {
            volume += exclusive(p, k, ref);
        }
        return volume;
    }

    private static double exclusive(double[][] p, int k, double[] ref) {
        double box = 1.0;
        for (int j = 0; j < ref.length; j++) {
            box *= ref[j] - p[k][j];
        }
        int rest = p.length - k - 1;
        if (rest == 0) {
            return box;
        }
        double[][] limited = new double[rest][ref.length];
        for (int i = 0; i < rest; i++) {
            for (int j = 0; j < ref.length; j++) {
                limited[i][j] = Math.max(p[k][j], p[k + 1 + i][j]);
            }
        }
        return box - wfg(nonDominatedCopy(limited), ref);
    }

    /** The non-dominated rows (first of ties kept), sorted by the last objective, worst first (WFG's usual order). */
    private static double[][] nonDominatedCopy(double[][] p) {
        int[] keep = ParetoFront.nonDominated(p);
        double[][] out = new double[keep.length][];
        for (int i = 0; i < keep.length; i++) {
            out[i] = p[keep[i]];
        }
        int last = out.length == 0 ? 0 : out[0].length - 1;
        Arrays.sort(out, Comparator.comparingDouble((double[] q) -> q[last]).reversed());
        return out;
    }
}
