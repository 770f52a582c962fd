package io.micromodels.tune;

import io.micromodels.train.QualityOptions;
import io.micromodels.tune.space.SpaceConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a study searches and how: the data, the generator, the seed, the number of trials, the
 * execution (threads and batch size), the fixed training settings of every candidate and the space.
 * Immutable and validated; round-trips exactly through JSON as part of {@code study.json}.
 *
 * @param dataset   a bundled dataset name, or empty when {@code data} is given
 * @param data      a CSV file, or empty when {@code dataset} is given
 * @param target    the CSV's target column (required with {@code data}); empty for a bundled dataset
 *                  (its catalogue target)
 * @param generator the candidate generator
 * @param seed      seed of the data split, of every candidate's training, and of the generator
 * @param trials    the study's total number of finished trials, in {@code [1, 100000]}
 * @param parallel  candidates trained at the same time by the default executor, in {@code [1, 256]}
 * @param batch     candidates proposed together and handed to the executor as one batch
 *                  ({@code q}), in {@code [1, 1024]}; independent of {@code parallel}
 * @param maxEpochs maximum epochs of every candidate, in {@code [1, 100000]}
 * @param patience  early-stopping patience of every candidate, in {@code [0, 100000]}
 * @param space     the search space
 * @param cv        how candidates are scored: the validation split, or K-fold cross-validation
 * @param ensemble  members of the final model, in {@code [1, 64]}: 1 = one network; N = the best configuration
 *                  trained with N seeds as one population and averaged (see {@link Study#saveBest()})
 * @param quality   the metric trials are scored and compared by, class weights, positive class, and the best model's
 *                  decision threshold and calibration ({@code --metric}, {@code --class-weight}, ...)
 * @param dataOptions how the data is read and split ({@code --drop}, {@code --task}, {@code --keep-duplicates},
 *                  {@code --split-file}, ...), its seed always {@code seed}; null = the defaults: for a CSV, the target
 *                  and {@code cv.timeColumn} only, for a bundled dataset its catalogue options (and studies recorded
 *                  before data options were)
 * @param halving   successive halving inside populations ({@code --halving}); {@link Halving#NONE} without. Its rungs
 *                  must be below {@code maxEpochs}; it does not combine with cross-validation
 * @param objectives the objectives of a multi-objective study ({@code tune --objectives auc,latency}; see
 *                  {@link SearchObjective}), 2 to 4 distinct names, the first a metric: the primary objective, the
 *                  study's metric ({@code quality.metric} when given); empty for a single-objective study (the metric).
 *                  The {@code genetic} generator optimises one score and is refused; with cross-validation the only
 *                  metric is the first (trials keep no network to score a second on). Absent in studies recorded
 *                  before objectives were (read as empty)
 */
public record StudyOptions(String dataset, String data, String target, GeneratorKind generator, long seed, int trials,
                           int parallel, int batch, int maxEpochs, int patience, SpaceConfig space, CrossValidation cv,
                           int ensemble, QualityOptions quality, io.micromodels.data.DataOptions dataOptions,
                           Halving halving, List<String> objectives) {

    /** Single-objective options without successive halving ({@link Halving#NONE}). */
    public StudyOptions(String dataset, String data, String target, GeneratorKind generator, long seed, int trials,
                        int parallel, int batch, int maxEpochs, int patience, SpaceConfig space, CrossValidation cv,
                        int ensemble, QualityOptions quality, io.micromodels.data.DataOptions dataOptions) {
        this(dataset, data, target, generator, seed, trials, parallel, batch, maxEpochs, patience, space, cv, ensemble,
                quality, dataOptions, Halving.NONE, List.of());
    }

    /** Single-objective options with successive halving. */
    public StudyOptions(String dataset, String data, String target, GeneratorKind generator, long seed, int trials,
                        int parallel, int batch, int maxEpochs, int patience, SpaceConfig space, CrossValidation cv,
                        int ensemble, QualityOptions quality, io.micromodels.data.DataOptions dataOptions, Halving halving) {
        this(dataset, data, target, generator, seed, trials, parallel, batch, maxEpochs, patience, space, cv, ensemble,
                quality, dataOptions, halving, List.of());
    }

    /** Options without successive halving ({@link Halving#NONE}). */
    public StudyOptions(String dataset, String data, String target, GeneratorKind generator, long seed, int trials,
                        int parallel, int batch, int maxEpochs, int patience, SpaceConfig space, CrossValidation cv,
                        int ensemble, QualityOptions quality, io.micromodels.data.DataOptions dataOptions,
                        List<String> objectives) {
        this(dataset, data, target, generator, seed, trials, parallel, batch, maxEpochs, patience, space, cv, ensemble,
                quality, dataOptions, Halving.NONE, objectives);
    }

    /** Default number of trials. */
    public static final int DEFAULT_TRIALS = 30;
    /** Default maximum epochs per candidate. */
    public static final int DEFAULT_MAX_EPOCHS = 200;
    /** Default early-stopping patience per candidate. */
    public static final int DEFAULT_PATIENCE = 15;

    /** Validates every field; messages name the field, the allowed range and the value. */
    public StudyOptions {
        Objects.requireNonNull(dataset, "dataset must not be null (empty when data is given)");
        Objects.requireNonNull(data, "data must not be null (empty when dataset is given)");
        Objects.requireNonNull(target, "target must not be null (empty for a bundled dataset)");
        if (dataset.isEmpty() == data.isEmpty()) {
            throw new IllegalArgumentException("exactly one of dataset and data must be given, got dataset '" + dataset
                    + "' and data '" + data + "'");
        }
        if (!data.isEmpty() && target.isEmpty()) {
            throw new IllegalArgumentException("target must name the CSV's target column when data is given, got ''");
        }
        if (!dataset.isEmpty() && !target.isEmpty()) {
            throw new IllegalArgumentException("target must be empty for a bundled dataset (it has its own), got '" + target + "'");
        }
        Objects.requireNonNull(generator, "generator must be one of [bayes, random, grid, genetic], got null");
        range("trials", trials, 1, 100_000);
        range("parallel", parallel, 1, 256);
        range("batch", batch, 1, 1024);
        range("maxEpochs", maxEpochs, 1, 100_000);
        range("patience", patience, 0, 100_000);
        Objects.requireNonNull(space, "space must not be null");
        Objects.requireNonNull(cv, "cv must not be null (CrossValidation.NONE without cross-validation)");
        range("ensemble", ensemble, 1, 64);
        if (!cv.timeColumn().isEmpty() && data.isEmpty()) {
            throw new IllegalArgumentException("cv.timeColumn '" + cv.timeColumn() + "' applies to CSV data; a bundled "
                    + "dataset uses its catalogue time column");
        }
        Objects.requireNonNull(quality, "quality must not be null (QualityOptions.defaults() for none)");
        objectives = checkObjectives(objectives, quality, generator, cv);
        Objects.requireNonNull(halving, "halving must not be null (Halving.NONE without)");
        if (halving.enabled() && halving.rungs().get(halving.rungs().size() - 1) >= maxEpochs) {
            throw new IllegalArgumentException("halving.rungs must be below maxEpochs = " + maxEpochs + ", got "
                    + halving.rungs());
        }
        if (halving.enabled() && !objectives.isEmpty()) {
            throw new IllegalArgumentException("halving ranks the members of a population by one score; it does not combine "
                    + "with objectives " + objectives + " (a small network of lower score may be on the Pareto front)");
        }
        if (halving.enabled() && cv.enabled()) {
            throw new IllegalArgumentException("halving does not combine with cv: a cross-validated candidate trains as "
                    + cv.folds() + " fold models whose mean is its score, and halving would have to mask all of them at "
                    + "once from one population of folds; use one of the two");
        }
        if (dataOptions != null) {
            if (!data.isEmpty() && !dataOptions.target().equals(target)) {
                throw new IllegalArgumentException("dataOptions.target '" + dataOptions.target() + "' must be the study's target '"
                        + target + "'");
            }
            if (dataOptions.seed() != seed) {
                dataOptions = dataOptions.withSeed(seed);
            }
        }
    }

    /** Maximum number of objectives of a multi-objective study. */
    public static final int MAX_OBJECTIVES = 4;

    private static List<String> checkObjectives(List<String> objectives, QualityOptions quality, GeneratorKind generator,
                                                CrossValidation cv) {
        Objects.requireNonNull(objectives, "objectives must not be null (empty for a single-objective study)");
        objectives = List.copyOf(objectives);
        if (objectives.isEmpty()) {
            return objectives;
        }
        if (objectives.size() < 2 || objectives.size() > MAX_OBJECTIVES) {
            throw new IllegalArgumentException("objectives must name 2 to " + MAX_OBJECTIVES + " objectives (or none for a "
                    + "single-objective study), got " + objectives);
        }
        List<SearchObjective> parsed = SearchObjective.parseAll(objectives);
        if (new HashSet<>(objectives).size() != objectives.size()) {
            throw new IllegalArgumentException("objectives must be distinct, got " + objectives);
        }
        if (parsed.get(0).metric().isEmpty()) {
            throw new IllegalArgumentException("objectives[0] is the primary objective and must be a metric (one of "
                    + java.util.Arrays.stream(io.micromodels.train.Objective.values())
                    .map(io.micromodels.train.Objective::metricName).toList() + "), got '" + objectives.get(0) + "'");
        }
        if (!quality.metric().isEmpty() && !quality.metric().equals(objectives.get(0))) {
            throw new IllegalArgumentException("objectives[0] '" + objectives.get(0) + "' must be the study's metric '"
                    + quality.metric() + "' (quality.metric): the first objective is the one trials are scored by");
        }
        if (generator == GeneratorKind.GENETIC) {
            throw new IllegalArgumentException("generator genetic optimises one score; with objectives " + objectives
                    + " use bayes, random or grid");
        }
        if (cv.enabled()) {
            for (SearchObjective o : parsed.subList(1, parsed.size())) {
                if (o.metric().isPresent()) {
                    throw new IllegalArgumentException("objectives: with cross-validation only the first objective may be a "
                            + "metric (a trial keeps no network to score another on), got '" + o.name() + "' in " + objectives);
                }
            }
        }
        return objectives;
    }

    /** @return whether the study has several objectives ({@link #objectives()} not empty) */
    public boolean multiObjective() {
        return !objectives.isEmpty();
    }

    /** @return the objectives parsed, in order (empty for a single-objective study) */
    public List<SearchObjective> searchObjectives() {
        return SearchObjective.parseAll(objectives);
    }

    /** @return a copy with successive halving (or without: {@link Halving#NONE}) */
    public StudyOptions withHalving(Halving value) {
        return new StudyOptions(dataset, data, target, generator, seed, trials, parallel, batch, maxEpochs, patience, space,
                cv, ensemble, quality, dataOptions, value, objectives);
    }

    /** @return a copy with other objectives (empty: a single-objective study) */
    public StudyOptions withObjectives(List<String> value) {
        return new StudyOptions(dataset, data, target, generator, seed, trials, parallel, batch, maxEpochs, patience, space,
                cv, ensemble, quality, dataOptions, halving, value);
    }

    private static void range(String field, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(field + " must be in [" + lo + ", " + hi + "], got " + value);
        }
    }

    /**
     * @param name a bundled dataset (see {@code micromodels datasets})
     * @return defaults: Bayesian, seed 42, 30 trials, 1 thread, batch 1, 200 epochs, patience 15, default space
     */
    public static StudyOptions forDataset(String name) {
        return new StudyOptions(name, "", "", GeneratorKind.BAYES, 42L, DEFAULT_TRIALS, 1, 1, DEFAULT_MAX_EPOCHS,
                DEFAULT_PATIENCE, SpaceConfig.defaults(), CrossValidation.NONE, 1, QualityOptions.defaults(), null, Halving.NONE, List.of());
    }

    /**
     * @param csv    a CSV file with a header row; recorded as an absolute path, so that the study can be resumed
     *               from any folder
     * @param target the column to predict
     * @return defaults as {@link #forDataset(String)}
     */
    public static StudyOptions forCsv(String csv, String target) {
        String resolved = csv == null || csv.isBlank() ? csv : java.nio.file.Path.of(csv).toAbsolutePath().normalize().toString();
        return new StudyOptions("", resolved, target, GeneratorKind.BAYES, 42L, DEFAULT_TRIALS, 1, 1, DEFAULT_MAX_EPOCHS,
                DEFAULT_PATIENCE, SpaceConfig.defaults(), CrossValidation.NONE, 1, QualityOptions.defaults(), null, Halving.NONE, List.of());
    }

    /** @return a copy with another generator */
    public StudyOptions withGenerator(GeneratorKind value) {
        return new StudyOptions(dataset, data, target, value, seed, trials, parallel, batch, maxEpochs, patience, space, cv, ensemble, quality, dataOptions, halving, objectives);
    }

    /** @return a copy with another seed */
    public StudyOptions withSeed(long value) {
        return new StudyOptions(dataset, data, target, generator, value, trials, parallel, batch, maxEpochs, patience, space, cv, ensemble, quality, dataOptions, halving, objectives);
    }

    /** @return a copy with another total number of trials */
    public StudyOptions withTrials(int value) {
        return new StudyOptions(dataset, data, target, generator, seed, value, parallel, batch, maxEpochs, patience, space, cv, ensemble, quality, dataOptions, halving, objectives);
    }

    /** @return a copy with other execution settings (threads and batch size) */
    public StudyOptions withExecution(int newParallel, int newBatch) {
        return new StudyOptions(dataset, data, target, generator, seed, trials, newParallel, newBatch, maxEpochs, patience, space, cv, ensemble, quality, dataOptions, halving, objectives);
    }

    /** @return a copy with other per-candidate training settings */
    public StudyOptions withEpochs(int newMaxEpochs, int newPatience) {
        return new StudyOptions(dataset, data, target, generator, seed, trials, parallel, batch, newMaxEpochs, newPatience, space, cv, ensemble, quality, dataOptions, halving, objectives);
    }

    /** @return a copy with another space */
    public StudyOptions withSpace(SpaceConfig value) {
        return new StudyOptions(dataset, data, target, generator, seed, trials, parallel, batch, maxEpochs, patience, value, cv, ensemble, quality, dataOptions, halving, objectives);
    }

    /** @return a copy scoring candidates by cross-validation (or not: {@link CrossValidation#NONE}) */
    public StudyOptions withCv(CrossValidation value) {
        return new StudyOptions(dataset, data, target, generator, seed, trials, parallel, batch, maxEpochs, patience, space,
                value, ensemble, quality, dataOptions, halving, objectives);
    }

    /** @return a copy whose final model is an ensemble of this many members (1 = one network) */
    public StudyOptions withEnsemble(int members) {
        return new StudyOptions(dataset, data, target, generator, seed, trials, parallel, batch, maxEpochs, patience, space,
                cv, members, quality, dataOptions, halving, objectives);
    }

    /** @return a copy with other quality options */
    public StudyOptions withQuality(QualityOptions value) {
        return new StudyOptions(dataset, data, target, generator, seed, trials, parallel, batch, maxEpochs, patience, space,
                cv, ensemble, value, dataOptions, halving, objectives);
    }

    /**
     * Reads options written by {@code StrictJson.write}: strict (unknown and missing keys are errors), except that
     * {@code dataOptions} may be absent (studies recorded before data options were: the defaults), {@code objectives}
     * may be absent (studies recorded before objectives were: single-objective) and nulls inside
     * the data options mean "infer" or "none", as in {@link io.micromodels.data.DataOptions}.
     *
     * @param what where the JSON comes from, for messages
     */
    public static StudyOptions fromJson(String json, String what) {
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = io.micromodels.json.StrictJson.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return io.micromodels.json.StrictJson.read(json, StudyOptions.class, what);
        }
        if (!(tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) {
            return io.micromodels.json.StrictJson.read(json, StudyOptions.class, what);
        }
        fillLegacyKeys(o);
        return io.micromodels.json.StrictJson.readNullable(tree.toString(), StudyOptions.class, what);
    }

    /** Adds the keys older options lack (see {@link #fromJson}) to their JSON object. */
    static void fillLegacyKeys(com.fasterxml.jackson.databind.node.ObjectNode o) {
        if (!o.has("halving")) {
            o.set("halving", io.micromodels.json.StrictJson.mapper().valueToTree(Halving.NONE));
        }
        if (!o.has("objectives")) {
            o.putArray("objectives");
        }
        if (!o.has("dataOptions")) {
            o.putNull("dataOptions");
        } else if (o.get("dataOptions") instanceof com.fasterxml.jackson.databind.node.ObjectNode d) {
            io.micromodels.data.DataOptions.fillLegacyKeys(d);
        }
    }

    /** @return a copy with other data options (null = the defaults, see the class comment) */
    public StudyOptions withDataOptions(io.micromodels.data.DataOptions value) {
        return new StudyOptions(dataset, data, target, generator, seed, trials, parallel, batch, maxEpochs, patience, space,
                cv, ensemble, quality, value, halving, objectives);
    }

    /** @return where the data comes from, for provenance: {@code dataset:NAME} or the CSV path */
    public String source() {
        return dataset.isEmpty() ? data : "dataset:" + dataset;
    }
}
