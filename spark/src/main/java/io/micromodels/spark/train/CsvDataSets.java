package io.micromodels.spark.train;

import io.micromodels.data.BadCellPolicy;
import io.micromodels.data.DataException;
import io.micromodels.data.FittedPipeline;
import io.micromodels.data.PipelineJson;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.plan.Cells;
import io.micromodels.seed.Seeds;
import io.micromodels.spec.MicromodelSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

/**
 * The training split of a CSV file as an RDD of minibatches, made on the executors through the pipeline the driver
 * fitted ({@link PreparedData#pipeline()}, broadcast as its JSON): the same features and labels as the local
 * {@link PreparedData#train()}, row for row.
 *
 * <p>How: the driver scans the file's line layout ({@link CsvLines}: which physical line holds which data row), gives
 * each training row (from {@code data.raw().splitRows()}) a place in a seeded random order (the spec seed's
 * {@link Seeds#BATCH_ORDER} fork) and broadcasts line to place. The executors read the CSV with {@code textFile},
 * keep the training lines, group them by minibatch ({@code place / batchSize}, one shuffle of the raw lines) and parse
 * each minibatch with the project's CSV reader and the broadcast pipeline: features float32
 * {@code [batch, pipeline.width()]}, labels as the spec trains on them (one-hot {@code [batch, classes]}, the
 * positive column {@code [batch, 1]} for a sigmoid binary spec, standardised {@code [batch, 1]} for regression).
 * Cells that are not numbers in numeric columns become missing when the data options say
 * {@link BadCellPolicy#MISSING}, as the driver's preparation did. Minibatches are random mixes of the training rows
 * (a file sorted by class still gives mixed batches); their membership is fixed for the whole training.
 *
 * <pre>{@code
 * PreparedData data = DataPipeline.prepare(csv, options);
 * JavaRDD<DataSet> batches = CsvDataSets.training(sc, csv, data, spec);   // spec.batchSize() rows each, the last fewer
 * }</pre>
 */
public final class CsvDataSets {
    private CsvDataSets() {
    }

    /**
     * The training rows of {@code csv} as minibatches of {@code spec.batchSize()} rows (the last one fewer).
     *
     * @param data the CSV prepared on the driver (with its raw split rows and options, as {@code DataPipeline.prepare} gives)
     * @throws DataException            when the file's layout does not fit Spark's line input, or no longer has the
     *                                  rows the driver prepared
     * @throws IllegalArgumentException when {@code data} has no raw split rows or options (not prepared from a CSV)
     */
    public static JavaRDD<DataSet> training(JavaSparkContext sc, Path csv, PreparedData data, MicromodelSpec spec) {
        if (data.raw() == null || data.options() == null) {
            throw new IllegalArgumentException("data must be prepared from a CSV file (with its split rows and options)");
        }
        CsvLines layout = CsvLines.scan(csv, data.options().separator());
        if (layout.rowLine().length != data.report().rowsRead()) {
            throw new DataException(csv + ": has " + layout.rowLine().length + " data rows now, the prepared data had "
                    + data.report().rowsRead() + " (the file changed while training?)");
        }
        int[] train = data.raw().splitRows()[0];
        int[] place = new int[train.length];
        for (int i = 0; i < place.length; i++) {
            place[i] = i;
        }
        SplittableRandom rng = Seeds.random(spec.seed(), Seeds.BATCH_ORDER);
        for (int i = place.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = place[i];
            place[i] = place[j];
            place[j] = t;
        }
        int[] placeOfLine = new int[layout.lines()];
        Arrays.fill(placeOfLine, -1);
        for (int k = 0; k < train.length; k++) {
            placeOfLine[layout.rowLine()[train[k]]] = place[k];
        }
        Plan plan = Plan.of(csv.toString(), layout.header(), data, spec, placeOfLine);
        Broadcast<Plan> b = sc.broadcast(plan);
        int batch = spec.batchSize();
        JavaRDD<String> lines = sc.textFile(csv.toAbsolutePath().toUri().toString());
        // one partition per task slot: DL4J's averaging rounds then split it without a shuffle each
        int partitions = sc.defaultParallelism();
        JavaPairRDD<Integer, Row> keyed = lines.zipWithIndex().flatMapToPair(it -> keep(it, b.value(), batch));
        return keyed.groupByKey(partitions).map(g -> b.value().dataSet(g._2()));
    }

    private static Iterator<Tuple2<Integer, Row>> keep(Tuple2<String, Long> line, Plan plan, int batch) {
        long index = line._2();
        int p = index < plan.placeOfLine.length ? plan.placeOfLine[(int) index] : -1;
        if (p < 0) {
            return java.util.Collections.emptyIterator();
        }
        return List.of(new Tuple2<>(p / batch, new Row(p, index, line._1()))).iterator();
    }

    /** One training line: its place in the random order, its 0-based physical line, its text. */
    record Row(int place, long line, String text) implements Serializable {
    }

    /**
     * What every executor needs to turn lines into minibatches (broadcast once): the pipeline's JSON, the header, the
     * CSV rules and each physical line's place among the training rows ({@code -1}: not a training row).
     */
    static final class Plan implements Serializable {
        private static final long serialVersionUID = 1L;
        final String source;
        final String header;
        final char separator;
        final String pipelineJson;
        final boolean badCellsMissing;
        /** Label column a sigmoid binary spec trains on, or -1 for all label columns. */
        final int labelColumn;
        final int[] placeOfLine;
        private transient FittedPipeline pipeline;
        private transient int[] numericColumns;

        private Plan(String source, String header, char separator, String pipelineJson, boolean badCellsMissing,
                     int labelColumn, int[] placeOfLine) {
            this.source = source;
            this.header = header;
            this.separator = separator;
            this.pipelineJson = pipelineJson;
            this.badCellsMissing = badCellsMissing;
            this.labelColumn = labelColumn;
            this.placeOfLine = placeOfLine;
        }

        static Plan of(String source, String header, PreparedData data, MicromodelSpec spec, int[] placeOfLine) {
            int labelColumn = spec.output() == TaskKind.BINARY ? data.task().positiveClass() : -1;
            return new Plan(source, header, data.options().separator(), PipelineJson.toJson(data.pipeline()),
                    data.options().badCells() == BadCellPolicy.MISSING, labelColumn, placeOfLine);
        }

        synchronized FittedPipeline pipeline() {
            if (pipeline == null) {
                pipeline = PipelineJson.fromJson(pipelineJson);
            }
            return pipeline;
        }

        /** A minibatch of training lines, in their random order. */
        DataSet dataSet(Iterable<Row> group) {
            List<Row> rows = new ArrayList<>();
            group.forEach(rows::add);
            rows.sort(Comparator.comparingInt(Row::place));
            try {
                return parse(rows);
            } catch (DataException e) {
                for (Row r : rows) { // name the line
                    try {
                        parse(List.of(r));
                    } catch (DataException one) {
                        throw new DataException(source + ": line " + (r.line() + 1) + ": " + one.getMessage(), one);
                    }
                }
                throw e;
            }
        }

        private DataSet parse(List<Row> rows) {
            StringBuilder text = new StringBuilder(header.length() + 64 * rows.size()).append(header);
            for (Row r : rows) {
                text.append('\n').append(r.text());
            }
            Table t = Table.parse(text.toString(), source, separator);
            List<String[]> cells = new ArrayList<>(t.rows());
            FittedPipeline p = pipeline();
            if (badCellsMissing) {
                for (int c : numericColumns(p, t.header())) {
                    for (String[] row : cells) {
                        if (!Cells.isMissing(row[c]) && !Cells.isNumeric(row[c])) {
                            row[c] = "";
                        }
                    }
                }
            }
            INDArray x = p.transform(t.header(), cells);
            INDArray y = p.targetEncoder().labels(Table.of(source, t.header(), cells));
            if (labelColumn >= 0) {
                y = y.getColumns(labelColumn);
            }
            return new DataSet(x, y);
        }

        private synchronized int[] numericColumns(FittedPipeline p, List<String> names) {
            if (numericColumns == null) {
                numericColumns = p.columnKinds().entrySet().stream().filter(e -> e.getValue().isNumeric())
                        .mapToInt(e -> names.indexOf(e.getKey())).filter(i -> i >= 0).toArray();
            }
            return numericColumns;
        }
    }
}
