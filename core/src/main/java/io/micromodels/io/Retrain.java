package io.micromodels.io;

import io.micromodels.data.DataPipeline;
import io.micromodels.data.PreparedData;
import io.micromodels.population.Ensemble;
import io.micromodels.train.Provenance;
import io.micromodels.train.Recipe;
import io.micromodels.train.TrainedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Trains a saved model again from its zip and the CSV it was trained on: the zip's provenance holds the spec and its
 * {@link Recipe} (root seed and its forks, every data option, the quality options, the number of members), so the
 * result has the same parameters, bit for bit, when run on the same CPU kernels.
 *
 * <pre>{@code
 * try (TrainedModel again = Retrain.from(Path.of("runs/train-1/model.zip"), Path.of("credit.csv"))) {
 *     ModelStore.save(again, Path.of("again.zip"), false);
 * }
 * }</pre>
 *
 * Models saved before recipes were recorded (format 2 zips whose {@code provenance.json} has no {@code recipe}) still
 * load and predict, but cannot be retrained from the zip alone: {@link #from} refuses them, naming what is missing.
 */
public final class Retrain {
    private Retrain() {
    }

    /**
     * Prepares {@code csv} with the model's data options and trains the model's spec as it was trained.
     *
     * @throws IllegalArgumentException in one line, when the zip has no recipe, the networks were assembled from
     *                                  elsewhere (a study's trials), or the CSV's SHA-256 is not the training data's
     * @throws ModelFormatException     when the zip cannot be read
     */
    public static TrainedModel from(Path modelZip, Path csv) {
        Provenance p = ModelStore.provenance(modelZip);
        Recipe r = p.recipe();
        if (r == null) {
            throw new IllegalArgumentException(modelZip + ": provenance.json has no recipe (saved before seeds and data "
                    + "options were recorded); train it again with the options it was first trained with");
        }
        if (Recipe.ASSEMBLED.equals(r.trainer())) {
            throw new IllegalArgumentException(modelZip + ": its networks were trained elsewhere (a study's trials) and "
                    + "assembled; retrain the study instead");
        }
        if (Recipe.SPARK.equals(r.trainer())) {
            throw new IllegalArgumentException(modelZip + ": it was trained on Spark (" + p.backend().choice() + ") with "
                    + "parameter averaging, which does not replay bit for bit; train it again with train --spark");
        }
        String sha = sha256(csv);
        if (!sha.equals(p.dataSha256())) {
            throw new IllegalArgumentException(csv + ": SHA-256 " + sha.substring(0, 12) + "... is not the training data's ("
                    + p.dataSha256().substring(0, Math.min(12, p.dataSha256().length())) + "... of " + p.dataSource()
                    + "); retraining needs the same file");
        }
        PreparedData data = DataPipeline.prepare(csv, r.data());
        return Recipe.ENSEMBLE.equals(r.trainer()) ? Ensemble.train(data, p.spec(), r.members(), p.dataSource(), r.quality())
                : TrainedModel.train(data, p.spec(), p.dataSource(), r.quality());
    }

    /** SHA-256 of a file's bytes, lower-case hex (as {@link PreparedData#sha256()}). */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
