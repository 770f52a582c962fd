package io.micromodels.io;

import io.micromodels.data.FittedPipeline;
import io.micromodels.frozen.BinaryDecision;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Metrics;
import io.micromodels.train.TrainedModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves a {@link TrainedModel} as one zip and loads it back with identical predictions.
 *
 * <p>Entries: {@code network.zip} (DL4J {@link ModelSerializer}, parameters without updater state),
 * {@code spec.json}, {@code pipeline.json} (the fitted data pipeline), {@code provenance.json} (spec, seed,
 * SHA-256 of the training data, library versions, backend, JVM, time), {@code metrics.json} (test metrics, when
 * known), {@code decision.json} (a binary model's Platt calibration and decision threshold, when not the standard
 * none and 0.5; absent in older files, which then load with the standard rule) and {@code frozen.json} (the plain-Java form for ND4J-free serving). Writing goes to a temporary file
 * renamed into place, so a crash never leaves half a model, and an existing file is kept unless overwriting is
 * asked for. A truncated, corrupted or foreign file gives a {@link ModelFormatException} naming the file and the
 * entry, never a raw stack trace.
 *
 * <pre>{@code
 * ModelStore.save(model, Path.of("runs/credit/model.zip"), false);
 * try (TrainedModel back = ModelStore.load(Path.of("runs/credit/model.zip"))) {
 *     double[][] p = back.predictRaw(rows);
 * }
 * }</pre>
 */
public final class ModelStore {
    /** DL4J network entry. */
    public static final String NETWORK = "network.zip";
    /** Spec entry. */
    public static final String SPEC = "spec.json";
    /** Fitted data pipeline entry. */
    public static final String PIPELINE = "pipeline.json";
    /** Provenance entry. */
    public static final String PROVENANCE = "provenance.json";
    /** Test metrics entry. */
    public static final String METRICS = "metrics.json";
    /** Frozen (ND4J-free) form entry. */
    public static final String FROZEN = "frozen.json";
    /** A binary model's calibration and decision threshold; absent = none and 0.5 (models saved before it existed). */
    public static final String DECISION = "decision.json";

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
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(SPEC, utf8(model.spec().toJson()));
        entries.put(PROVENANCE, utf8(StrictJson.write(model.provenance())));
        if (model.testMetrics() != null) {
            entries.put(METRICS, utf8(StrictJson.write(model.testMetrics())));
        }
        if (model.decision() != null && !model.decision().isStandard()) {
            entries.put(DECISION, utf8(StrictJson.write(model.decision())));
        }
        try {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            model.pipeline().write(pipeline);
            entries.put(PIPELINE, pipeline.toByteArray());
            ByteArrayOutputStream net = new ByteArrayOutputStream();
            ModelSerializer.writeModel(model.network(), new KeepOpen(net), false);
            entries.put(NETWORK, net.toByteArray());
            ByteArrayOutputStream frozen = new ByteArrayOutputStream();
            Freezer.freeze(model).write(frozen);
            entries.put(FROZEN, frozen.toByteArray());

            Path dir = zip.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".model-", ".zip.tmp");
            try {
                try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
                    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                        out.putNextEntry(new ZipEntry(e.getKey()));
                        out.write(e.getValue());
                        out.closeEntry();
                    }
                }
                if (overwrite) {
                    Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.move(tmp, zip, StandardCopyOption.ATOMIC_MOVE);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + zip + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model saved by {@link #save}.
     *
     * @throws ModelFormatException naming the file and entry when it is missing, truncated, corrupted or not a micromodel
     */
    public static TrainedModel load(Path zip) {
        if (!Files.exists(zip)) {
            throw new ModelFormatException("model file " + zip + " does not exist", new NoSuchFileException(zip.toString()));
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            MicromodelSpec spec = read(zip, file, SPEC, in -> MicromodelSpec.fromJson(text(in)));
            FittedPipeline pipeline = read(zip, file, PIPELINE, FittedPipeline::read);
            Provenance provenance = read(zip, file, PROVENANCE, in -> StrictJson.read(text(in), Provenance.class, PROVENANCE));
            Metrics metrics = file.getEntry(METRICS) == null ? null
                    : read(zip, file, METRICS, in -> StrictJson.read(text(in), Metrics.class, METRICS));
            MultiLayerNetwork net = read(zip, file, NETWORK,
                    in -> ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(in.readAllBytes()), false));
            if (net.numParams() != spec.parameterCount()) {
                throw new ModelFormatException("model file " + zip + ": entry " + NETWORK + " has " + net.numParams()
                        + " parameters but " + SPEC + " describes " + spec.parameterCount());
            }
            BinaryDecision decision = file.getEntry(DECISION) == null ? null
                    : read(zip, file, DECISION, in -> StrictJson.read(text(in), BinaryDecision.class, DECISION));
            try {
                return new TrainedModel(net, spec, pipeline, metrics, provenance, decision);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException("model file " + zip + ": entry " + DECISION + ": " + e.getMessage(), e);
            }
        } catch (ZipException e) {
            throw new ModelFormatException("model file " + zip + " is not a readable zip (truncated or corrupted: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read model file " + zip + ": " + e.getMessage(), e);
        }
    }

    /** Reads one entry's bytes, for tools that need a single part (e.g. the frozen form). */
    public static byte[] entry(Path zip, String name) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return read(zip, file, name, InputStream::readAllBytes);
        } catch (ZipException e) {
            throw new ModelFormatException("model file " + zip + " is not a readable zip (truncated or corrupted: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read model file " + zip + ": " + e.getMessage(), e);
        }
    }

    private interface EntryReader<T> {
        T read(InputStream in) throws IOException;
    }

    private static <T> T read(Path zip, ZipFile file, String name, EntryReader<T> reader) {
        ZipEntry e = file.getEntry(name);
        if (e == null) {
            throw new ModelFormatException("model file " + zip + " has no entry '" + name + "'; it is not a micromodel "
                    + "saved by this version");
        }
        try (InputStream in = file.getInputStream(e)) {
            return reader.read(in);
        } catch (ModelFormatException ex) {
            throw ex;
        } catch (IOException | RuntimeException ex) {
            throw new ModelFormatException("model file " + zip + ": entry '" + name + "' is unreadable: "
                    + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()), ex);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** ModelSerializer closes the stream it is given; this keeps the underlying one open. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
