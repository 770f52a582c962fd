package io.micromodels.bench.train;

import java.util.ArrayList;
import java.util.List;

/**
 * DL4J training settings one measurement runs with (the thread count is a property of the
 * JVM, see {@link TrainThroughput}).
 *
 * @param workspaces true for {@code WorkspaceMode.ENABLED} (DL4J's default) for training and
 *                   inference, false for {@code WorkspaceMode.NONE}
 * @param gc         periodic ND4J GC: {@code default} (leave ND4J's setting), {@code off}
 *                   ({@code togglePeriodicGc(false)}), {@code on} ({@code togglePeriodicGc(true)},
 *                   {@code setAutoGcWindow(100)}), or {@code flip} (the opposite of ND4J's default)
 * @param dtype      {@code FLOAT} (reference) or {@code DOUBLE}, for parameters and data
 * @param fit        {@code dataset}: {@code fit(DataSet)} on pre-built batches;
 *                   {@code arrays}: {@code fit(INDArray features, INDArray labels)} on pre-built arrays;
 *                   {@code iterator}: {@code fit(DataSetIterator)} over a {@code ListDataSetIterator}
 *                   of single rows that assembles each batch (one epoch per call)
 */
public record TrainSettings(boolean workspaces, String gc, String dtype, String fit) {

    /** Period of the automatic GC when it is switched on, in milliseconds. */
    public static final int GC_WINDOW_MS = 100;

    /** DL4J's out-of-the-box settings. */
    public static TrainSettings defaults() {
        return new TrainSettings(true, "default", "FLOAT", "dataset");
    }

    public TrainSettings withWorkspaces(boolean ws) {
        return new TrainSettings(ws, gc, dtype, fit);
    }

    public TrainSettings withGc(String g) {
        return new TrainSettings(workspaces, g, dtype, fit);
    }

    public TrainSettings withDtype(String d) {
        return new TrainSettings(workspaces, gc, d, fit);
    }

    public TrainSettings withFit(String f) {
        return new TrainSettings(workspaces, gc, dtype, f);
    }

    /** Short label of what differs from the defaults, {@code default} if nothing. */
    public String label() {
        List<String> parts = new ArrayList<>();
        if (!workspaces) parts.add("ws=NONE");
        if (!gc.equals("default")) parts.add("gc=" + gc);
        if (!dtype.equals("FLOAT")) parts.add("dtype=" + dtype);
        if (fit.equals("arrays")) parts.add("fit(X,Y)");
        if (fit.equals("iterator")) parts.add("fit(iterator)");
        return parts.isEmpty() ? "default" : String.join(" ", parts);
    }

    /** All settings spelled out, for the summary. */
    public String describe() {
        return "workspaces=" + (workspaces ? "ENABLED" : "NONE") + ", periodic GC=" + gc + ", dtype=" + dtype
                + ", " + switch (fit) {
                    case "arrays" -> "fit(INDArray,INDArray)";
                    case "iterator" -> "fit(DataSetIterator)";
                    default -> "fit(DataSet)";
                };
    }
}
