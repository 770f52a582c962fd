package io.micromodels.spec;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A {@link LearningRateSchedule} as a DL4J {@link ISchedule} (DL4J 1.0.0-M2.1 has no cosine or PyTorch-style one-cycle
 * schedule): {@code valueAt(iteration, epoch)} is {@code learningRate * schedule.factor(epoch, epochs)}, ignoring the
 * iteration. DL4J passes the network's epoch count, which {@code train.Trainer} sets before each epoch (its minibatch
 * loop does not go through {@code fit(DataSetIterator)}, the only DL4J call that counts epochs). Written into DL4J's
 * configuration JSON by DL4J's own (shaded) Jackson, with these fields.
 */
public final class EpochSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    @JsonProperty("learningRate")
    private final double learningRate;
    @JsonProperty("kind")
    private final String kind;
    @JsonProperty("warmup")
    private final double warmup;
    @JsonProperty("epochs")
    private final int epochs;

    /**
     * @param learningRate the base rate
     * @param kind         the schedule kind's JSON name
     * @param warmup       the warm-up fraction
     * @param epochs       the horizon
     */
    public EpochSchedule(@JsonProperty("learningRate") double learningRate, @JsonProperty("kind") String kind,
                         @JsonProperty("warmup") double warmup, @JsonProperty("epochs") int epochs) {
        this.learningRate = learningRate;
        this.kind = kind;
        this.warmup = warmup;
        this.epochs = epochs;
        schedule();
    }

    /** The schedule of a spec's updater over the spec's epochs. */
    static EpochSchedule of(Updater updater, int epochs) {
        return new EpochSchedule(updater.learningRate(), updater.schedule().kind().jsonName(), updater.schedule().warmup(), epochs);
    }

    private LearningRateSchedule schedule() {
        return new LearningRateSchedule(LearningRateSchedule.Kind.parse(kind), warmup);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return learningRate * schedule().factor(epoch, epochs);
    }

    @Override
    public ISchedule clone() {
        return new EpochSchedule(learningRate, kind, warmup, epochs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochSchedule s && s.learningRate == learningRate && s.kind.equals(kind) && s.warmup == warmup
                && s.epochs == epochs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, kind, warmup, epochs);
    }

    @Override
    public String toString() {
        return "EpochSchedule(" + learningRate + ", " + kind + ", warmup " + warmup + ", " + epochs + " epochs)";
    }
}
