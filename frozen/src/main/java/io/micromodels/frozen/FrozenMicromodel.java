package io.micromodels.frozen;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;

/**
 * A trained micromodel frozen for serving: a {@link FrozenPipeline} (raw cells to features), a
 * {@link FrozenNetwork} (features to outputs) and {@link FrozenMetadata} (what the outputs mean). No DL4J,
 * ND4J or native code is needed to load or run one. Immutable and thread-safe.
 *
 * <h2>Shapes</h2>
 * A raw row is {@code String[columns().size()]} in {@link #columns()} order, {@code null} or {@code ""} for a
 * missing cell. Features are {@code double[inputWidth()]}. Reported values are {@code double[outputWidth()]}:
 * class probabilities in {@link FrozenMetadata#classLabels()} order for classifiers (for a binary network with a
 * single sigmoid output {@code p}: {@code [1 - p, p]}), otherwise the regression values after target
 * de-normalisation. Flat batches are row-major: {@code n} rows at stride {@code inputWidth()} /
 * {@code outputWidth()}.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * FrozenMicromodel model = FrozenMicromodel.load(Path.of("model.zip"));   // reads the entry frozen.json
 * Prediction p = model.predict(Map.of("age", "54", "chol", "239"));       // or predict(String[]) in columns() order
 * System.out.println(p.label() + " " + p.probability(p.label()));
 *
 * // Building one by hand (the core module converts DL4J networks this way):
 * FrozenNetwork net = FrozenNetwork.of(
 *         FrozenLayer.dense(new double[][] {{0.5, -1}, {2, 1}}, new double[] {0, 0.1}, Activation.RELU),
 *         FrozenLayer.dense(new double[][] {{1, -1}, {-1, 1}}, new double[] {0, 0}, Activation.SOFTMAX));
 * FrozenMicromodel m = FrozenMicromodel.of(IdentityPipeline.of("x0", "x1"), net,
 *         FrozenMetadata.binary("y", "no", "yes"));
 * m.write(out);                                                             // JSON; FrozenMicromodel.read(in) reads it
 * }</pre>
 *
 * <h2>JSON</h2>
 * {@link #write(OutputStream)} writes one object with exactly these keys (all required on reading; any other
 * key is an error naming it):
 * <pre>{@code
 * {"format": "micromodels-frozen", "version": 1,
 *  "task": "BINARY" | "MULTICLASS" | "REGRESSION", "target": "y",
 *  "classLabels": ["no", "yes"], "outputNames": ["probability_no", "probability_yes"],
 *  "targetScale": 1.0, "targetShift": 0.0,
 *  "pipeline": {"name": "identity", ...},           // see FrozenPipelines
 *  "network": {"layers": [{"type": "dense", "nIn": 2, "nOut": 2, "activation": "RELU", "alpha": 0.0,
 *                          "weights": [[...nOut...], ...nIn rows...], "bias": [...nOut...]}, ...]},
 *  "decision": {"positive": 1, "threshold": 0.31, "calibration": "platt", "slope": 1.4, "intercept": -0.8}}
 * }</pre>
 * {@code decision} (a {@link BinaryDecision}) is the one optional key: two-class models only, written only when it
 * changes something; absent, the label is the most probable class (threshold 0.5) and probabilities are not
 * recalibrated, so files written before it existed read unchanged.
 * An ensemble ({@link #of(FrozenPipeline, List, FrozenMetadata)} with more than one network) is written as
 * {@code "version": 2} with the key {@code "networks": [{"layers": [...]}, ...]} in place of {@code "network"}; its
 * reported values are the members' averaged network outputs, then scaled as above.
 * Numbers are written with {@link Double#toString(double)}, so reading gives back bitwise identical weights.
 */
public final class FrozenMicromodel {
    /** Name of the zip entry holding a frozen model inside a saved-model zip. */
    public static final String ZIP_ENTRY = "frozen.json";

    private final FrozenPipeline pipeline;
    private final FrozenNetwork network;
    /** The member networks, averaged ({@code members[0] == network}); one for an ordinary model. */
    private final FrozenNetwork[] members;
    private final FrozenMetadata metadata;
    /** Two-class models: calibration and threshold; null = most probable class, no calibration. */
    private final BinaryDecision decision;
    /** Ensembles: per thread, one member's outputs of a row (single) or a block of rows (batch). */
    private final ThreadLocal<double[][]> memberScratch;
    /**
     * Ensembles whose members share their first layer's activation (and have a hidden layer): the members' first
     * layers side by side as one layer {@code [inputWidth, sum of widths]}, so a single row is read once for all
     * members, zero inputs skipped; null otherwise. {@code fusedOffset[m]}: where member m's units start.
     */
    private final FrozenLayer fusedFirst;
    private final int[] fusedOffset;
    /** Each member's layers, {@code [member][layer]}. */
    private final FrozenLayer[][] memberLayers;
    /** Per thread: {@code [fused first layer outputs, hidden a, hidden b]}. */
    private final ThreadLocal<double[][]> fusedScratch;
    private final List<String> columns;
    private final int inputWidth;
    private final int outputWidth;
    /** Binary classifier whose network has a single sigmoid output. */
    private final boolean sigmoidBinary;
    private final boolean scaled;
    private final ThreadLocal<double[]> featureScratch;

    private FrozenMicromodel(FrozenPipeline pipeline, List<FrozenNetwork> members, FrozenMetadata metadata,
                             BinaryDecision decision) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(members, "networks");
        if (members.isEmpty()) throw new IllegalArgumentException("model: an ensemble needs at least one network");
        this.members = members.toArray(new FrozenNetwork[0]);
        for (int m = 0; m < this.members.length; m++) {
            Objects.requireNonNull(this.members[m], "networks[" + m + "]");
        }
        this.network = this.members[0];
        for (int m = 1; m < this.members.length; m++) {
            FrozenNetwork other = this.members[m];
            List<FrozenLayer> ls = other.layers();
            if (other.inputWidth() != network.inputWidth() || other.outputWidth() != network.outputWidth()
                    || ls.get(ls.size() - 1).activation() != network.layers().get(network.layers().size() - 1).activation()) {
                throw new IllegalArgumentException("model: ensemble member " + m + " (" + other.shape() + ", output "
                        + ls.get(ls.size() - 1).activation() + ") does not match member 0 (" + network.shape() + ", output "
                        + network.layers().get(network.layers().size() - 1).activation() + ")");
            }
        }
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        if (decision != null && (!metadata.task().isClassification() || metadata.classLabels().size() != 2)) {
            throw new IllegalArgumentException("model: a decision (threshold, calibration) needs exactly 2 class labels, got "
                    + metadata.task() + " " + metadata.classLabels());
        }
        this.decision = decision == null || decision.isStandard() ? null : decision;
        List<String> cols = pipeline.columns();
        if (cols == null || cols.isEmpty()) throw new IllegalArgumentException("model: the pipeline has no columns");
        Set<String> seen = new HashSet<>();
        for (String c : cols) {
            if (c == null) throw new IllegalArgumentException("model: the pipeline has a null column name");
            if (!seen.add(c)) throw new IllegalArgumentException("model: the pipeline has duplicate column '" + c + "'");
        }
        this.columns = List.copyOf(cols);
        if (pipeline.width() != network.inputWidth()) {
            throw new IllegalArgumentException("model: the pipeline produces " + pipeline.width()
                    + " features but the network's input width is " + network.inputWidth());
        }
        List<FrozenLayer> layers = network.layers();
        Activation last = layers.get(layers.size() - 1).activation();
        int netOut = network.outputWidth();
        boolean sig = false;
        switch (metadata.task()) {
            case BINARY -> {
                if (netOut == 1 && last == Activation.SIGMOID) {
                    sig = true;
                } else if (!(netOut == 2 && last == Activation.SOFTMAX)) {
                    throw new IllegalArgumentException("model: a BINARY network must end in 1 SIGMOID output or 2 SOFTMAX outputs, got "
                            + netOut + " " + last + " output(s)");
                }
            }
            case MULTICLASS -> {
                if (last != Activation.SOFTMAX || netOut != metadata.classLabels().size()) {
                    throw new IllegalArgumentException("model: a MULTICLASS network must end in " + metadata.classLabels().size()
                            + " SOFTMAX outputs (one per class label), got " + netOut + " " + last + " output(s)");
                }
            }
            case REGRESSION -> {
                if (netOut != metadata.outputNames().size()) {
                    throw new IllegalArgumentException("model: the network has " + netOut + " outputs but metadata names "
                            + metadata.outputNames().size() + " " + metadata.outputNames());
                }
            }
        }
        this.sigmoidBinary = sig;
        this.scaled = metadata.targetScale() != 1.0 || metadata.targetShift() != 0.0;
        this.inputWidth = network.inputWidth();
        this.outputWidth = metadata.outputNames().size();
        this.featureScratch = ThreadLocal.withInitial(() -> new double[inputWidth]);
        this.memberScratch = ThreadLocal.withInitial(() -> new double[][] {new double[network.outputWidth()], new double[0]});
        FrozenLayer fused = null;
        int[] offsets = null;
        int widest = 1;
        boolean fusable = this.members.length > 1;
        for (FrozenNetwork m : this.members) {
            List<FrozenLayer> ls = m.layers();
            fusable &= ls.size() >= 2 && ls.get(0).activation() == network.layers().get(0).activation()
                    && ls.get(0).alpha() == network.layers().get(0).alpha() && ls.get(0).activation() != Activation.SOFTMAX;
            for (int k = 1; k < ls.size() - 1; k++) {
                widest = Math.max(widest, ls.get(k).nOut());
            }
        }
        if (fusable) {
            offsets = new int[this.members.length];
            int total = 0;
            for (int m = 0; m < this.members.length; m++) {
                offsets[m] = total;
                total += this.members[m].layers().get(0).nOut();
            }
            double[][] w = new double[inputWidth][total];
            double[] b = new double[total];
            for (int m = 0; m < this.members.length; m++) {
                FrozenLayer first = this.members[m].layers().get(0);
                double[][] wm = first.weights();
                for (int i = 0; i < inputWidth; i++) {
                    System.arraycopy(wm[i], 0, w[i], offsets[m], first.nOut());
                }
                System.arraycopy(first.bias(), 0, b, offsets[m], first.nOut());
            }
            fused = FrozenLayer.dense(w, b, network.layers().get(0).activation(), network.layers().get(0).alpha());
        }
        this.fusedFirst = fused;
        this.fusedOffset = offsets;
        this.memberLayers = new FrozenLayer[this.members.length][];
        for (int m = 0; m < this.members.length; m++) {
            memberLayers[m] = this.members[m].layers().toArray(new FrozenLayer[0]);
        }
        final int hidden = widest;
        this.fusedScratch = fused == null ? null : ThreadLocal.withInitial(
                () -> new double[][] {new double[fusedFirst.nOut()], new double[hidden], new double[hidden]});
    }

    /**
     * Assembles a frozen model, checking that the pieces fit: pipeline width = network input width, distinct
     * column names, and a network output layer that suits the task (see {@link TaskKind}).
     */
    public static FrozenMicromodel of(FrozenPipeline pipeline, FrozenNetwork network, FrozenMetadata metadata) {
        return new FrozenMicromodel(pipeline, List.of(Objects.requireNonNull(network, "network")), metadata, null);
    }

    /**
     * As {@link #of(FrozenPipeline, FrozenNetwork, FrozenMetadata)}, with a two-class model's calibration and decision
     * threshold (null or {@link BinaryDecision#isStandard() standard} = most probable class, no calibration).
     */
    public static FrozenMicromodel of(FrozenPipeline pipeline, FrozenNetwork network, FrozenMetadata metadata,
                                      BinaryDecision decision) {
        return new FrozenMicromodel(pipeline, List.of(Objects.requireNonNull(network, "network")), metadata, decision);
    }

    /**
     * Assembles an ensemble: the networks' outputs (probabilities, or standardised regression values) are averaged
     * before the metadata's scaling. All networks must have the same input and output widths and output activation.
     *
     * @param networks at least one; one gives an ordinary model
     */
    public static FrozenMicromodel of(FrozenPipeline pipeline, List<FrozenNetwork> networks, FrozenMetadata metadata) {
        return new FrozenMicromodel(pipeline, networks, metadata, null);
    }

    /** An ensemble (or one network, as a one-element list) with a two-class decision (null for none). */
    public static FrozenMicromodel of(FrozenPipeline pipeline, List<FrozenNetwork> networks, FrozenMetadata metadata,
                                      BinaryDecision decision) {
        return new FrozenMicromodel(pipeline, networks, metadata, decision);
    }

    /** The member networks, member 0 first (one for an ordinary model). */
    public List<FrozenNetwork> members() {
        return List.of(members);
    }

    /** The two-class decision (calibration and threshold), or empty for the plain most-probable-class rule. */
    public java.util.Optional<BinaryDecision> decision() {
        return java.util.Optional.ofNullable(decision);
    }

    /** The preprocessing pipeline. */
    public FrozenPipeline pipeline() {
        return pipeline;
    }

    /** The network (member 0 of an ensemble). */
    public FrozenNetwork network() {
        return network;
    }

    /** What the outputs mean. */
    public FrozenMetadata metadata() {
        return metadata;
    }

    /** The task kind. */
    public TaskKind task() {
        return metadata.task();
    }

    /** Raw input column names in the order {@link #predict(String[])} expects. */
    public List<String> columns() {
        return columns;
    }

    /** Number of features, the network's input width. */
    public int inputWidth() {
        return inputWidth;
    }

    /** Number of reported values: classes for classifiers, outputs for regression. */
    public int outputWidth() {
        return outputWidth;
    }

    /**
     * Scores one raw row.
     *
     * @param raw {@code [columns().size()]} cells in {@link #columns()} order; {@code null} or {@code ""} = missing
     * @throws IllegalArgumentException (often an {@link InvalidCellException}) naming the column and value of a bad cell
     */
    public Prediction predict(String[] raw) {
        double[] out = new double[outputWidth];
        predict(raw, out);
        return prediction(out);
    }

    /**
     * Scores one raw row given as column name to cell text.
     *
     * @param row exactly the keys {@link #columns()}; values {@code null} or {@code ""} = missing
     * @throws IllegalArgumentException naming a missing or unknown column, or a bad cell
     */
    public Prediction predict(Map<String, String> row) {
        Objects.requireNonNull(row, "row");
        String[] raw = new String[columns.size()];
        for (int i = 0; i < raw.length; i++) {
            String c = columns.get(i);
            if (!row.containsKey(c)) throw new IllegalArgumentException("missing column '" + c + "'");
            raw[i] = row.get(c);
        }
        if (row.size() != raw.length) {
            for (String k : row.keySet()) {
                if (!columns.contains(k)) throw new IllegalArgumentException("unknown column '" + k + "'; columns are " + columns);
            }
        }
        return predict(raw);
    }

    /**
     * Scores one raw row into {@code out}: the pipeline's allocations only (the feature buffer is per thread).
     *
     * @param raw {@code [columns().size()]}
     * @param out {@code [outputWidth()]}, overwritten
     */
    public void predict(String[] raw, double[] out) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != columns.size()) {
            throw new IllegalArgumentException("raw row has " + raw.length + " cells, expected " + columns.size() + " (columns " + columns + ")");
        }
        checkOut(out);
        double[] features = featureScratch.get();
        pipeline.transform(raw, features);
        predictFeatures(features, out);
    }

    /**
     * Scores one row of already-transformed features; allocation-free after the calling thread's first call.
     *
     * @param features {@code [inputWidth()]}
     * @param out      {@code [outputWidth()]}, overwritten with probabilities or regression values
     */
    public void predictFeatures(double[] features, double[] out) {
        Objects.requireNonNull(features, "features");
        if (features.length != inputWidth) {
            throw new IllegalArgumentException("features has shape [" + features.length + "], expected [" + inputWidth + "]");
        }
        checkOut(out);
        if (fusedFirst != null) {
            forwardFused(features, out);
        } else {
            network.forward(features, 0, out, 0, network.threadScratch());
        }
        if (members.length > 1 && fusedFirst == null) {
            double[] part = memberScratch.get()[0];
            int w = part.length;
            for (int m = 1; m < members.length; m++) {
                FrozenNetwork net = members[m];
                net.forward(features, 0, part, 0, net.threadScratch());
                for (int j = 0; j < w; j++) out[j] += part[j];
            }
            double inv = 1.0 / members.length;
            for (int j = 0; j < w; j++) out[j] *= inv;
        }
        finish(out, 1);
    }

    /** An ensemble's averaged network outputs for one row through the fused first layer. */
    private void forwardFused(double[] features, double[] out) {
        double[][] sc = fusedScratch.get();
        double[] h = sc[0];
        fusedFirst.forwardSkippingZeros(features, 0, h);
        double[] part = memberScratch.get()[0];
        int w = part.length;
        for (int m = 0; m < members.length; m++) {
            FrozenLayer[] ls = memberLayers[m];
            int last = ls.length - 1;
            double[] cur = h;
            int off = fusedOffset[m];
            double[] next = sc[1];
            for (int k = 1; k < last; k++) {
                ls[k].forward(cur, off, next);
                off = 0;
                cur = next;
                next = next == sc[1] ? sc[2] : sc[1];
            }
            double[] target = m == 0 ? out : part;
            ls[last].forward(cur, off, target);
            if (m > 0) {
                for (int j = 0; j < w; j++) out[j] += part[j];
            }
        }
        double inv = 1.0 / members.length;
        for (int j = 0; j < w; j++) out[j] *= inv;
    }

    /**
     * Scores {@code n} rows of features, flat; allocation-free after the calling thread's first call.
     *
     * @param features {@code [n * inputWidth()]} or longer
     * @param n        number of rows
     * @param out      {@code [n * outputWidth()]} or longer, overwritten
     */
    public void predictFeaturesBatch(double[] features, int n, double[] out) {
        Objects.requireNonNull(out, "out");
        if (out.length < (long) n * outputWidth) {
            throw new IllegalArgumentException("out has length " + out.length + ", expected at least n * outputWidth = "
                    + n + " * " + outputWidth + " = " + ((long) n * outputWidth));
        }
        network.predictBatch(features, n, out);
        if (members.length > 1) {
            int total = n * network.outputWidth();
            double[][] scratch = memberScratch.get();
            if (scratch[1].length < total) {
                scratch[1] = new double[total];
            }
            double[] part = scratch[1];
            for (int m = 1; m < members.length; m++) {
                members[m].predictBatch(features, n, part);
                for (int j = 0; j < total; j++) out[j] += part[j];
            }
            double inv = 1.0 / members.length;
            for (int j = 0; j < total; j++) out[j] *= inv;
        }
        finish(out, n);
    }

    /**
     * Scores raw rows.
     *
     * @param rows each {@code [columns().size()]}
     * @throws IllegalArgumentException naming the row index, column and value of a bad cell
     */
    public List<Prediction> predictBatch(List<String[]> rows) {
        Objects.requireNonNull(rows, "rows");
        int n = rows.size();
        double[] features = new double[n * inputWidth];
        double[] row = new double[inputWidth];
        for (int r = 0; r < n; r++) {
            String[] raw = rows.get(r);
            if (raw == null) throw new IllegalArgumentException("row " + r + ": is null");
            if (raw.length != columns.size()) {
                throw new IllegalArgumentException("row " + r + ": has " + raw.length + " cells, expected " + columns.size());
            }
            try {
                pipeline.transform(raw, row);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("row " + r + ": " + e.getMessage(), e);
            }
            System.arraycopy(row, 0, features, r * inputWidth, inputWidth);
        }
        double[] out = new double[n * outputWidth];
        predictFeaturesBatch(features, n, out);
        List<Prediction> result = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            double[] v = new double[outputWidth];
            System.arraycopy(out, r * outputWidth, v, 0, outputWidth);
            result.add(prediction(v));
        }
        return result;
    }

    /** Wraps reported values {@code [outputWidth()]} (e.g. from {@link #predictFeatures}) as a {@link Prediction}. */
    public Prediction toPrediction(double[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length != outputWidth) {
            throw new IllegalArgumentException("values has shape [" + values.length + "], expected [" + outputWidth + "]");
        }
        return prediction(values.clone());
    }

    /** Index of the most probable class in {@code values[off .. off + outputWidth())} (ties: first); classifiers only. */
    public int labelIndex(double[] values, int off) {
        if (!task().isClassification()) throw new IllegalStateException("REGRESSION model has no labels");
        return decision != null ? decision.label(values, off) : Prediction.argmax(values, off, outputWidth);
    }

    private Prediction prediction(double[] values) {
        return new Prediction(task(), values, metadata.classLabels(),
                task().isClassification() ? labelIndex(values, 0) : -1);
    }

    private void checkOut(double[] out) {
        Objects.requireNonNull(out, "out");
        if (out.length != outputWidth) {
            throw new IllegalArgumentException("out has shape [" + out.length + "], expected [" + outputWidth + "]");
        }
    }

    /** Network outputs ({@code n} rows at stride network.outputWidth()) to reported values, in place. */
    private void finish(double[] out, int n) {
        if (sigmoidBinary) {
            for (int r = n - 1; r >= 0; r--) { // expand [p] to [1 - p, p] from the back so nothing is overwritten early
                double p = out[r];
                out[2 * r + 1] = p;
                out[2 * r] = 1.0 - p;
            }
        } else if (scaled) {
            double scale = metadata.targetScale();
            double shift = metadata.targetShift();
            int total = n * outputWidth;
            for (int i = 0; i < total; i++) out[i] = out[i] * scale + shift;
        }
        if (decision != null && decision.calibrated()) {
            for (int r = 0; r < n; r++) decision.apply(out, 2 * r);
        }
    }

    // ---------------------------------------------------------------- JSON and files

    /** Writes this model as JSON (UTF-8). Does not close {@code out}. */
    public void write(OutputStream out) throws IOException {
        FrozenJson.write(this, out);
    }

    /** This model as a JSON string. */
    public String toJson() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads a model written by {@link #write}. Does not close {@code in}.
     *
     * @throws FrozenFormatException naming the JSON location and key on any unknown, missing or ill-typed key,
     *                               or an inconsistent shape
     */
    public static FrozenMicromodel read(InputStream in) throws IOException {
        return FrozenJson.read(in, "<stream>");
    }

    /** Reads a model from a JSON string, as {@link #read(InputStream)}. */
    public static FrozenMicromodel fromJson(String json) throws FrozenFormatException {
        try {
            return FrozenJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "<string>");
        } catch (FrozenFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new FrozenFormatException("<string>: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model from a file: a {@code .json} file is read as JSON; anything else is opened as a zip (the
     * saved-model zip) through {@link BoundedZip} and its entry {@value #ZIP_ENTRY} is read, checked against the
     * zip's {@value ModelManifest#ENTRY} when it has one (models saved before format 2 have none).
     *
     * @throws FrozenFormatException naming the file (and entry) when it is not a zip, crosses a size bound, has no
     *                               {@value #ZIP_ENTRY} entry, does not match its manifest, or the JSON is malformed
     *                               or invalid
     */
    public static FrozenMicromodel load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) throw new java.io.FileNotFoundException("model file " + file + " does not exist or is not a file");
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
            try (InputStream in = Files.newInputStream(file)) {
                return FrozenJson.read(in, file.toString());
            }
        }
        Map<String, byte[]> entries;
        try {
            entries = BoundedZip.read(file, BoundedZip.Limits.DEFAULT);
        } catch (BoundedZip.LimitException e) {
            throw new FrozenFormatException("model file " + e.getMessage(), e);
        } catch (ZipException e) {
            throw new FrozenFormatException("model file " + file + " is not a readable zip (" + e.getMessage() + ")", e);
        }
        byte[] json = entries.get(ZIP_ENTRY);
        if (json == null) {
            throw new FrozenFormatException("model file " + file + " has no entry '" + ZIP_ENTRY
                    + "' (was it saved by a version that writes frozen models?)");
        }
        byte[] manifest = entries.get(ModelManifest.ENTRY);
        if (manifest != null) {
            ModelManifest.parse(manifest, "model file " + file).verify(ZIP_ENTRY, json, "model file " + file);
        }
        return FrozenJson.read(new ByteArrayInputStream(json), file + "!" + ZIP_ENTRY);
    }

    /** Writes this model to a new zip file holding the single entry {@value #ZIP_ENTRY}. */
    public void saveZip(Path file) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            writeZipEntry(zip);
        }
    }

    /** Adds the entry {@value #ZIP_ENTRY} holding this model to an open zip (which stays open). */
    public void writeZipEntry(ZipOutputStream zip) throws IOException {
        zip.putNextEntry(new ZipEntry(ZIP_ENTRY));
        write(zip);
        zip.closeEntry();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrozenMicromodel m && m.pipeline.equals(pipeline) && java.util.Arrays.equals(m.members, members)
                && m.metadata.equals(metadata) && Objects.equals(m.decision, decision);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pipeline, java.util.Arrays.hashCode(members), metadata, decision);
    }

    @Override
    public String toString() {
        return "FrozenMicromodel{" + metadata.task() + " " + metadata.target() + ", " + columns.size() + " columns, network "
                + network.shape() + (members.length > 1 ? " x " + members.length + " members" : "") + "}";
    }
}
