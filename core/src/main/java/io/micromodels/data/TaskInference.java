package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.plan.Cells;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Step 3 of {@link DataPipeline#prepare}: the task and the target of every kept row. Unless
 * {@link DataOptions#task()} says, a target with only numbers and more than ten distinct values is
 * {@link TaskKind#REGRESSION}, one with exactly two distinct values {@link TaskKind#BINARY}, else
 * {@link TaskKind#MULTICLASS}. Classes are sorted (numerically when all are numbers); the positive class of a binary
 * task is {@link DataOptions#positiveClass()}, else a yes-like token ({@code 1, true, yes, y, positive, pos}), else
 * the rarer class.
 */
final class TaskInference {
    private static final Set<String> POSITIVE_TOKENS = Set.of("1", "true", "yes", "y", "positive", "pos");

    private TaskInference() {
    }

    /**
     * The task and the per-row targets.
     *
     * @param classes per kept position: the class index (classification), else null
     * @param values  per kept position: the raw target value (regression), else null
     */
    record Target(TaskInfo task, int[] classes, double[] values) {
        /** The class indices at some kept positions. */
        int[] classesAt(int[] positions) {
            int[] out = new int[positions.length];
            for (int i = 0; i < positions.length; i++) {
                out[i] = classes[positions[i]];
            }
            return out;
        }

        /** The regression targets at some kept positions. */
        double[] valuesAt(int[] positions) {
            double[] out = new double[positions.length];
            for (int i = 0; i < positions.length; i++) {
                out[i] = values[positions[i]];
            }
            return out;
        }
    }

    /** @param kept table row indices, in kept-position order */
    static Target infer(Table table, int[] kept, int targetCol, DataOptions options) {
        String name = options.target();
        TaskKind kind = options.task();
        if (kind == null) {
            boolean numeric = true;
            Set<String> distinct = new HashSet<>();
            for (int r : kept) {
                String v = table.cell(r, targetCol).strip();
                distinct.add(v);
                if (numeric && !Cells.isNumeric(v)) {
                    numeric = false;
                }
            }
            if (numeric && distinct.size() > 10) {
                kind = TaskKind.REGRESSION;
            } else {
                kind = distinct.size() == 2 ? TaskKind.BINARY : TaskKind.MULTICLASS;
            }
        }
        if (kind == TaskKind.REGRESSION) {
            if (options.positiveClass() != null) {
                throw new DataException("positiveClass is set but the task is regression (target '" + name + "')");
            }
            double[] values = new double[kept.length];
            for (int i = 0; i < kept.length; i++) {
                values[i] = parseTarget(table.cell(kept[i], targetCol), table, kept[i], name);
            }
            return new Target(new TaskInfo(TaskKind.REGRESSION, name, List.of(), -1), null, values);
        }
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (int r : kept) {
            counts.merge(table.cell(r, targetCol).strip(), 1, Integer::sum);
        }
        List<String> classes = new ArrayList<>(counts.keySet());
        if (classes.stream().allMatch(Cells::isNumeric)) {
            classes.sort(Comparator.comparingDouble(s -> Double.parseDouble(s.strip())));
        }
        if (classes.size() < 2) {
            throw new DataException(table.source() + ": target '" + name + "' has a single class " + classes + "; nothing to learn");
        }
        if (kind == TaskKind.BINARY && classes.size() != 2) {
            throw new DataException(table.source() + ": task is BINARY but target '" + name + "' has " + classes.size()
                    + " classes: " + String.join(", ", classes.subList(0, Math.min(20, classes.size()))));
        }
        int positive = -1;
        if (kind == TaskKind.BINARY) {
            if (options.positiveClass() != null) {
                positive = classes.indexOf(options.positiveClass());
                if (positive < 0) {
                    throw new DataException(table.source() + ": positiveClass '" + options.positiveClass() + "' is not a class of target '"
                            + name + "' (classes: " + String.join(", ", classes) + ")");
                }
            } else {
                for (int c = 0; c < 2; c++) {
                    if (POSITIVE_TOKENS.contains(classes.get(c).toLowerCase(Locale.ROOT))) {
                        positive = c;
                    }
                }
                if (positive < 0) {
                    positive = counts.get(classes.get(0)) < counts.get(classes.get(1)) ? 0 : 1;
                }
            }
        } else if (options.positiveClass() != null) {
            throw new DataException(table.source() + ": positiveClass is set but target '" + name + "' has " + classes.size()
                    + " classes (task " + kind + ")");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            index.put(classes.get(c), c);
        }
        int[] cls = new int[kept.length];
        for (int i = 0; i < kept.length; i++) {
            cls[i] = index.get(table.cell(kept[i], targetCol).strip());
        }
        return new Target(new TaskInfo(kind, name, classes, positive), cls, null);
    }

    /** Parses a regression target cell; errors name the file, line, column and value. */
    static double parseTarget(String cell, Table table, int row, String target) {
        if (Cells.isMissing(cell)) {
            throw new DataException(table.source() + ": line " + table.line(row) + ", column '" + target + "': the target is missing");
        }
        try {
            return Cells.number(cell);
        } catch (NumberFormatException e) {
            throw new DataException(table.source() + ": line " + table.line(row) + ", column '" + target
                    + "': the regression target must be a finite number, got '" + cell + "'");
        }
    }
}
