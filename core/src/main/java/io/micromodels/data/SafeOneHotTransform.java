package io.micromodels.data;

import org.datavec.api.writable.DoubleWritable;
import org.datavec.api.writable.NullWritable;
import org.datavec.api.writable.Writable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One-hot encoding that tolerates new categories: a level not seen in training becomes all zeros (the caller's
 * {@link UnseenCounter} counts it, in {@link DataVecTransform}); a {@link NullWritable} (a missing cell, normally
 * replaced by the imputation level before this step) is all zeros.
 *
 * <p>Why not DataVec's {@code CategoricalToOneHotTransform}: it throws on a value outside the schema's state names,
 * so one new airport code at predict time would fail a whole batch. Unseen values are routine in production data; they
 * must be encoded as "none of the known levels" and counted (see {@link UnseenCounter}).
 */
final class SafeOneHotTransform extends ExpandColumnTransform {
    private static final long serialVersionUID = 1L;
    /**
     * Shared 0/1 writables: the rest of the process only copies references and reads them, never calls
     * {@code set}, so sharing avoids allocating one object per level per row (443 per row for the flights data).
     */
    private static final DoubleWritable ZERO = new DoubleWritable(0.0);
    private static final DoubleWritable ONE = new DoubleWritable(1.0);
    private final Map<String, Integer> index = new HashMap<>();

    SafeOneHotTransform(String column, List<String> levels, List<String> outputs) {
        super(column, outputs);
        for (int i = 0; i < levels.size(); i++) {
            index.put(levels.get(i), i);
        }
    }

    @Override
    void expand(Writable cell, List<Writable> out) {
        int hot = -1;
        if (!(cell instanceof NullWritable)) {
            Integer i = index.get(cell.toString());
            if (i != null) {
                hot = i;
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            out.add(i == hot ? ONE : ZERO);
        }
    }

    @Override
    public String toString() {
        return "SafeOneHotTransform(" + column + ", " + outputs.size() + " levels)";
    }
}
