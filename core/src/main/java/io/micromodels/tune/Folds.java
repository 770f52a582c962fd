package io.micromodels.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The K train/validation row sets of a cross-validation over {@code n} rows (indices {@code 0..n-1}, in a study the
 * training then validation rows; the test split never takes part). Immutable. Four kinds, all seeded where chance is
 * involved:
 * <ul>
 *   <li>{@link #stratified}: every fold holds each class in about the same proportion (per class, the rows are
 *       shuffled and dealt round-robin, the deal continuing across classes so fold sizes differ by at most one);</li>
 *   <li>{@link #plain}: shuffled rows dealt into K folds of sizes differing by at most one (regression);</li>
 *   <li>{@link #grouped}: rows of one group are always in the same fold (groups are shuffled, then placed largest
 *       first into the fold with the fewest rows, as scikit-learn's {@code GroupKFold});</li>
 *   <li>{@link #timeOrdered}: rows in time order are cut into K + 1 consecutive blocks; fold i trains on blocks
 *       {@code 0..i} and validates on block {@code i + 1} (an expanding window, as scikit-learn's
 *       {@code TimeSeriesSplit}): a fold never trains on rows later than any it is validated on.</li>
 * </ul>
 * In the first three every row is validated on exactly once and trained on in the other K - 1 folds.
 *
 * <pre>{@code
 * Folds folds = Folds.stratified(new int[] {0, 1, 0, 0, 1, 1, 0, 1, 0, 1}, 2, 5, 42);
 * int[] trainRows = folds.train(0);        // rows to train fold 0 on
 * int[] validationRows = folds.validation(0);
 * }</pre>
 */
public final class Folds {
    /** Largest number of folds. */
    public static final int MAX_FOLDS = 100;

    private final List<int[]> train;
    private final List<int[]> validation;
    private final String kind;

    private Folds(List<int[]> train, List<int[]> validation, String kind) {
        this.train = train;
        this.validation = validation;
        this.kind = kind;
    }

    private static void checkK(int k) {
        if (k < 2 || k > MAX_FOLDS) {
            throw new IllegalArgumentException("cv must be in [2, " + MAX_FOLDS + "] folds, got " + k);
        }
    }

    /**
     * Stratified K folds.
     *
     * @param classes shape {@code [n]}: each row's class in {@code [0, numClasses)}
     * @param labels  the class names, for messages; {@code labels.size()} classes
     * @param k       folds, in {@code [2, 100]}, at most the size of the smallest class present
     * @param seed    shuffling seed
     * @throws IllegalArgumentException when {@code k} is out of range or larger than the smallest class
     */
    public static Folds stratified(int[] classes, List<String> labels, int k, long seed) {
        checkK(k);
        int c = labels.size();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < classes.length; i++) {
            byClass.get(classes[i]).add(i);
        }
        for (int i = 0; i < c; i++) {
            int size = byClass.get(i).size();
            if (size > 0 && size < k) {
                throw new IllegalArgumentException("cv " + k + " is larger than the smallest class: '" + labels.get(i)
                        + "' has " + size + " rows among the training and validation rows; use at most " + size + " folds");
            }
        }
        Random random = new Random(seed);
        List<List<Integer>> folds = emptyFolds(k);
        int next = 0;
        for (List<Integer> rows : byClass) {
            Collections.shuffle(rows, random);
            for (int r : rows) {
                folds.get(next).add(r);
                next = (next + 1) % k;
            }
        }
        return complementFolds(folds, classes.length, "stratified");
    }

    /**
     * Shuffled K folds of sizes differing by at most one.
     *
     * @param n    rows, at least {@code k}
     * @param k    folds, in {@code [2, 100]}
     * @param seed shuffling seed
     */
    public static Folds plain(int n, int k, long seed) {
        checkK(k);
        if (n < k) {
            throw new IllegalArgumentException("cv " + k + " needs at least " + k + " rows, got " + n);
        }
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(i);
        }
        Collections.shuffle(rows, new Random(seed));
        List<List<Integer>> folds = emptyFolds(k);
        for (int i = 0; i < n; i++) {
            folds.get(i % k).add(rows.get(i));
        }
        return complementFolds(folds, n, "k-fold");
    }

    /**
     * K folds that never split a group.
     *
     * @param groups shape {@code [n]}: each row's group key (null and empty are a group of their own, "")
     * @param column the group column's name, for messages
     * @param k      folds, in {@code [2, 100]}, at most the number of distinct groups
     * @param seed   seed of the order among groups of equal size
     */
    public static Folds grouped(String[] groups, String column, int k, long seed) {
        checkK(k);
        Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < groups.length; i++) {
            byGroup.computeIfAbsent(groups[i] == null ? "" : groups[i], g -> new ArrayList<>()).add(i);
        }
        if (byGroup.size() < k) {
            throw new IllegalArgumentException("cv " + k + " needs at least " + k + " groups, but group column '" + column
                    + "' has " + byGroup.size() + " distinct values among the training and validation rows");
        }
        List<List<Integer>> order = new ArrayList<>(byGroup.values());
        Collections.shuffle(order, new Random(seed));
        order.sort((a, b) -> Integer.compare(b.size(), a.size())); // stable: equal sizes keep the shuffled order
        List<List<Integer>> folds = emptyFolds(k);
        for (List<Integer> g : order) {
            List<Integer> smallest = folds.get(0);
            for (List<Integer> f : folds) {
                if (f.size() < smallest.size()) {
                    smallest = f;
                }
            }
            smallest.addAll(g);
        }
        return complementFolds(folds, groups.length, "group");
    }

    /**
     * Expanding-window folds over rows already in time order ({@code 0} earliest).
     *
     * @param n rows in time order, at least {@code k + 1}
     * @param k folds, in {@code [2, 100]}
     */
    public static Folds timeOrdered(int n, int k) {
        checkK(k);
        if (n < k + 1) {
            throw new IllegalArgumentException("cv " + k + " in time order needs at least " + (k + 1) + " rows, got " + n);
        }
        List<int[]> train = new ArrayList<>();
        List<int[]> validation = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int end = (int) ((long) n * (i + 1) / (k + 1));
            int valEnd = (int) ((long) n * (i + 2) / (k + 1));
            train.add(range(0, end));
            validation.add(range(end, valEnd));
        }
        return new Folds(List.copyOf(train), List.copyOf(validation), "time-ordered");
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static List<List<Integer>> emptyFolds(int k) {
        List<List<Integer>> folds = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            folds.add(new ArrayList<>());
        }
        return folds;
    }

    private static Folds complementFolds(List<List<Integer>> folds, int n, String kind) {
        List<int[]> train = new ArrayList<>();
        List<int[]> validation = new ArrayList<>();
        for (List<Integer> f : folds) {
            int[] v = f.stream().mapToInt(Integer::intValue).sorted().toArray();
            boolean[] in = new boolean[n];
            for (int r : v) {
                in[r] = true;
            }
            int[] t = new int[n - v.length];
            int j = 0;
            for (int r = 0; r < n; r++) {
                if (!in[r]) {
                    t[j++] = r;
                }
            }
            train.add(t);
            validation.add(v);
        }
        return new Folds(List.copyOf(train), List.copyOf(validation), kind);
    }

    /** @return the number of folds K */
    public int size() {
        return train.size();
    }

    /** @return a copy of fold {@code i}'s training rows, ascending */
    public int[] train(int i) {
        return train.get(i).clone();
    }

    /** @return a copy of fold {@code i}'s validation rows, ascending */
    public int[] validation(int i) {
        return validation.get(i).clone();
    }

    /** @return every fold's training rows (copies) */
    public List<int[]> trainRows() {
        return train.stream().map(int[]::clone).toList();
    }

    /** @return every fold's validation rows (copies) */
    public List<int[]> validationRows() {
        return validation.stream().map(int[]::clone).toList();
    }

    /** @return {@code stratified}, {@code k-fold}, {@code group} or {@code time-ordered} */
    public String kind() {
        return kind;
    }

    @Override
    public String toString() {
        return size() + " " + kind + " folds, validation sizes "
                + Arrays.toString(validation.stream().mapToInt(v -> v.length).toArray());
    }
}
