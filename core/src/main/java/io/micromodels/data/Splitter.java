package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.plan.Cells;
import io.micromodels.frozen.plan.DateTimeStep;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Step 4 of {@link DataPipeline#prepare}: the train/validation/test split of the kept rows, seeded by
 * {@link DataOptions#seed()}: in time order when {@link DataOptions#timeColumn()} is set, plain random for regression,
 * else stratified per class. Every split must get at least one row.
 */
final class Splitter {
    private Splitter() {
    }

    /**
     * The split, as kept positions (indices into {@link RowFilter.Kept#rows()}).
     *
     * @param positions   {train, validation, test}
     * @param description how it was made, for the report (e.g. {@code stratified random (seed 42)})
     */
    record Split(int[][] positions, String description) {
        int[] train() {
            return positions[0];
        }

        int[] validation() {
            return positions[1];
        }

        int[] test() {
            return positions[2];
        }
    }

    /** @throws DataException naming the counts when a split would be empty, or for a time column that cannot order rows */
    static Split split(Table table, int[] kept, List<ColumnInfo> infos, TaskInference.Target target, DataOptions options) {
        TaskInfo task = target.task();
        int n = kept.length;
        int[][] split;
        String text;
        Random random = new Random(options.seed());
        if (options.timeColumn() != null) {
            split = timeSplit(table, kept, infos, options);
            text = "time-ordered by " + options.timeColumn();
        } else if (task.kind() == TaskKind.REGRESSION) {
            split = randomSplit(n, options.validationFraction(), options.testFraction(), random);
            text = "random (seed " + options.seed() + ")";
        } else {
            split = stratifiedSplit(target.classes(), task.classes().size(), options.validationFraction(), options.testFraction(), random);
            text = "stratified random (seed " + options.seed() + ")";
        }
        for (int s = 0; s < 3; s++) {
            if (split[s].length == 0) {
                throw new DataException(table.source() + ": only " + n + " usable rows; the train/validation/test split needs at least one row in each (got "
                        + split[0].length + "/" + split[1].length + "/" + split[2].length + ")");
            }
        }
        return new Split(split, text);
    }

    /** Seeded stratified split: per class, round(n_c · fraction) rows to validation and to test, the rest to training. */
    static int[][] stratifiedSplit(int[] classes, int k, double validation, double test, Random random) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < classes.length; i++) {
            byClass.get(classes[i]).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        List<Integer> tst = new ArrayList<>();
        for (List<Integer> members : byClass) {
            Collections.shuffle(members, random);
            int nc = members.size();
            int nv = (int) Math.round(nc * validation);
            int nt = Math.min((int) Math.round(nc * test), nc - nv);
            val.addAll(members.subList(0, nv));
            tst.addAll(members.subList(nv, nv + nt));
            train.addAll(members.subList(nv + nt, nc));
        }
        // Tiny data: make sure validation and test are not empty while training keeps a row.
        for (List<Integer> target : List.of(val, tst)) {
            if (target.isEmpty() && train.size() > 1) {
                target.add(train.remove(train.size() - 1));
            }
        }
        Collections.shuffle(train, random);
        Collections.shuffle(val, random);
        Collections.shuffle(tst, random);
        return new int[][] {toArray(train), toArray(val), toArray(tst)};
    }

    /** Seeded random split: the first round(n · validation) shuffled rows to validation, the next round(n · test) to test. */
    static int[][] randomSplit(int n, double validation, double test, Random random) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        Collections.shuffle(all, random);
        int nv = (int) Math.round(n * validation);
        int nt = Math.min((int) Math.round(n * test), n - nv);
        return new int[][] {toArray(all.subList(nv + nt, n)), toArray(all.subList(0, nv)), toArray(all.subList(nv, nv + nt))};
    }

    /** Time-ordered split: sort by the time column (stable), then train, validation, test in that order. */
    private static int[][] timeSplit(Table table, int[] kept, List<ColumnInfo> infos, DataOptions options) {
        String name = options.timeColumn();
        ColumnInfo info = infos.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new DataException(table.source() + ": time column '" + name + "' is not a feature column"));
        if (info.kind() != ColumnKind.DATETIME && !info.kind().isNumeric()) {
            throw new DataException(table.source() + ": time column '" + name + "' must hold date-times or numbers, but its kind is " + info.kind());
        }
        int col = table.indexOf(name);
        DateTimeFormatter f = info.kind() == ColumnKind.DATETIME ? DateTimeStep.formatter(info.pattern()) : null;
        double[] key = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            String v = table.cell(kept[i], col);
            if (Cells.isMissing(v)) {
                throw new DataException(table.source() + ": line " + table.line(kept[i]) + ", column '" + name
                        + "': the time column is missing, so the row cannot be placed in time");
            }
            if (f == null) {
                key[i] = Cells.number(v);
            } else {
                TemporalAccessor t = f.parse(v.strip());
                key[i] = info.hasTime() ? LocalDateTime.from(t).toEpochSecond(ZoneOffset.UTC)
                        : LocalDate.from(t).toEpochDay() * 86400.0;
            }
        }
        Integer[] order = new Integer[kept.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> key[i]));
        int n = order.length;
        int nv = (int) Math.round(n * options.validationFraction());
        int nt = Math.min((int) Math.round(n * options.testFraction()), n - nv);
        int ntrain = n - nv - nt;
        int[][] out = {new int[ntrain], new int[nv], new int[nt]};
        for (int i = 0; i < n; i++) {
            if (i < ntrain) {
                out[0][i] = order[i];
            } else if (i < ntrain + nv) {
                out[1][i - ntrain] = order[i];
            } else {
                out[2][i - ntrain - nv] = order[i];
            }
        }
        return out;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
