package io.micromodels.data;

import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.frozen.TaskKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Step 6 of {@link DataPipeline#prepare}: top-k feature selection on the training split ({@link DataOptions#topK()},
 * scored by {@link FeatureSelection} with {@link DataOptions#selectionMethod()}; ties keep the earlier column). A
 * no-op when top-k is off or would keep every column.
 */
final class FeatureSelector {
    private FeatureSelector() {
    }

    /**
     * The columns kept.
     *
     * @param columns the kept columns, in order
     * @param xTrain  the training split's unscaled features of the kept columns, [train rows, their width]; null when
     *                no selection ran (then nothing computed them)
     */
    record Selection(List<ColumnSpec> columns, Rows xTrain) {
    }

    /**
     * @param unscaled  a pipeline of {@code columns} without scaling (its feature groups are the columns)
     * @param trainRows table row indices of the training split
     * @param split     for the training targets
     */
    static Selection select(List<ColumnSpec> columns, FittedPipeline unscaled, Table table, int[] trainRows, double[][] numbers,
                            TaskInference.Target target, Splitter.Split split, DataOptions options, PrepareLog log) {
        if (!(options.topK() > 0 && options.topK() < columns.size())) {
            return new Selection(columns, null);
        }
        TaskInfo task = target.task();
        Rows xTrain = ColumnarTransform.unscaled(unscaled, table, trainRows, numbers, null);
        List<int[]> groups = new ArrayList<>(unscaled.featureGroups().values());
        int[] trainClasses = task.kind() == TaskKind.REGRESSION ? null : target.classesAt(split.train());
        double[] trainY = task.kind() == TaskKind.REGRESSION ? target.valuesAt(split.train()) : null;
        double[] scores = FeatureSelection.scores(xTrain, groups, trainClasses, task.classes().size(), trainY, options.selectionMethod());
        Integer[] order = new Integer[scores.length];
        for (int g = 0; g < order.length; g++) {
            order[g] = g;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer g) -> -scores[g]).thenComparingInt(g -> g));
        Set<Integer> keep = new HashSet<>(Arrays.asList(order).subList(0, options.topK()));
        List<ColumnSpec> selected = new ArrayList<>();
        List<int[]> keptGroups = new ArrayList<>();
        StringBuilder kept = new StringBuilder();
        for (int g = 0; g < columns.size(); g++) {
            String score = String.format(Locale.ROOT, "%.4f", scores[g]);
            if (keep.contains(g)) {
                selected.add(columns.get(g));
                keptGroups.add(groups.get(g));
                kept.append(kept.length() == 0 ? "" : ", ").append(columns.get(g).name()).append(' ').append(score);
            } else {
                log.dropped.put(columns.get(g).name(), "not in the top " + options.topK() + " by "
                        + options.selectionMethod() + " (score " + score + ")");
            }
        }
        log.notes.add("feature selection kept " + options.topK() + " columns by " + options.selectionMethod() + " on the training split: " + kept);
        return new Selection(selected, xTrain.select(keptGroups));
    }
}
