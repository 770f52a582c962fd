package io.micromodels.io;

import io.micromodels.files.AtomicFiles;
import io.micromodels.data.PipelineJson;
import io.micromodels.train.Provenance;
import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micromodels.data.FittedPipeline;
import io.micromodels.frozen.BoundedZip;
import io.micromodels.frozen.FrozenFormatException;
import io.micromodels.frozen.FrozenLayer;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.ModelManifest;
import io.micromodels.frozen.BinaryDecision;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Metrics;
import io.micromodels.train.TrainedModel;
import io.micromodels.train.TrainingResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves a {@link TrainedModel} as one zip and loads it back with identical predictions, without Java
 * deserialisation: a model file may come from anyone.
 *
 * <h2>Format 2 (written)</h2>
 * Entries ({@link #FORMAT_2}): {@value #MANIFEST} (format version and the SHA-256 of every other entry, verified on
 * load), {@value #SPEC}, {@value #PIPELINE} (the fitted data pipeline), {@value #PROVENANCE} (spec, seed, SHA-256 of
 * the training data, library versions, backend, JVM, time), {@value #METRICS} (test metrics, when known), {@value #HISTORY} (per-epoch losses, when known),
 * {@value #FROZEN} (the plain-Java form for ND4J-free serving), {@value #CONFIGURATION} (DL4J's
 * {@code MultiLayerConfiguration} JSON) and {@value #PARAMETERS} (the flat float32 parameter vector
 * {@code [parameterCount]} in DL4J's layout, as a NumPy {@code .npy} array). The loader rebuilds the network from
 * {@value #SPEC}, which must give exactly the stored configuration, and the parameter array; it never hands the
 * configuration JSON to DL4J's polymorphic reader and never deserialises Java objects. At save time the network
 * read back from the written bytes is compared with {@value #FROZEN}'s weights, bit for bit.
 *
 * {@value #DECISION} (optional) holds a binary model's Platt calibration and decision threshold when they are not the
 * standard none and 0.5.
 *
 * <h2>Ensembles</h2>
 * An ensemble of N members also holds {@value #ENSEMBLE} (the member count and seeds) and, for members 1 to N-1,
 * {@code members/<i>/parameters.npy}; member 0 is {@value #PARAMETERS}, and {@value #FROZEN} holds every member.
 * Each member's network is rebuilt from {@value #SPEC} with its own seed and its parameter array.
 *
 * <h2>Format 1 (read)</h2>
 * Models saved before format 2 (DL4J {@code ModelSerializer} in {@value #NETWORK}) still load: the network is
 * rebuilt from {@value #SPEC} and the weights in {@value #FROZEN} (float32 values stored exactly as doubles);
 * {@value #NETWORK} is never unpacked, and one holding anything format 1 did not write (a {@code preprocessor.bin}
 * or an updater state, which DL4J would deserialise) is refused with a message to retrain.
 *
 * <h2>Untrusted files</h2>
 * The zip is read through {@link BoundedZip} (bounded sizes and compression ratio: a zip bomb is refused, not
 * unpacked); an unknown entry, an entry missing or not matching the manifest, a parameter array of the wrong size
 * or a configuration that the spec does not give is a {@link ModelFormatException} with one line naming the file
 * and the entry. Writing goes through {@link AtomicFiles}: a crash never leaves half a model, and an existing file
 * is kept unless overwriting is asked for.
 *
 * <pre>{@code
 * ModelStore.save(model, Path.of("runs/credit/model.zip"), false);
 * try (TrainedModel back = ModelStore.load(Path.of("runs/credit/model.zip"))) {
 *     double[][] p = back.predictRaw(rows);
 * }
 * }</pre>
 */
public final class ModelStore {
    /** The format {@link #save} writes. */
    public static final int FORMAT_VERSION = 2;
    /** Manifest entry (format 2). */
    public static final String MANIFEST = ModelManifest.ENTRY;
    /** Spec entry. */
    public static final String SPEC = "spec.json";
    /** Fitted data pipeline entry. */
    public static final String PIPELINE = "pipeline.json";
    /** Provenance entry. */
    public static final String PROVENANCE = "provenance.json";
    /** Test metrics entry (optional). */
    public static final String METRICS = "metrics.json";
    /** Per-epoch training history entry (optional; {@link io.micromodels.train.TrainingHistory}). */
    public static final String HISTORY = "history.json";
    /** Frozen (ND4J-free) form entry. */
    public static final String FROZEN = FrozenMicromodel.ZIP_ENTRY;
    /** DL4J network configuration JSON (format 2). */
    public static final String CONFIGURATION = "network/configuration.json";
    /** Flat float32 parameters as {@code .npy} (format 2). */
    public static final String PARAMETERS = "network/parameters.npy";
    /** DL4J {@code ModelSerializer} network entry of format 1 (read, never written, never unpacked). */
    public static final String NETWORK = "network.zip";
    /** A binary model's calibration and decision threshold; absent = none and 0.5 (models saved before it existed). */
    public static final String DECISION = "decision.json";

    /**
     * Every entry a format-2 zip may hold besides the manifest: the one list of known entries (a new entry is
     * added here, and to {@link #OPTIONAL} unless every model has it). Any other entry makes the loader refuse
     * the file.
     */
    public static final List<String> FORMAT_2 = List.of(SPEC, PIPELINE, PROVENANCE, METRICS, DECISION, FROZEN,
            CONFIGURATION, PARAMETERS, HISTORY);
    /** The entries of {@link #FORMAT_2} a model may lack. */
    public static final Set<String> OPTIONAL = Set.of(METRICS, DECISION, HISTORY);
    /** The entries of a format-1 zip. */
    static final List<String> FORMAT_1 = List.of(SPEC, PIPELINE, PROVENANCE, METRICS, FROZEN, NETWORK);

    /** Ensemble entry: the number of members and their seeds ({@link EnsembleInfo}). */
    public static final String ENSEMBLE = "ensemble.json";

    /**
     * What {@value #ENSEMBLE} holds.
     *
     * @param members number of member networks, {@code >= 2}
     * @param seeds   each member's seed, member 0 first (member 0's is {@code spec.json}'s)
     */
    public record EnsembleInfo(int members, List<Long> seeds) {
        /** Validates the count against the seeds. */
        public EnsembleInfo {
            if (members < 2 || members > 64 || seeds == null || seeds.size() != members) {
                throw new IllegalArgumentException("members must be in [2, 64] with one seed each, got " + members + " and "
                        + (seeds == null ? null : seeds.size()) + " seeds");
            }
            seeds = List.copyOf(seeds);
        }
    }

    /** The zip entry of ensemble member {@code i}'s parameters ({@code i >= 1}; member 0's are {@value #PARAMETERS}). */
    public static String memberEntry(int i) {
        return "members/" + i + "/parameters.npy";
    }

    /** Keys of DL4J's configuration JSON that count training progress, not structure: ignored when comparing. */
    private static final Set<String> PROGRESS_KEYS = Set.of("iterationCount", "epochCount");

    private ModelStore() {
    }

    /**
     * Writes the model to {@code zip}.
     *
     * @param overwrite replace an existing file; otherwise an existing file is an error and is left untouched
     */
    public static void save(TrainedModel model, Path zip, boolean overwrite) {
        if (Files.exists(zip) && !overwrite) {
            throw new UncheckedIOException(new FileAlreadyExistsException(zip + " already exists; not overwriting it"));
        }
        Map<String, byte[]> entries = entries(model);
        byte[] manifest = ModelManifest.of(FORMAT_VERSION, entries).toBytes();
        try {
            AtomicFiles.write(zip, overwrite, out -> {
                ZipOutputStream z = new ZipOutputStream(out);
                z.putNextEntry(new ZipEntry(MANIFEST));
                z.write(manifest);
                z.closeEntry();
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    z.putNextEntry(new ZipEntry(e.getKey()));
                    z.write(e.getValue());
                    z.closeEntry();
                }
                z.finish();
            });
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + zip + ": " + e.getMessage(), e);
        }
    }

    /** The format-2 entries of {@code model} (manifest excluded), after checking the network against the frozen form. */
    static Map<String, byte[]> entries(TrainedModel model) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(SPEC, utf8(model.spec().toJson()));
        entries.put(PROVENANCE, utf8(StrictJson.write(model.provenance())));
        if (model.testMetrics() != null) {
            entries.put(METRICS, utf8(StrictJson.write(model.testMetrics())));
        }
        if (model.history() != null) {
            entries.put(HISTORY, utf8(StrictJson.write(model.history())));
        }
        MultiLayerNetwork net = model.network();
        if (model.decision() != null && !model.decision().isStandard()) {
            entries.put(DECISION, utf8(StrictJson.write(model.decision())));
        }
        try {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            PipelineJson.write(model.pipeline(), pipeline);
            entries.put(PIPELINE, pipeline.toByteArray());
            ByteArrayOutputStream frozen = new ByteArrayOutputStream();
            Freezer.freeze(model).write(frozen);
            entries.put(FROZEN, frozen.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model: " + e.getMessage(), e);
        }
        entries.put(CONFIGURATION, utf8(net.getLayerWiseConfigurations().toJson()));
        entries.put(PARAMETERS, NpyFloats.write(net.params().castTo(DataType.FLOAT).toFloatVector()));
        Map<String, byte[]> members = new LinkedHashMap<>();
        if (model.isEnsemble()) {
            List<Long> seeds = new ArrayList<>();
            for (MicromodelSpec s : TrainedModel.ensembleSpecs(model.spec(), model.members().size())) {
                seeds.add(s.seed());
            }
            members.put(ENSEMBLE, utf8(StrictJson.write(new EnsembleInfo(model.members().size(), seeds))));
            for (int i = 1; i < model.members().size(); i++) {
                members.put(memberEntry(i), NpyFloats.write(model.members().get(i).params().castTo(DataType.FLOAT).toFloatVector()));
            }
        }
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        for (String name : FORMAT_2) {
            if (entries.containsKey(name)) {
                ordered.put(name, entries.get(name));
            }
        }
        ordered.putAll(members);
        checkWrittenForms(model.spec(), ordered);
        return ordered;
    }

    /**
     * The network as the loader will read it from {@code entries}, compared with the weights of the frozen form,
     * bit for bit (float32 weights stored as doubles are exact), and the configuration with the spec's.
     */
    private static void checkWrittenForms(MicromodelSpec spec, Map<String, byte[]> entries) {
        String what = "the model being saved";
        List<Network> nets = networks(what, spec, entries);
        try {
            FrozenMicromodel frozen;
            try {
                frozen = FrozenMicromodel.read(new ByteArrayInputStream(entries.get(FROZEN)));
            } catch (IOException e) {
                throw new IllegalStateException(what + ": its frozen form does not read back: " + e.getMessage(), e);
            }
            if (frozen.members().size() != nets.size()) {
                throw new IllegalStateException(what + ": " + FROZEN + " has " + frozen.members().size() + " networks, the model "
                        + nets.size());
            }
            for (int i = 0; i < nets.size(); i++) {
                String diff = difference(nets.get(i).net, frozen.members().get(i).layers(), spec);
                if (diff != null) {
                    throw new IllegalStateException(what + ": " + FROZEN + " and " + (i == 0 ? PARAMETERS : memberEntry(i))
                            + " differ: " + diff);
                }
            }
        } finally {
            for (Network n : nets) {
                n.close();
            }
        }
    }

    /**
     * Loads a model saved by {@link #save} (format 2) or by earlier versions (format 1; see the class comment).
     *
     * @throws ModelFormatException naming the file and entry when it is missing, truncated, corrupted, too large
     *                              when unpacked, altered, or not a micromodel
     */
    public static TrainedModel load(Path zip) {
        Map<String, byte[]> entries = readZip(zip);
        String file = "model file " + zip;
        byte[] manifestBytes = entries.get(MANIFEST);
        if (manifestBytes == null) {
            return loadFormat1(zip, entries);
        }
        ModelManifest manifest;
        try {
            manifest = ModelManifest.parse(manifestBytes, file);
            if (manifest.version() != FORMAT_VERSION) {
                throw new ModelFormatException(file + " is model format " + manifest.version() + "; this version of "
                        + "micromodels reads formats 1 and " + FORMAT_VERSION + " (upgrade micromodels to load it)");
            }
            Set<String> ensembleEntries = ensembleEntries(file, entries);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                if (e.getKey().equals(MANIFEST)) {
                    continue;
                }
                if (!FORMAT_2.contains(e.getKey()) && !ensembleEntries.contains(e.getKey())) {
                    throw new ModelFormatException(file + " holds an unknown entry '" + e.getKey() + "'; refusing it "
                            + "(a format-" + FORMAT_VERSION + " model holds " + MANIFEST + ", " + String.join(", ", FORMAT_2) + ")");
                }
                manifest.verify(e.getKey(), e.getValue(), file);
            }
        } catch (FrozenFormatException e) {
            throw new ModelFormatException(oneLine(e.getMessage()), e);
        }
        for (String name : manifest.sha256().keySet()) {
            if (!entries.containsKey(name)) {
                throw new ModelFormatException(file + " lacks the entry '" + name + "' its " + MANIFEST + " lists");
            }
        }
        for (String name : FORMAT_2) {
            if (!OPTIONAL.contains(name)) {
                require(zip, entries, name);
            }
        }
        MicromodelSpec spec = parse(zip, entries, SPEC, b -> MicromodelSpec.fromJson(text(b)));
        Parts parts = parts(zip, entries);
        io.micromodels.train.TrainingHistory history = entries.containsKey(HISTORY)
                ? parse(zip, entries, HISTORY, b -> StrictJson.read(text(b), io.micromodels.train.TrainingHistory.class, HISTORY))
                : null;
        List<Network> nets = networks(file, spec, entries);
        try {
            List<MultiLayerNetwork> members = new ArrayList<>();
            for (Network n : nets) {
                members.add(n.net);
            }
            BinaryDecision decision = entries.containsKey(DECISION)
                    ? parse(zip, entries, DECISION, b -> StrictJson.read(text(b), BinaryDecision.class, DECISION)) : null;
            TrainedModel model;
            try {
                model = new TrainedModel(members, spec, parts.pipeline, parts.metrics, parts.provenance, decision, history);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file + ": entry " + DECISION + ": " + e.getMessage(), e);
            }
            for (Network n : nets) {
                n.release();
            }
            return model;
        } finally {
            for (Network n : nets) {
                n.close();
            }
        }
    }

    /**
     * The entries an ensemble adds ({@value #ENSEMBLE} and members 1..N-1), read from its {@value #ENSEMBLE}; empty
     * for a single network. A member entry without {@value #ENSEMBLE} is then an unknown entry.
     */
    private static Set<String> ensembleEntries(String file, Map<String, byte[]> entries) {
        EnsembleInfo info = ensembleInfo(file, entries);
        if (info == null) {
            return Set.of();
        }
        Set<String> names = new java.util.HashSet<>();
        names.add(ENSEMBLE);
        for (int i = 1; i < info.members(); i++) {
            names.add(memberEntry(i));
        }
        return names;
    }

    private static EnsembleInfo ensembleInfo(String file, Map<String, byte[]> entries) {
        byte[] b = entries.get(ENSEMBLE);
        if (b == null) {
            return null;
        }
        try {
            return StrictJson.read(text(b), EnsembleInfo.class, ENSEMBLE);
        } catch (RuntimeException e) {
            throw new ModelFormatException(file + ": entry '" + ENSEMBLE + "' is unreadable: " + oneLine(e.getMessage()), e);
        }
    }

    /** Every member's network (one for an ordinary model); on failure nothing stays allocated. */
    private static List<Network> networks(String file, MicromodelSpec spec, Map<String, byte[]> entries) {
        EnsembleInfo info = ensembleInfo(file, entries);
        List<Network> nets = new ArrayList<>();
        try {
            nets.add(network(file, spec, entries));
            if (info != null) {
                if (info.seeds().get(0) != spec.seed()) {
                    throw new ModelFormatException(file + ": entry '" + ENSEMBLE + "' gives member 0 the seed "
                            + info.seeds().get(0) + " but " + SPEC + " has " + spec.seed());
                }
                for (int i = 1; i < info.members(); i++) {
                    byte[] params = entries.get(memberEntry(i));
                    if (params == null) {
                        throw new ModelFormatException(file + " lacks the entry '" + memberEntry(i) + "' its " + ENSEMBLE + " implies");
                    }
                    nets.add(memberNetwork(file, spec.withSeed(info.seeds().get(i)), params, memberEntry(i)));
                }
            }
            return nets;
        } catch (RuntimeException e) {
            for (Network n : nets) {
                n.close();
            }
            throw e;
        }
    }

    /** An ensemble member: the spec with the member's seed, and its parameter array (its configuration is the spec's). */
    private static Network memberNetwork(String file, MicromodelSpec spec, byte[] bytes, String entry) {
        float[] params;
        try {
            params = NpyFloats.read(bytes);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": entry '" + entry + "' is unreadable: " + e.getMessage(), e);
        }
        if (params.length != spec.parameterCount()) {
            throw new ModelFormatException(file + ": entry '" + entry + "' has " + params.length
                    + " parameters but " + SPEC + " describes " + spec.parameterCount());
        }
        Network net = new Network(new MultiLayerNetwork(spec.toConfiguration()));
        net.net.init(Nd4j.createFromArray(params).reshape(1, params.length), false);
        return net;
    }

    private static TrainedModel loadFormat1(Path zip, Map<String, byte[]> entries) {
        String file = "model file " + zip;
        require(zip, entries, SPEC);
        for (String name : entries.keySet()) {
            if (!FORMAT_1.contains(name)) {
                throw new ModelFormatException(file + " holds an unknown entry '" + name + "' and no " + MANIFEST
                        + "; it is not a micromodel saved by this or an earlier version");
            }
        }
        for (String name : List.of(PIPELINE, PROVENANCE, FROZEN, NETWORK)) {
            require(zip, entries, name);
        }
        List<String> inside;
        try {
            inside = LegacyNetworkZip.entryNames(entries.get(NETWORK));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": entry '" + NETWORK + "' is not a readable zip (" + e.getMessage() + ")", e);
        }
        for (String name : inside) {
            if (!LegacyNetworkZip.WRITTEN_BY_FORMAT_1.contains(name)) {
                throw new ModelFormatException(file + ": entry '" + NETWORK + "' holds '" + name + "', which micromodels "
                        + "never wrote and will not deserialise; retrain the model with this version");
            }
        }
        MicromodelSpec spec = parse(zip, entries, SPEC, b -> MicromodelSpec.fromJson(text(b)));
        Parts parts = parts(zip, entries);
        FrozenMicromodel frozen = parse(zip, entries, FROZEN, b -> FrozenMicromodel.read(new ByteArrayInputStream(b)));
        try (Network net = new Network(new MultiLayerNetwork(spec.toConfiguration()))) {
            net.net.init();
            List<FrozenLayer> layers = frozen.network().layers();
            checkShapes(file, spec, layers);
            for (int i = 0; i < layers.size(); i++) {
                FrozenLayer l = layers.get(i);
                net.net.getLayer(i).setParam("W", Nd4j.create(l.weights()).castTo(DataType.FLOAT));
                net.net.getLayer(i).setParam("b", Nd4j.create(l.bias()).reshape(1, l.bias().length).castTo(DataType.FLOAT));
            }
            String diff = difference(net.net, frozen.network().layers(), spec);
            if (diff != null) {
                throw new ModelFormatException(file + ": entry '" + FROZEN + "' holds weights that are not float32 ("
                        + diff + "); retrain the model with this version");
            }
            TrainedModel model = new TrainedModel(net.net, spec, parts.pipeline, parts.metrics, parts.provenance);
            net.release();
            return model;
        }
    }

    private record Parts(FittedPipeline pipeline, Provenance provenance, Metrics metrics) {
    }

    private static Parts parts(Path zip, Map<String, byte[]> entries) {
        FittedPipeline pipeline = parse(zip, entries, PIPELINE, b -> PipelineJson.read(new ByteArrayInputStream(b)));
        Provenance provenance = parse(zip, entries, PROVENANCE, b -> Provenance.fromJson(text(b), PROVENANCE));
        Metrics metrics = entries.containsKey(METRICS)
                ? parse(zip, entries, METRICS, b -> Metrics.fromJson(text(b), METRICS)) : null;
        return new Parts(pipeline, provenance, metrics);
    }

    /** A network being built; closed (its native memory freed) unless released to its new owner. */
    private static final class Network implements AutoCloseable {
        private MultiLayerNetwork net;

        Network(MultiLayerNetwork net) {
            this.net = net;
        }

        MultiLayerNetwork release() {
            MultiLayerNetwork n = net;
            net = null;
            return n;
        }

        @Override
        public void close() {
            if (net != null) {
                TrainingResult.release(net);   // frees the arrays without the System.gc() of MultiLayerNetwork.close
                net = null;
            }
        }
    }

    /** The format-2 network: the spec's configuration (checked against the stored one) and the stored parameters. */
    private static Network network(String file, MicromodelSpec spec, Map<String, byte[]> entries) {
        JsonNode stored;
        try {
            stored = StrictJson.mapper().readTree(entries.get(CONFIGURATION));
        } catch (IOException e) {
            throw new ModelFormatException(file + ": entry '" + CONFIGURATION + "' is not JSON: " + oneLine(e.getMessage()), e);
        }
        float[] params;
        try {
            params = NpyFloats.read(entries.get(PARAMETERS));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": entry '" + PARAMETERS + "' is unreadable: " + e.getMessage(), e);
        }
        if (params.length != spec.parameterCount()) {
            throw new ModelFormatException(file + ": entry '" + PARAMETERS + "' has " + params.length
                    + " parameters but " + SPEC + " describes " + spec.parameterCount());
        }
        Network net = new Network(new MultiLayerNetwork(spec.toConfiguration()));
        try {
            net.net.init(Nd4j.createFromArray(params).reshape(1, params.length), false);
            JsonNode built = StrictJson.mapper().readTree(net.net.getLayerWiseConfigurations().toJson());
            if (allSeeds(stored, spec.seed())) {
                // written before the initialisation seed was forked from the spec's seed ({@code Seeds.INIT}): the
                // configuration then held the spec's seed itself; the parameters are stored either way
                built = withSeeds(built, stored.findValue("seed"));
            }
            String where = firstDifference(withoutProgress(stored), withoutProgress(built), "");
            if (where != null) {
                throw new ModelFormatException(file + ": entry '" + CONFIGURATION + "' is not the network that " + SPEC
                        + " describes (at " + where + "; the file was altered, or written by another DL4J version)");
            }
            return net;
        } catch (IOException e) {
            net.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** The JSON path of the first difference between two trees, or null when they are equal. */
    private static String firstDifference(JsonNode a, JsonNode b, String path) {
        if (a.equals(b)) {
            return null;
        }
        if (a.isObject() && b.isObject()) {
            java.util.SortedSet<String> keys = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (!a.has(k) || !b.has(k)) {
                    return path + "." + k;
                }
                String d = firstDifference(a.get(k), b.get(k), path + "." + k);
                if (d != null) {
                    return d;
                }
            }
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                String d = firstDifference(a.get(i), b.get(i), path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
        }
        return path.isEmpty() ? "the top level" : path.substring(1);
    }

    /** Whether the tree has a numeric "seed" field and all its "seed" fields equal {@code seed}. */
    private static boolean allSeeds(JsonNode node, long seed) {
        List<JsonNode> seeds = node.findValues("seed");
        return !seeds.isEmpty() && seeds.stream().allMatch(n -> n.isIntegralNumber() && n.longValue() == seed);
    }

    /** A copy with every "seed" field set to {@code seed} (the same node type: Jackson's int and long nodes differ). */
    private static JsonNode withSeeds(JsonNode node, JsonNode seed) {
        JsonNode copy = node.deepCopy();
        setSeeds(copy, seed);
        return copy;
    }

    private static void setSeeds(JsonNode node, JsonNode seed) {
        if (node instanceof ObjectNode o && o.has("seed") && o.get("seed").isIntegralNumber()) {
            o.set("seed", seed);
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            setSeeds(it.next(), seed);
        }
    }

    private static JsonNode withoutProgress(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(PROGRESS_KEYS);
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            strip(it.next());
        }
    }

    private static void checkShapes(String file, MicromodelSpec spec, List<FrozenLayer> layers) {
        if (layers.size() != spec.hidden().size() + 1) {
            throw new ModelFormatException(file + ": entry '" + FROZEN + "' has " + layers.size() + " layers but " + SPEC
                    + " describes " + (spec.hidden().size() + 1));
        }
        int width = spec.inputs();
        for (int i = 0; i < layers.size(); i++) {
            int out = i < spec.hidden().size() ? spec.hidden().get(i).width() : spec.outputs();
            FrozenLayer l = layers.get(i);
            if (l.nIn() != width || l.nOut() != out) {
                throw new ModelFormatException(file + ": entry '" + FROZEN + "' layer " + i + " is " + l.nIn() + "x"
                        + l.nOut() + " but " + SPEC + " describes " + width + "x" + out);
            }
            width = out;
        }
    }

    /** Where the network's weights and the frozen form's differ (float32 comparison), or null when they agree. */
    private static String difference(MultiLayerNetwork net, List<FrozenLayer> layers, MicromodelSpec spec) {
        if (layers.size() != spec.hidden().size() + 1) {
            return "the frozen form has " + layers.size() + " layers, the network " + (spec.hidden().size() + 1);
        }
        for (int i = 0; i < layers.size(); i++) {
            float[][] w = net.getLayer(i).getParam("W").castTo(DataType.FLOAT).toFloatMatrix();
            float[] b = net.getLayer(i).getParam("b").castTo(DataType.FLOAT).ravel().toFloatVector();
            double[][] fw = layers.get(i).weights();
            double[] fb = layers.get(i).bias();
            if (fw.length != w.length || fb.length != b.length) {
                return "layer " + i + " shapes differ";
            }
            for (int r = 0; r < w.length; r++) {
                for (int c = 0; c < w[r].length; c++) {
                    if (fw[r][c] != (double) w[r][c]) {
                        return "layer " + i + " weight [" + r + "][" + c + "] is " + fw[r][c] + " vs " + w[r][c];
                    }
                }
            }
            for (int c = 0; c < b.length; c++) {
                if (fb[c] != (double) b[c]) {
                    return "layer " + i + " bias [" + c + "] is " + fb[c] + " vs " + b[c];
                }
            }
        }
        return null;
    }

    /**
     * A saved model's provenance alone (no network is built), e.g. to retrain it ({@link Retrain}).
     *
     * @throws ModelFormatException naming the file and what is wrong
     */
    public static Provenance provenance(Path zip) {
        Map<String, byte[]> entries = readZip(zip);
        return parse(zip, entries, PROVENANCE, b -> Provenance.fromJson(text(b), PROVENANCE));
    }

    /** Reads one entry's bytes, for tools that need a single part (e.g. the frozen form). */
    public static byte[] entry(Path zip, String name) {
        return require(zip, readZip(zip), name);
    }

    private static Map<String, byte[]> readZip(Path zip) {
        if (!Files.exists(zip)) {
            throw new ModelFormatException("model file " + zip + " does not exist", new NoSuchFileException(zip.toString()));
        }
        try {
            return BoundedZip.read(zip, BoundedZip.Limits.DEFAULT);
        } catch (BoundedZip.LimitException e) {
            throw new ModelFormatException("model file " + e.getMessage(), e);
        } catch (ZipException e) {
            throw new ModelFormatException("model file " + zip + " is not a readable zip (truncated or corrupted: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read model file " + zip + ": " + e.getMessage(), e);
        }
    }

    private static byte[] require(Path zip, Map<String, byte[]> entries, String name) {
        byte[] b = entries.get(name);
        if (b == null) {
            throw new ModelFormatException("model file " + zip + " has no entry '" + name + "'; it is not a micromodel "
                    + "saved by this version");
        }
        return b;
    }

    private interface EntryReader<T> {
        T read(byte[] bytes) throws IOException;
    }

    private static <T> T parse(Path zip, Map<String, byte[]> entries, String name, EntryReader<T> reader) {
        try {
            return reader.read(require(zip, entries, name));
        } catch (ModelFormatException ex) {
            throw ex;
        } catch (IOException | RuntimeException ex) {
            throw new ModelFormatException("model file " + zip + ": entry '" + name + "' is unreadable: "
                    + oneLine(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()), ex);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
