package io.micromodels.spark;

import io.micromodels.data.DataReport;
import io.micromodels.data.PipelineJson;
import io.micromodels.data.PreparedData;
import io.micromodels.json.StrictJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What a Spark executor needs of a study's prepared data to train and score trials, in a form that is broadcast once
 * per executor: the training and validation splits (ND4J's binary {@link DataSet#save} form: features float32
 * {@code [n, width]}, labels {@code [n, k]}, labels masks {@code [n, 1]} when class weights weight the rows), the
 * fitted pipeline as {@code pipeline.json}, the data report (without its column summaries) and the data's SHA-256. The test split is never sent:
 * trials do not look at it.
 */
final class TrialData implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Prepared data rebuilt in this JVM, per {@link #key} (an executor JVM rebuilds each broadcast once). */
    private static final Map<String, PreparedData> REBUILT = new ConcurrentHashMap<>();

    private final String key;
    private final byte[] train;
    private final byte[] validation;
    private final String pipelineJson;
    private final String reportJson;
    private final String sha256;

    private TrialData(String key, byte[] train, byte[] validation, String pipelineJson, String reportJson, String sha256) {
        this.key = key;
        this.train = train;
        this.validation = validation;
        this.pipelineJson = pipelineJson;
        this.reportJson = reportJson;
        this.sha256 = sha256;
    }

    /**
     * @param data the data trials train on
     * @param key  unique per broadcast (the study's data hash and the broadcast's id)
     */
    static TrialData of(PreparedData data, String key) {
        return new TrialData(key, bytes(data.train()), bytes(data.validation()), PipelineJson.toJson(data.pipeline()),
                StrictJson.write(sent(data.report())), data.sha256());
    }

    /** The data report as executors get it: without the per-column summaries (trials never read the report). */
    static DataReport sent(DataReport r) {
        return new DataReport(r.source(), r.sha256(), r.rowsRead(), r.columnsRead(), r.duplicateRows(),
                r.missingTargetRows(), r.missingValueRows(), r.rowsUsed(), r.imputedCells(), r.split(), r.trainRows(),
                r.validationRows(), r.testRows(), r.width(), r.task(), r.classes(), r.target(), java.util.List.of(),
                r.droppedColumns(), r.unseenValidation(), r.unseenTest(), r.notes());
    }

    /** @return the size of the broadcast payload in bytes (the splits and the JSON) */
    long bytes() {
        return train.length + validation.length + 2L * (pipelineJson.length() + reportJson.length());
    }

    /**
     * The prepared data in this JVM, rebuilt on first use: train and validation as sent, the test split an empty
     * data set (never read by a trial).
     */
    PreparedData data() {
        return REBUILT.computeIfAbsent(key, k -> new PreparedData(dataSet(train), dataSet(validation), new DataSet(),
                PipelineJson.fromJson(pipelineJson), StrictJson.readNullable(reportJson, DataReport.class, "the data report"),
                sha256));
    }

    /** Forgets the data rebuilt for {@code key} in this JVM (the driver's, when its broadcast is destroyed). */
    static void forget(String key) {
        REBUILT.remove(key);
    }

    private static byte[] bytes(DataSet d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.save(out);
        return out.toByteArray();
    }

    private static DataSet dataSet(byte[] b) {
        DataSet d = new DataSet();
        d.load(new ByteArrayInputStream(b));
        return d;
    }
}
