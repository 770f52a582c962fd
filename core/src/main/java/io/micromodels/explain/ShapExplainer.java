package io.micromodels.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Interventional SHAP values per original feature (group) against a weighted {@link Background}.
 *
 * <p>The value of a coalition S of features for the explained row x is
 * {@code v(S) = sum_b w_b f(x_S, b_notS)}: each background row b with the columns of the features
 * in S replaced by x's. The base value is {@code v({}) = sum_b w_b f(b)}, computed once on
 * construction; {@code v(all) = f(x)}. A feature (group) on whose columns every background row
 * equals x cannot change any v(S); it gets SHAP value 0 and is left out of the game, as in the
 * shap library.
 *
 * <ul>
 *   <li><b>Exact</b> (up to {@link ShapOptions#exactMaxFeatures()} varying features under AUTO):
 *       v(S) for all 2^M coalitions, then
 *       {@code phi_i = sum_{S without i} |S|!(M-|S|-1)!/M! (v(S+i) - v(S))}.</li>
 *   <li><b>Kernel SHAP</b> beyond: the coalitions of {@link ShapOptions#kernelBudget(int)} chosen
 *       as the shap library's KernelExplainer does (complete sizes first, then paired random
 *       draws), Shapley kernel weights, and weighted least squares with the efficiency constraint
 *       {@code sum phi = f(x) - base} enforced exactly by eliminating the last feature. Its
 *       coalition sampling for row x is seeded by {@link ShapOptions#seed()} mixed with x's
 *       contents, so a row's explanation does not depend on which other rows are explained.</li>
 * </ul>
 *
 * <p>Batched evaluation: for one explained row, all coalition-by-background rows (plus x itself)
 * are built into one preallocated {@code [min(rows, maxRowsPerCall)][width]} buffer and passed to
 * the model in {@code ceil(rows / maxRowsPerCall)} calls; exact SHAP of 10 features over 100
 * background rows is 102,201 rows, so 2 calls at the default 65,536; 12 features is 409,401
 * rows (7 calls); Kernel SHAP of 30 features at the default budget is 210,801 rows (4 calls).
 * One buffer is kept between calls and reused; a call made while another holds it gets its own,
 * so an explainer is as thread-safe as its model.
 *
 * <pre>{@code
 * ShapExplainer shap = Explainer.shap(model, Background.sample(train, groups, BackgroundOptions.DEFAULTS), groups);
 * ShapExplanation e = shap.explain(row);          // row: [width]
 * double check = e.baseValue() + Arrays.stream(e.values()).sum();   // == e.output()
 * }</pre>
 */
public final class ShapExplainer {

    private final BatchModel model;
    private final FeatureGroups groups;
    private final ShapOptions options;
    private final double[][] bg;
    private final double[] bw;
    private final int width;
    private final double[] bgOut;        // f(b) per background row, shape [B]
    private final double baseValue;
    /** A row buffer kept between calls; a call takes it (or makes its own when another call has it). */
    private final java.util.concurrent.atomic.AtomicReference<RowBatcher> spare =
            new java.util.concurrent.atomic.AtomicReference<>();

    ShapExplainer(BatchModel model, Background background, FeatureGroups groups, ShapOptions options) {
        this.model = Check.notNull("model", model);
        Check.notNull("background", background);
        this.groups = Check.notNull("groups", groups);
        this.options = Check.notNull("options", options);
        this.width = background.width();
        if (groups.width() != width) {
            throw new IllegalArgumentException("feature groups cover " + groups.width()
                    + " columns but background rows have " + width);
        }
        this.bg = background.rowsView();
        this.bw = background.weightsView();
        RowBatcher batcher = new RowBatcher(model, width, options.maxRowsPerCall());
        this.bgOut = batcher.evaluate(bg.length, (i, row) -> System.arraycopy(bg[i], 0, row, 0, width));
        spare.set(batcher);
        double base = 0;
        for (int b = 0; b < bg.length; b++) base += bw[b] * bgOut[b];
        this.baseValue = base;
    }

    /** E[f(X)] over the background: the weighted mean model output. */
    public double baseValue() {
        return baseValue;
    }

    /** The feature groups explained, M = {@code groups().size()}. */
    public FeatureGroups groups() {
        return groups;
    }

    /** The options in force. */
    public ShapOptions options() {
        return options;
    }

    /**
     * Explains one row.
     *
     * @param row model input columns, shape [width]
     * @return base value, one SHAP value per feature group, and f(row)
     */
    public ShapExplanation explain(double[] row) {
        RowBatcher batcher = borrow();
        try {
            return explain(row, batcher);
        } finally {
            spare.set(batcher);
        }
    }

    /**
     * Explains many rows, each exactly as by {@link #explain(double[])} (a row's explanation depends on that row
     * alone), on up to as many threads as there are processors (the common fork-join pool and the caller), each
     * reusing one row buffer.
     *
     * @param rows model input rows, shape [n][width], n &ge; 1
     */
    public ShapExplanations explain(double[][] rows) {
        Check.matrix("rows", rows, 1);
        int n = rows.length;
        int threads = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors()));
        ShapExplanation[] out = new ShapExplanation[n];
        java.util.stream.IntStream.range(0, threads).parallel().forEach(t -> {
            RowBatcher batcher = borrow();
            try {
                for (int i = t; i < n; i += threads) out[i] = explain(rows[i], batcher);
            } finally {
                spare.set(batcher);
            }
        });
        return new ShapExplanations(List.of(out));
    }

    /**
     * The spare row buffer if no other call holds it, else a new one. Reusing one long-lived buffer
     * matters: a fresh {@code [65,536][width]} buffer per explained row is tens of MB of short-lived
     * arrays that are still live at the next young collection, so the GC copies them every time.
     */
    private RowBatcher borrow() {
        RowBatcher b = spare.getAndSet(null);
        return b != null ? b : new RowBatcher(model, width, options.maxRowsPerCall());
    }

    ShapExplanation explain(double[] row, RowBatcher batcher) {
        Check.notNull("row", row);
        if (row.length != width) {
            throw new IllegalArgumentException("row must have " + width + " columns, got " + row.length);
        }
        double[] x = row.clone();
        int mAll = groups.size();
        int[] players = varyingGroups(x);
        int m = players.length;
        double[] phi = new double[mAll];
        double fx;
        boolean exact = switch (options.algorithm()) {
            case EXACT -> true;
            case KERNEL -> false;
            case AUTO -> m <= options.exactMaxFeatures();
        };
        if (m < 2) {
            fx = batcher.evaluate(1, (i, r) -> System.arraycopy(x, 0, r, 0, width))[0];
            if (m == 1) phi[players[0]] = fx - baseValue;
        } else if (exact) {
            if (m > ShapOptions.EXACT_LIMIT) {
                throw new IllegalStateException("exact SHAP enumerates 2^M coalitions and accepts at most "
                        + ShapOptions.EXACT_LIMIT + " varying features, got " + m + "; use KERNEL or AUTO");
            }
            fx = exact(x, players, phi, batcher);
        } else {
            SplittableRandom rng = new SplittableRandom(options.seed() ^ (0x9E3779B97F4A7C15L * Arrays.hashCode(x)));
            fx = kernel(x, players, phi, batcher, rng);
        }
        double[] fv = new double[mAll];
        List<String> labels = new ArrayList<>(mAll);
        for (int g = 0; g < mAll; g++) {
            fv[g] = groups.featureValue(g, x);
            labels.add(groups.displayValue(g, x));
        }
        return new ShapExplanation(groups.names(), baseValue, phi, fx, fv, labels);
    }

    /** Groups on which at least one background row differs from x. */
    private int[] varyingGroups(double[] x) {
        int[] out = new int[groups.size()];
        int m = 0;
        for (int g = 0; g < groups.size(); g++) {
            int[] cols = groups.columnsView(g);
            boolean varies = false;
            for (int b = 0; b < bg.length && !varies; b++) {
                for (int c : cols) {
                    if (Double.compare(bg[b][c], x[c]) != 0) { varies = true; break; }
                }
            }
            if (varies) out[m++] = g;
        }
        return Arrays.copyOf(out, m);
    }

    /**
     * Exact SHAP. Background row b agrees with x on some players (always so for a one-hot group
     * holding x's level, or a binary feature holding x's value); with d_b the players on which b
     * differs, the synthetic row of coalition S depends only on {@code T = S & d_b}. So only the
     * 2^|d_b| - 2 rows with T strictly between {} and d_b are evaluated (T = {} is b itself, known
     * from the base-value pass; T = d_b is x), and each output is added to every v(S) with
     * {@code S & d_b == T}. With continuous features this is (2^M - 2) * B + 1 rows; with
     * categorical ones often far fewer.
     */
    private double exact(double[] x, int[] players, double[] phi, RowBatcher batcher) {
        int m = players.length;
        int full = (1 << m) - 1;
        int nb = bg.length;
        int[] differ = new int[nb];
        long[] first = new long[nb + 1];         // first synthetic row index of each background row
        for (int b = 0; b < nb; b++) {
            int d = 0;
            for (int j = 0; j < m; j++) {
                for (int c : groups.columnsView(players[j])) {
                    if (Double.compare(bg[b][c], x[c]) != 0) { d |= 1 << j; break; }
                }
            }
            differ[b] = d;
            int k = Integer.bitCount(d);
            first[b + 1] = first[b] + (k >= 2 ? (1L << k) - 2 : 0);
        }
        long total = first[nb] + 1;                // + x itself
        if (total > Integer.MAX_VALUE) throw new IllegalStateException("too many synthetic rows: " + total);
        double[] v = new double[full + 1];
        double[] xWeight = new double[full + 1];   // weight of f(x) in v(S): rows with S & d_b == d_b != {}
        for (int b = 0; b < nb; b++) {
            int d = differ[b];
            int comp = full & ~d;
            // T = {}: every S disjoint from d_b sees b itself.
            for (int u = comp; ; u = (u - 1) & comp) {
                v[u] += bw[b] * bgOut[b];
                if (u == 0) break;
            }
            if (d != 0) {
                for (int u = comp; ; u = (u - 1) & comp) {
                    xWeight[d | u] += bw[b];
                    if (u == 0) break;
                }
            }
        }
        ExactFiller filler = new ExactFiller(x, players, differ, first);
        double[] fx = {Double.NaN};
        int last = (int) total - 1;
        batcher.evaluate((int) total, filler, new RowBatcher.Sink() {
            private final SubsetCursor cursor = new SubsetCursor(differ, first);

            @Override
            public void accept(int start, double[] y, int n) {
                for (int i = 0; i < n; i++) {
                    int idx = start + i;
                    if (idx == last) { fx[0] = y[i]; continue; }
                    int t = cursor.seek(idx);
                    int b = cursor.b;
                    int d = differ[b];
                    int comp = full & ~d;
                    double wy = bw[b] * y[i];
                    for (int u = comp; ; u = (u - 1) & comp) {
                        v[t | u] += wy;
                        if (u == 0) break;
                    }
                }
            }
        });
        for (int s = 0; s <= full; s++) v[s] += xWeight[s] * fx[0];
        double[] w = new double[m];                 // |S|!(m-|S|-1)!/m! = 1 / (m * C(m-1, |S|))
        for (int s = 0; s < m; s++) w[s] = 1.0 / (m * KernelSampler.binomial(m - 1, s));
        for (int j = 0; j < m; j++) {
            int bit = 1 << j;
            double sum = 0;
            for (int mask = 0; mask <= full; mask++) {
                if ((mask & bit) != 0) continue;
                sum += w[Integer.bitCount(mask)] * (v[mask | bit] - v[mask]);
            }
            phi[players[j]] = sum;
        }
        return fx[0];
    }

    /** Scatters the low bits of {@code k} onto the set bits of {@code mask} (bit deposit). */
    static int deposit(int k, int mask) {
        int out = 0;
        for (int m = mask; m != 0 && k != 0; m &= m - 1, k >>>= 1) {
            if ((k & 1) != 0) out |= Integer.lowestOneBit(m);
        }
        return out;
    }

    /**
     * Maps exact SHAP's synthetic row index to (background row b, subset T of d_b). Rows of b are
     * the subsets of d_b strictly between {} and d_b in increasing order, so consecutive indices step
     * to the next subset in O(1); any other jump falls back to a bit deposit.
     */
    private static final class SubsetCursor {
        private final int[] differ;
        private final long[] first;
        int b = 0;
        private int t = 0;
        private long at = -2;

        SubsetCursor(int[] differ, long[] first) {
            this.differ = differ;
            this.first = first;
        }

        int seek(long index) {
            int d = differ[b];
            if (index == at + 1 && index < first[b + 1]) {
                t = ((t | ~d) + 1) & d;           // next subset of d in increasing order
            } else {
                if (index < first[b]) b = 0;
                while (index >= first[b + 1]) b++;
                t = deposit((int) (index - first[b]) + 1, differ[b]);
            }
            at = index;
            return t;
        }
    }

    /** Builds exact SHAP's rows: background row b with the players of T = deposit(k, d_b) from x. */
    private final class ExactFiller implements RowBatcher.Filler {
        private final double[] x;
        private final int[] players;
        private final int[] differ;
        private final long[] first;
        private final int last;
        private final SubsetCursor cursor;

        ExactFiller(double[] x, int[] players, int[] differ, long[] first) {
            this.x = x;
            this.players = players;
            this.differ = differ;
            this.first = first;
            this.last = (int) first[first.length - 1];
            this.cursor = new SubsetCursor(differ, first);
        }

        @Override
        public void fill(int index, double[] row) {
            if (index == last) {
                System.arraycopy(x, 0, row, 0, width);
                return;
            }
            int t = cursor.seek(index);
            int b = cursor.b;
            int d = differ[b];
            int fromBg = d & ~t;                  // players of d_b not in T keep b's values
            if (Integer.bitCount(t) <= Integer.bitCount(fromBg)) {
                System.arraycopy(bg[b], 0, row, 0, width);
                copyPlayers(t, x, row);
            } else {
                System.arraycopy(x, 0, row, 0, width);
                copyPlayers(fromBg, bg[b], row);
            }
        }

        private void copyPlayers(int set, double[] from, double[] row) {
            for (int s = set; s != 0; s &= s - 1) {
                for (int c : groups.columnsView(players[Integer.numberOfTrailingZeros(s)])) row[c] = from[c];
            }
        }
    }

    private double kernel(double[] x, int[] players, double[] phi, RowBatcher batcher, SplittableRandom rng) {
        int m = players.length;
        KernelSampler.Samples samples = KernelSampler.sample(m, options.kernelBudget(m), rng);
        boolean[][] masks = samples.masks();
        double[] kw = samples.weights();
        int k = masks.length;
        double[] v = new double[k];
        double fx = coalitionValues(x, players, k, (c, into) -> System.arraycopy(masks[c], 0, into, 0, m), v, 0,
                batcher);
        double delta = fx - baseValue;
        // Eliminate the last player with sum(phi) = delta:
        //   v_k - base - z_k,last * delta = sum_{j<last} (z_kj - z_k,last) phi_j
        DMatrixRMaj a = new DMatrixRMaj(k, m - 1);
        DMatrixRMaj b = new DMatrixRMaj(k, 1);
        for (int r = 0; r < k; r++) {
            double sw = Math.sqrt(kw[r]);
            double zl = masks[r][m - 1] ? 1 : 0;
            for (int j = 0; j < m - 1; j++) a.unsafe_set(r, j, sw * ((masks[r][j] ? 1 : 0) - zl));
            b.unsafe_set(r, 0, sw * (v[r] - baseValue - zl * delta));
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquaresQrPivot(true, false);
        if (!solver.setA(a)) throw new IllegalStateException("Kernel SHAP least-squares decomposition failed");
        DMatrixRMaj sol = new DMatrixRMaj(m - 1, 1);
        solver.solve(b, sol);
        double sum = 0;
        for (int j = 0; j < m - 1; j++) {
            phi[players[j]] = sol.get(j, 0);
            sum += sol.get(j, 0);
        }
        phi[players[m - 1]] = delta - sum;
        return fx;
    }

    /** Membership of coalition {@code c} over the players, written into {@code into} (shape [M]). */
    @FunctionalInterface
    private interface MaskSource {
        void mask(int c, boolean[] into);
    }

    /**
     * Evaluates v for {@code count} coalitions into {@code v[offset + c]}, batching
     * {@code count * B + 1} rows (the last is x itself); returns f(x).
     */
    private double coalitionValues(double[] x, int[] players, int count, MaskSource masks, double[] v, int offset,
                                   RowBatcher batcher) {
        int nb = bg.length;
        long total = (long) count * nb + 1;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException("too many synthetic rows for one explanation: " + total);
        }
        CoalitionFiller filler = new CoalitionFiller(x, players, masks, nb, count);
        double[] fx = {Double.NaN};
        int rowsForCoalitions = count * nb;
        batcher.evaluate((int) total, filler, (start, y, n) -> {
            for (int i = 0; i < n; i++) {
                int idx = start + i;
                if (idx < rowsForCoalitions) {
                    v[offset + idx / nb] += bw[idx % nb] * y[i];
                } else {
                    fx[0] = y[i];
                }
            }
        });
        return fx[0];
    }

    /**
     * Builds synthetic row {@code c * B + b}: background row b with coalition c's feature columns from
     * x; starts from whichever of the two sources supplies more columns. Index {@code count * B} is x.
     * Called with increasing indices, so the columns of the current coalition are cached.
     */
    private final class CoalitionFiller implements RowBatcher.Filler {
        private final double[] x;
        private final int[] players;
        private final MaskSource masks;
        private final int nb;
        private final int count;
        private final boolean[] member;
        private final int[] cols;
        private int nCols;
        private boolean fromX;
        private int current = -1;

        CoalitionFiller(double[] x, int[] players, MaskSource masks, int nb, int count) {
            this.x = x;
            this.count = count;
            this.players = players;
            this.masks = masks;
            this.nb = nb;
            this.member = new boolean[players.length];
            this.cols = new int[width];
        }

        @Override
        public void fill(int index, double[] row) {
            int c = index / nb;
            int b = index - c * nb;
            if (c != current) prepare(c);
            double[] bgRow = bg[b];
            if (fromX) {
                System.arraycopy(x, 0, row, 0, width);
                for (int i = 0; i < nCols; i++) row[cols[i]] = bgRow[cols[i]];
            } else {
                System.arraycopy(bgRow, 0, row, 0, width);
                for (int i = 0; i < nCols; i++) row[cols[i]] = x[cols[i]];
            }
        }

        private void prepare(int c) {
            current = c;
            nCols = 0;
            if (c == count) {                 // the trailing row: x itself
                fromX = true;
                return;
            }
            masks.mask(c, member);
            int inCols = 0;
            int outCols = 0;
            for (int j = 0; j < players.length; j++) {
                int n = groups.columnsView(players[j]).length;
                if (member[j]) inCols += n; else outCols += n;
            }
            fromX = inCols > outCols;
            for (int j = 0; j < players.length; j++) {
                if (member[j] != fromX) {
                    for (int col : groups.columnsView(players[j])) cols[nCols++] = col;
                }
            }
        }
    }
}
