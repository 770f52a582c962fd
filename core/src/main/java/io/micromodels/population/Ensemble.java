package io.micromodels.population;

import io.micromodels.data.FittedPipeline;
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
 * on the validation split; the model's predictions are the members' average.
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
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("ensemble must be in [1, 64] members, got " + n);
        }
        FittedPipeline pipeline = data.pipeline();
        TrainedModel.checkCompatible(spec, pipeline.task(), pipeline.width());
        List<MicromodelSpec> specs = TrainedModel.ensembleSpecs(spec, n);
        List<TrainingResult> results = new ArrayList<>();
        DataSet[] split = TrainedModel.trainingSplits(spec, pipeline.task(), data, QualityOptions.defaults());
        if (n > 1 && Population.supports(spec)) {
            results.addAll(Population.fit(specs, split[0], split[1], PopulationOptions.defaults(spec.seed())).members());
        } else {
            for (MicromodelSpec s : specs) {
                results.add(Trainer.fit(s, split[0], split[1]));
            }
        }
        return TrainedModel.assemble(results, spec, data, dataSource, Recipe.ENSEMBLE);
    }
}
