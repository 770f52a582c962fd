package io.micromodels.frozen;

import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes {@link FrozenMicromodel} JSON (see there for the format) with strict, location-naming errors. */
final class FrozenJson {
    static final String FORMAT = "micromodels-frozen";
    static final int VERSION = 1;
    /** The version of an ensemble: {@code "networks"}, a list of member networks, in place of {@code "network"}. */
    static final int ENSEMBLE_VERSION = 2;
    static final String DENSE = "dense";
    /** The optional key holding a {@link BinaryDecision}. */
    static final String DECISION = "decision";

    private static final Pattern MISSING = Pattern.compile("Missing (?:required )?creator property '([^']*)'");
    private static final Pattern COERCION_HINT = Pattern.compile("\\s*\\(but (?:might|could) if coercion[^)]*\\)");
    private static final Pattern NULL = Pattern.compile("Null value for creator property '([^']*)'");

    private FrozenJson() {
    }

    @JsonPropertyOrder({"format", "version", "task", "target", "classLabels", "outputNames", "targetScale", "targetShift",
            "pipeline", "network"})
    /** What the one-network and the ensemble forms share; each record's accessors implement it. */
    interface Header {
        String format();

        int version();

        TaskKind task();

        String target();

        List<String> classLabels();

        List<String> outputNames();

        double targetScale();

        double targetShift();

        FrozenPipeline pipeline();

        /** The member networks as written (one for the one-network form). */
        List<NetworkJson> networkList();
    }

    record ModelJson(String format, int version,
            @JsonSerialize(using = TaskKind.ConstantName.Writer.class) @JsonDeserialize(using = TaskKind.ConstantName.Reader.class) TaskKind task, String target, List<String> classLabels,
                     List<String> outputNames, double targetScale, double targetShift, FrozenPipeline pipeline,
                     NetworkJson network) implements Header {
        @Override
        public List<NetworkJson> networkList() {
            return java.util.Collections.singletonList(network);
        }
    }

    record NetworkJson(List<LayerJson> layers) {
    }

    /** Version 2: an ensemble, its member networks averaged; otherwise exactly version 1's keys. */
    @JsonPropertyOrder({"format", "version", "task", "target", "classLabels", "outputNames", "targetScale", "targetShift",
            "pipeline", "networks"})
    record EnsembleJson(String format, int version,
            @JsonSerialize(using = TaskKind.ConstantName.Writer.class) @JsonDeserialize(using = TaskKind.ConstantName.Reader.class) TaskKind task, String target, List<String> classLabels,
                        List<String> outputNames, double targetScale, double targetShift, FrozenPipeline pipeline,
                        List<NetworkJson> networks) implements Header {
        @Override
        public List<NetworkJson> networkList() {
            return networks;
        }
    }

    @JsonPropertyOrder({"type", "nIn", "nOut", "activation", "alpha", "weights", "bias"})
    /** One layer; {@code activation} is the constant name ({@code "RELU"}), the frozen format's spelling. */
    record LayerJson(String type, int nIn, int nOut, String activation, double alpha, double[][] weights, double[] bias) {
    }

    static void write(FrozenMicromodel model, OutputStream out) throws IOException {
        FrozenMetadata md = model.metadata();
        List<NetworkJson> networks = new ArrayList<>();
        for (FrozenNetwork n : model.members()) {
            List<LayerJson> layers = new ArrayList<>();
            for (FrozenLayer l : n.layers()) {
                layers.add(new LayerJson(DENSE, l.nIn(), l.nOut(), l.activation().name(), l.alpha(), l.weights(), l.bias()));
            }
            networks.add(new NetworkJson(layers));
        }
        Object json = networks.size() == 1
                ? new ModelJson(FORMAT, VERSION, md.task(), md.target(), md.classLabels(), md.outputNames(),
                        md.targetScale(), md.targetShift(), model.pipeline(), networks.get(0))
                : new EnsembleJson(FORMAT, ENSEMBLE_VERSION, md.task(), md.target(), md.classLabels(), md.outputNames(),
                        md.targetScale(), md.targetShift(), model.pipeline(), networks);
        if (model.decision().isEmpty()) {
            StrictJson.pretty().writeValue(out, json);
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode tree = StrictJson.mapper().valueToTree(json);
        tree.set(DECISION, StrictJson.mapper().valueToTree(model.decision().get()));
        StrictJson.pretty().writeValue(out, tree);
    }

    static FrozenMicromodel read(InputStream in, String source) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper mapper = StrictJson.mapper();
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = mapper.readTree(in);
        } catch (JsonProcessingException e) {
            throw new FrozenFormatException(source + ": " + describe(e), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new FrozenFormatException(source + ": expected a JSON object, got " + (tree == null || tree.isMissingNode() ? "empty input" : "null"));
        }
        // the one optional key (absent in files written before it existed): read apart, then the strict record
        com.fasterxml.jackson.databind.JsonNode decisionJson = tree.isObject()
                ? ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove(DECISION) : null;
        BinaryDecision decision = null;
        if (decisionJson != null) {
            try {
                decision = mapper.treeToValue(decisionJson, BinaryDecision.class);
            } catch (JsonProcessingException e) {
                throw new FrozenFormatException(source + ": key '" + DECISION + "': " + describe(e), e);
            }
            if (decision == null) throw new FrozenFormatException(source + ": key '" + DECISION + "' must not be null");
        }
        boolean ensemble = tree.isObject() && tree.path("version").isInt() && tree.path("version").intValue() == ENSEMBLE_VERSION;
        Header json;
        try {
            json = ensemble ? mapper.treeToValue(tree, EnsembleJson.class) : mapper.treeToValue(tree, ModelJson.class);
        } catch (JsonProcessingException e) {
            throw new FrozenFormatException(source + ": " + describe(e), e);
        }
        if (json == null) throw new FrozenFormatException(source + ": expected a JSON object, got null");
        List<NetworkJson> networkJson = json.networkList();
        if (ensemble && networkJson.isEmpty()) {
            throw new FrozenFormatException(source + ": key 'networks' must list at least one network");
        }
        String format = json.format();
        int version = json.version();
        if (!FORMAT.equals(format)) {
            throw new FrozenFormatException(source + ": key 'format' must be \"" + FORMAT + "\", got \"" + format + "\"");
        }
        if (version != VERSION && version != ENSEMBLE_VERSION) {
            throw new FrozenFormatException(source + ": key 'version' " + version + " is not supported (this reader reads versions "
                    + VERSION + " and " + ENSEMBLE_VERSION + ")");
        }
        List<FrozenNetwork> networks = new ArrayList<>();
        for (int m = 0; m < networkJson.size(); m++) {
            networks.add(network(networkJson.get(m), source + ": " + (ensemble ? "networks[" + m + "]" : "network")));
        }
        try {
            FrozenMetadata md = new FrozenMetadata(json.task(), json.target(), json.classLabels(), json.outputNames(),
                    json.targetScale(), json.targetShift());
            return FrozenMicromodel.of(json.pipeline(), networks, md, decision);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new FrozenFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static FrozenNetwork network(NetworkJson json, String prefix) throws FrozenFormatException {
        if (json == null) throw new FrozenFormatException(prefix + " is null");
        List<FrozenLayer> layers = new ArrayList<>();
        List<LayerJson> layerJson = json.layers();
        for (int k = 0; k < layerJson.size(); k++) {
            String where = prefix + ".layers[" + k + "]";
            LayerJson l = layerJson.get(k);
            if (l == null) throw new FrozenFormatException(where + " is null");
            if (!DENSE.equals(l.type())) {
                throw new FrozenFormatException(where + ": key 'type' must be \"" + DENSE + "\", got \"" + l.type() + "\"");
            }
            double[][] w = l.weights();
            if (w.length != l.nIn()) {
                throw new FrozenFormatException(where + ": 'weights' has " + w.length + " rows, expected nIn = " + l.nIn());
            }
            for (int i = 0; i < w.length; i++) {
                if (w[i] == null) throw new FrozenFormatException(where + ": 'weights' row " + i + " is null");
                if (w[i].length != l.nOut()) {
                    throw new FrozenFormatException(where + ": 'weights' row " + i + " has " + w[i].length + " values, expected nOut = " + l.nOut());
                }
            }
            if (l.bias().length != l.nOut()) {
                throw new FrozenFormatException(where + ": 'bias' has " + l.bias().length + " values, expected nOut = " + l.nOut());
            }
            Activation activation;
            try {
                activation = Activation.valueOf(l.activation());
            } catch (IllegalArgumentException e) {
                throw new FrozenFormatException(where + ".activation: unknown activation '" + l.activation() + "'; allowed: "
                        + java.util.Arrays.toString(Activation.values()), e);
            }
            try {
                layers.add(FrozenLayer.dense(w, l.bias(), activation, l.alpha()));
            } catch (IllegalArgumentException e) {
                throw new FrozenFormatException(where + ": " + e.getMessage(), e);
            }
        }
        try {
            return FrozenNetwork.of(layers);
        } catch (IllegalArgumentException e) {
            throw new FrozenFormatException(prefix.substring(0, prefix.lastIndexOf(": ")) + ": " + e.getMessage(), e);
        }
    }

    /** A one-line description of a Jackson error: what is wrong, at which JSON path, naming the key. */
    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown key '" + u.getPropertyName() + "' in " + path(u, 1) + " (expected keys: "
                    + (u.getKnownPropertyIds() == null ? "?" : new java.util.TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf).toList()))
                    + ")";
        }
        if (e instanceof InvalidTypeIdException t) {
            if (t.getTypeId() == null) {
                return "missing key 'name' in " + path(t, 0) + " (the pipeline type; registered: "
                        + FrozenPipelines.registered().keySet() + ")";
            }
            return "unknown pipeline type '" + t.getTypeId() + "' in key 'name' of " + path(t, 0) + " (registered: "
                    + FrozenPipelines.registered().keySet() + ")";
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return path(v, 0) + ": " + v.getCause().getMessage();
        }
        String original = COERCION_HINT.matcher(firstLine(e.getOriginalMessage())).replaceAll("");
        if (e instanceof JsonMappingException m) {
            Matcher missing = MISSING.matcher(original);
            if (missing.find()) return "missing key '" + missing.group(1) + "' in " + parentPath(m, missing.group(1));
            Matcher nul = NULL.matcher(original);
            if (nul.find()) return "key '" + nul.group(1) + "' in " + parentPath(m, nul.group(1)) + " must not be null";
            if (original.startsWith("No content to map")) return "empty input, expected a JSON object";
            if (original.startsWith("Unexpected end-of-input")) {
                return "malformed JSON: the input ends early, inside " + path(m, 0) + at(e.getLocation());
            }
            return path(m, 0) + ": " + original + at(e.getLocation());
        }
        return "malformed JSON" + at(e.getLocation()) + ": " + original;
    }

    /** The path of the object holding {@code key}: the error path without a trailing reference to the key itself. */
    private static String parentPath(JsonMappingException e, String key) {
        List<JsonMappingException.Reference> refs = e.getPath();
        boolean endsWithKey = !refs.isEmpty() && key.equals(refs.get(refs.size() - 1).getFieldName());
        return path(e, endsWithKey ? 1 : 0);
    }

    /** The JSON path of the error, leaving out the last {@code drop} references, e.g. {@code network.layers[1]}. */
    private static String path(JsonMappingException e, int drop) {
        List<JsonMappingException.Reference> refs = e.getPath();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < refs.size() - drop; i++) {
            JsonMappingException.Reference r = refs.get(i);
            if (r.getFieldName() != null) {
                if (sb.length() > 0) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "the top-level object" : sb.toString();
    }

    private static String at(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) return "";
        return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
