package io.micromodels.population;

import io.micromodels.backend.Backend;
import io.micromodels.data.FittedPipeline;
import io.micromodels.frozen.BinaryDecision;
import io.micromodels.frozen.TaskKind;
import io.micromodels.train.Objective;
import io.micromodels.train.Provenance;
import io.micromodels.train.TrainingHistory;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.Recipe;
import io.micromodels.train.TrainedModel;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Training of an ensemble model: N members of one architecture ({@link TrainedModel#ensembleSpecs}: the spec with
 * N seeds), trained together as one {@link Population} when it can, otherwise one after another, each stopping early
 * on the validation split; the model's predictions are the members' average. Quality options (class weights, metric,
 * threshold, calibration) apply as for one network, the decision to the average.
 *
 * <pre>{@code
 * try (TrainedModel m = Ensemble.train(data, TrainedModel.defaultSpec(data), 5, "german_credit")) {
 *     System.out.println(m.testMetrics().table());
 * }
 * }</pre>
 */
public final class Ensemble {
    private Ensemble() {
    }

    /**
     * Trains an ensemble of {@code n} members and evaluates the average on the test split.
     *
     * @param n members, in {@code [1, 64]}
     */
    public static TrainedModel train(PreparedData data, MicromodelSpec spec, int n, String dataSource) {
        return train(data, spec, n, dataSource, QualityOptions.defaults());
    }

    /**
     * Trains an ensemble of {@code n} members with quality options, as {@link TrainedModel#train(PreparedData,
     * MicromodelSpec, String, QualityOptions, io.micromodels.train.EpochListener...)} trains one network: every member
     * trains with the class weights (training and validation loss) and, when a metric is chosen, keeps the epoch
     * with its best validation metric; for a binary task the Platt calibration and the decision threshold are then
     * fitted on the validation split to the members' <em>averaged</em> probabilities (what the model predicts), and
     * the test metrics use them.
     *
     * @param n       members, in {@code [1, 64]}
     * @param quality metric, class weights, threshold and calibration
     * @throws IllegalArgumentException when an option does not fit the task (see {@link QualityOptions#objective})
     */
    public static TrainedModel train(PreparedData data, MicromodelSpec spec, int n, String dataSource, QualityOptions quality) {
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("ensemble must be in [1, 64] members, got " + n);
        }
        FittedPipeline pipeline = data.pipeline();
        TrainedModel.checkCompatible(spec, pipeline.task(), pipeline.width());
        Objective objective = quality.objective(pipeline.task());
        List<MicromodelSpec> specs = TrainedModel.ensembleSpecs(spec, n);
        List<TrainingResult> results = new ArrayList<>();
        DataSet[] split = TrainedModel.trainingSplits(spec, pipeline.task(), data, quality);
        if (n > 1 && Population.supports(spec)) {
            ToDoubleFunction<double[][]> selection = quality.metricChosen()
                    ? objective.selection(split[1], pipeline, quality.fixedThreshold().orElse(Double.NaN)) : null;
            results.addAll(Population.fit(specs, split[0], split[1], PopulationOptions.defaults(spec.seed()), null, selection)
                    .members());
        } else {
            for (MicromodelSpec s : specs) {
                results.add(quality.metricChosen()
                        ? Trainer.fitSelecting(s, split[0], split[1], TrainedModel.selection(objective, split[1], pipeline, quality))
                        : Trainer.fit(s, split[0], split[1]));
            }
        }
        TrainingResult first = results.get(0);
        Recipe recipe = data.options() == null ? null : Recipe.of(Recipe.ENSEMBLE, spec, data.options(), quality, n);
        Provenance provenance = Provenance.now(spec, dataSource, data.sha256(), Backend.current(), first.bestEpoch(),
                first.epochsRun(), first.seconds(), recipe);
        List<MultiLayerNetwork> nets = results.stream().map(TrainingResult::network).toList();
        BinaryDecision decision = null;
        if (pipeline.task().kind() == TaskKind.BINARY) {
            // the average the model predicts, before any calibration (the standard decision calibrates nothing)
            double[][] average = new TrainedModel(nets, spec, pipeline, null, provenance).predict(data.validation().getFeatures());
            double[] positive = new double[average.length];
            for (int i = 0; i < average.length; i++) {
                positive[i] = average[i][pipeline.task().positiveClass()];
            }
            decision = TrainedModel.decide(positive, pipeline, data.validation(), quality);
        }
        TrainedModel untested = new TrainedModel(nets, spec, pipeline, null, provenance, decision);
        return new TrainedModel(nets, spec, pipeline, untested.evaluate(data.test()), provenance, decision,
                TrainingHistory.of(first));
    }
}
