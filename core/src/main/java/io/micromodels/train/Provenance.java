package io.micromodels.train;

import io.micromodels.backend.BackendInfo;
import io.micromodels.json.StrictJson;
import io.micromodels.spec.MicromodelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a saved model came from: enough to reproduce it or to tell an auditor how it was made.
 *
 * @param spec             the spec it was trained from
 * @param seed             the training seed (also in the spec; repeated for readers)
 * @param dataSource       the training data's file or bundled dataset name
 * @param dataSha256       SHA-256 of the raw training CSV bytes
 * @param libraries        library name to version (micromodels, deeplearning4j, nd4j, datavec, arbiter, jackson)
 * @param backend          the ND4J backend and device it was trained on
 * @param jvm              JVM vendor, name and version
 * @param os               operating system name, version and architecture
 * @param createdAt        ISO-8601 instant the model was saved
 * @param bestEpoch        1-based epoch whose parameters were kept
 * @param epochsRun        epochs run before stopping
 * @param trainingSeconds  wall-clock seconds of training
 * @param recipe           how it was trained (seeds, data and quality options), enough with the CSV to retrain it;
 *                         null for models saved before recipes were recorded (their {@code provenance.json} has no
 *                         {@code recipe} key) or trained on data of unknown options
 */
public record Provenance(MicromodelSpec spec, long seed, String dataSource, String dataSha256,
                         LinkedHashMap<String, String> libraries, BackendInfo backend, String jvm, String os,
                         String createdAt, int bestEpoch, int epochsRun, double trainingSeconds, Recipe recipe) {

    /** Validates the required fields. */
    public Provenance {
        if (spec == null || dataSource == null || dataSha256 == null || libraries == null || backend == null
                || jvm == null || os == null || createdAt == null) {
            throw new IllegalArgumentException("every provenance field must be given");
        }
        libraries = new LinkedHashMap<>(libraries);
    }

    /** Provenance without a recipe (as models saved before recipes were recorded). */
    public Provenance(MicromodelSpec spec, long seed, String dataSource, String dataSha256,
                      LinkedHashMap<String, String> libraries, BackendInfo backend, String jvm, String os,
                      String createdAt, int bestEpoch, int epochsRun, double trainingSeconds) {
        this(spec, seed, dataSource, dataSha256, libraries, backend, jvm, os, createdAt, bestEpoch, epochsRun,
                trainingSeconds, null);
    }

    /** Provenance for a model trained now, in this JVM, on the loaded backend, without a recipe. */
    public static Provenance now(MicromodelSpec spec, String dataSource, String dataSha256, BackendInfo backend,
                                 int bestEpoch, int epochsRun, double trainingSeconds) {
        return now(spec, dataSource, dataSha256, backend, bestEpoch, epochsRun, trainingSeconds, null);
    }

    /** Provenance for a model trained now, in this JVM, on the loaded backend, with how it was trained (or null). */
    public static Provenance now(MicromodelSpec spec, String dataSource, String dataSha256, BackendInfo backend,
                                 int bestEpoch, int epochsRun, double trainingSeconds, Recipe recipe) {
        return new Provenance(spec, spec.seed(), dataSource, dataSha256, libraryVersions(), backend,
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Instant.now().toString(), bestEpoch, epochsRun, trainingSeconds, recipe);
    }

    /**
     * Reads {@code provenance.json}: strict (unknown and missing keys are errors), except that the {@code recipe} key
     * may be absent (models saved before it existed: then {@link #recipe()} is null) and a null inside the recipe's
     * data options means "infer", as in {@link io.micromodels.data.DataOptions}.
     *
     * @param what the file name, for messages
     */
    public static Provenance fromJson(String json, String what) {
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = StrictJson.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return StrictJson.read(json, Provenance.class, what); // reports the malformed JSON in the usual words
        }
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o && !o.has("recipe")) {
            o.putNull("recipe");
        }
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o
                && o.get("recipe") instanceof com.fasterxml.jackson.databind.node.ObjectNode r
                && r.get("data") instanceof com.fasterxml.jackson.databind.node.ObjectNode d) {
            io.micromodels.data.DataOptions.fillLegacyKeys(d);
        }
        return StrictJson.readNullable(tree.toString(), Provenance.class, what);
    }

    /** Versions of the libraries on the class path, read from their Maven metadata ("unknown" if absent). */
    public static LinkedHashMap<String, String> libraryVersions() {
        LinkedHashMap<String, String> v = new LinkedHashMap<>();
        v.put("micromodels", version("io.micromodels", "micromodels-core"));
        v.put("deeplearning4j", version("org.deeplearning4j", "deeplearning4j-nn"));
        v.put("nd4j", version("org.nd4j", "nd4j-api"));
        v.put("datavec", version("org.datavec", "datavec-api"));
        v.put("arbiter", version("org.deeplearning4j", "arbiter-core"));
        v.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        return v;
    }

    private static String version(String group, String artifact) {
        String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Provenance.class.getResourceAsStream(path)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    /** A few lines for people. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("  spec       ").append(spec.shape()).append(", seed ").append(seed).append('\n');
        sb.append("  data       ").append(dataSource).append(" (sha256 ").append(dataSha256, 0, Math.min(12, dataSha256.length())).append("...)\n");
        sb.append("  trained    ").append(epochsRun).append(" epochs (best ").append(bestEpoch).append(") in ")
                .append(String.format(java.util.Locale.ROOT, "%.1f", trainingSeconds)).append(" s on ").append(backend.summary()).append('\n');
        sb.append("  libraries  ");
        for (Map.Entry<String, String> e : libraries.entrySet()) {
            sb.append(e.getKey()).append(' ').append(e.getValue()).append("; ");
        }
        if (recipe != null) {
            sb.append("\n  recipe     ").append(recipe.summary());
        }
        sb.append("\n  jvm        ").append(jvm).append("\n  created    ").append(createdAt).append('\n');
        return sb.toString();
    }
}
