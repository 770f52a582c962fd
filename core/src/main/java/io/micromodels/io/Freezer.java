package io.micromodels.io;

import io.micromodels.data.PipelineCompiler;
import io.micromodels.data.FittedPipeline;
import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.Activation;
import io.micromodels.frozen.BinaryDecision;
import io.micromodels.frozen.FrozenLayer;
import io.micromodels.frozen.FrozenMetadata;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.FrozenNetwork;
import io.micromodels.frozen.plan.CompiledPipeline;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.frozen.TaskKind;
import io.micromodels.train.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Compiles a trained micromodel and its fitted pipeline into a {@link FrozenMicromodel}: plain Java arrays,
 * scored without DL4J or ND4J (see the {@code frozen} module). Weights are copied out of the DL4J network layer by
 * layer; the regression target's standardisation becomes the frozen model's output scale and shift, and a binary
 * model's calibration and decision threshold its {@link BinaryDecision}. An ensemble's members become the frozen
 * model's member networks, averaged the same way (the decision applies to the average).
 *
 * <pre>{@code
 * FrozenMicromodel frozen = Freezer.freeze(model);
 * Prediction p = frozen.predict(new String[] {"<0", "6", "critical/other existing credit", ...});
 * }</pre>
 */
public final class Freezer {
    private Freezer() {
    }

    /** The frozen form of {@code model}. */
    public static FrozenMicromodel freeze(TrainedModel model) {
        MicromodelSpec spec = model.spec();
        List<FrozenNetwork> members = new ArrayList<>();
        for (MultiLayerNetwork net : model.members()) {
            members.add(network(spec, net));
        }
        FittedPipeline pipeline = model.pipeline();
        CompiledPipeline compiled = PipelineCompiler.compile(pipeline);
        BinaryDecision d = model.decision();
        if (d != null && spec.output() == TaskKind.BINARY) {
            // one sigmoid unit is reported as [negative, positive]: the positive class is index 1 there
            d = new BinaryDecision(1, d.threshold(), d.calibration(), d.slope(), d.intercept());
        }
        return FrozenMicromodel.of(compiled, members, metadata(spec, pipeline.task(), compiled), d);
    }

    /**
     * The frozen copy of one DL4J network of {@code spec}'s architecture (the network alone: no pipeline, no
     * decision), for measuring what it costs to serve.
     *
     * @param spec the network's architecture
     * @param net  a network built from {@code spec} (its parameters are copied; it is not changed)
     * @return the frozen network
     */
    public static FrozenNetwork network(MicromodelSpec spec, MultiLayerNetwork net) {
        List<FrozenLayer> layers = new ArrayList<>();
        for (int i = 0; i <= spec.hidden().size(); i++) {
            double[][] w = net.getLayer(i).getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
            double[] b = net.getLayer(i).getParam("b").castTo(DataType.DOUBLE).ravel().toDoubleVector();
            Activation act = i < spec.hidden().size() ? spec.hidden().get(i).activation() : output(spec.output());
            layers.add(FrozenLayer.dense(w, b, act));
        }
        return FrozenNetwork.of(layers);
    }

    private static FrozenMetadata metadata(MicromodelSpec spec, TaskInfo task, CompiledPipeline compiled) {
        List<String> classes = task.classes();
        return switch (task.kind()) {
            case REGRESSION -> {
                double[] inv = compiled.inverseTarget();
                yield inv.length == 2 ? FrozenMetadata.regression(task.target(), inv[1], inv[0])
                        : FrozenMetadata.regression(task.target());
            }
            case BINARY -> spec.output() == TaskKind.BINARY
                    // one sigmoid unit: the positive class probability, reported as [negative, positive]
                    ? FrozenMetadata.binary(task.target(), classes.get(1 - task.positiveClass()), classes.get(task.positiveClass()))
                    : FrozenMetadata.multiclass(task.target(), classes);
            case MULTICLASS -> FrozenMetadata.multiclass(task.target(), classes);
        };
    }

    private static Activation output(TaskKind kind) {
        return switch (kind) {
            case BINARY -> Activation.SIGMOID;
            case MULTICLASS -> Activation.SOFTMAX;
            case REGRESSION -> Activation.IDENTITY;
        };
    }
}
