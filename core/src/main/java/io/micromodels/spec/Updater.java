package io.micromodels.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The optimiser that updates a micromodel's weights: its kind, learning rate, learning-rate schedule and decoupled
 * weight decay.
 *
 * <p>Adam uses DL4J's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8), Nesterov momentum 0.9,
 * RMSProp decay 0.95 and epsilon 1e-8.
 *
 * <p><b>Weight decay</b> is decoupled from the gradient (Loshchilov and Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019; with Adam this is AdamW): after the optimiser has turned the gradient into its step,
 * every weight also shrinks by {@code lr_e * weightDecay * w}, where {@code lr_e} is the epoch's scheduled learning
 * rate, so {@code w <- w - step - lr_e * weightDecay * w}. That is PyTorch's {@code AdamW(lr, weight_decay)} and DL4J's
 * {@code WeightDecay(coefficient, applyLR = true)} (a {@code POST_UPDATER} regularization that adds
 * {@code lr * coefficient * w} to the update), which is what the single-network trainer configures. The paper writes
 * the decay as {@code eta_t * lambda * w} with {@code eta_t} the schedule multiplier only, not the base rate: its
 * {@code lambda} equals this {@code weightDecay} times the base learning rate. Unlike {@link MicromodelSpec#l2()} (added
 * to the gradient before Adam, so Adam's per-weight scaling also rescales it), the decay acts on weights at the same
 * relative rate whatever their gradient history. It acts on weights, not biases, as L1 and L2 do.
 *
 * <p><b>Schedule horizon.</b> A schedule runs over the spec's {@code epochs} unless {@code scheduleEpochs} is set:
 * then over that many, whatever the number of epochs trained. A cross-validated study's refit sets it to the
 * configuration's maximum epochs while training only the epochs the folds chose ({@code tune.Study}), so it runs the
 * first epochs of the very schedule its fold models ran instead of the schedule squeezed into fewer epochs.
 *
 * <p>JSON: {@code schedule} is written only when it is not the constant rate, {@code weightDecay} and
 * {@code scheduleEpochs} only when they are not 0, and a missing one reads as those values, so specs written before
 * they existed read and write unchanged.
 *
 * @param kind           which optimiser
 * @param learningRate   base step size, in (0, 1]
 * @param schedule       how the learning rate changes over the epochs ({@link LearningRateSchedule#CONSTANT}: not at all)
 * @param weightDecay    decoupled weight decay coefficient, in [0, 1]; 0 = none
 * @param scheduleEpochs the schedule's horizon in epochs, in [0, {@value #MAX_SCHEDULE_EPOCHS}]; 0 = the spec's epochs
 */
@JsonDeserialize(using = Updater.Reader.class)
public record Updater(Kind kind, double learningRate,
                      @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ConstantSchedule.class)
                      LearningRateSchedule schedule,
                      @JsonInclude(JsonInclude.Include.NON_DEFAULT) double weightDecay,
                      @JsonInclude(JsonInclude.Include.NON_DEFAULT) int scheduleEpochs) implements java.io.Serializable {

    /** The optimisers a spec can name. */
    public enum Kind {
        @JsonProperty("adam") ADAM,
        @JsonProperty("sgd") SGD,
        @JsonProperty("nesterov") NESTEROV,
        @JsonProperty("rmsprop") RMSPROP
    }

    /** Largest weight decay coefficient. */
    public static final double MAX_WEIGHT_DECAY = 1;
    /** Largest schedule horizon. */
    public static final int MAX_SCHEDULE_EPOCHS = 1_000_000;

    /** Validates every field; messages name the field, the allowed range and the value. */
    public Updater {
        if (kind == null) {
            throw new IllegalArgumentException("updater kind must be one of [adam, sgd, nesterov, rmsprop], got null");
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must be given (constant for none), got null");
        }
        if (!(weightDecay >= 0 && weightDecay <= MAX_WEIGHT_DECAY)) {
            throw new IllegalArgumentException("weightDecay must be in [0, " + MAX_WEIGHT_DECAY + "], got " + weightDecay);
        }
        if (scheduleEpochs < 0 || scheduleEpochs > MAX_SCHEDULE_EPOCHS) {
            throw new IllegalArgumentException("scheduleEpochs must be in [0, " + MAX_SCHEDULE_EPOCHS + "] (0 = the spec's epochs), got "
                    + scheduleEpochs);
        }
    }

    /** An updater whose schedule runs over the spec's epochs. */
    public Updater(Kind kind, double learningRate, LearningRateSchedule schedule, double weightDecay) {
        this(kind, learningRate, schedule, weightDecay, 0);
    }

    /** A constant learning rate and no weight decay. */
    public Updater(Kind kind, double learningRate) {
        this(kind, learningRate, LearningRateSchedule.CONSTANT, 0);
    }

    /** Adam with the given learning rate. */
    public static Updater adam(double learningRate) {
        return new Updater(Kind.ADAM, learningRate);
    }

    /** A copy with another schedule. */
    public Updater withSchedule(LearningRateSchedule value) {
        return new Updater(kind, learningRate, value, weightDecay, scheduleEpochs);
    }

    /** A copy with another weight decay. */
    public Updater withWeightDecay(double value) {
        return new Updater(kind, learningRate, schedule, value, scheduleEpochs);
    }

    /** A copy with another base learning rate. */
    public Updater withLearningRate(double value) {
        return new Updater(kind, value, schedule, weightDecay, scheduleEpochs);
    }

    /** A copy whose schedule runs over {@code value} epochs (0 = the spec's epochs). */
    public Updater withScheduleEpochs(int value) {
        return new Updater(kind, learningRate, schedule, weightDecay, value);
    }

    /** The schedule's horizon for a training of {@code epochs} epochs: {@code scheduleEpochs} when set, else {@code epochs}. */
    public int horizon(int epochs) {
        return scheduleEpochs > 0 ? scheduleEpochs : epochs;
    }

    /**
     * The learning rate of 0-based epoch {@code epoch} of a training of {@code epochs} epochs (the schedule runs over
     * {@link #horizon(int)}).
     */
    public double learningRate(int epoch, int epochs) {
        return schedule.isConstant() ? learningRate : learningRate * schedule.factor(epoch, horizon(epochs));
    }

    /** The DL4J updater configuration with a constant rate (as before schedules existed). */
    public IUpdater toDl4j() {
        return switch (kind) {
            case ADAM -> new Adam(learningRate);
            case SGD -> new Sgd(learningRate);
            case NESTEROV -> new Nesterovs(learningRate, 0.9);
            case RMSPROP -> new RmsProp(learningRate);
        };
    }

    /**
     * The DL4J updater configuration for a training of {@code epochs} epochs: with a schedule other than the constant
     * rate, DL4J's schedule constructor of the updater with an {@link EpochSchedule} over {@link #horizon(int)}.
     */
    public IUpdater toDl4j(int epochs) {
        if (schedule.isConstant()) {
            return toDl4j();
        }
        EpochSchedule s = EpochSchedule.of(this, horizon(epochs));
        return switch (kind) {
            case ADAM -> new Adam(s);
            case SGD -> new Sgd(s);
            case NESTEROV -> new Nesterovs(s, 0.9);
            case RMSPROP -> new RmsProp(s);
        };
    }

    /** A short description, e.g. {@code adam 3.0e-03, cosine, weight decay 1.0e-04}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind.name().toLowerCase(java.util.Locale.ROOT))
                .append(String.format(java.util.Locale.ROOT, " %.1e", learningRate));
        if (!schedule.isConstant()) {
            sb.append(", ").append(schedule.describe());
        }
        if (weightDecay > 0) {
            sb.append(String.format(java.util.Locale.ROOT, ", weight decay %.1e", weightDecay));
        }
        if (scheduleEpochs > 0 && !schedule.isConstant()) {
            sb.append(", schedule over ").append(scheduleEpochs).append(" epochs");
        }
        return sb.toString();
    }

    /** JSON inclusion filter: true (leave out) for the constant schedule. */
    static final class ConstantSchedule {
        @Override
        public boolean equals(Object o) {
            return o == null || (o instanceof LearningRateSchedule s && s.isConstant());
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** The JSON form as read, before the keys added later are filled in. */
    private record Stored(Kind kind, double learningRate, LearningRateSchedule schedule, double weightDecay,
                          int scheduleEpochs) {
    }

    /**
     * Reads an updater, taking a missing {@code schedule} as constant and a missing {@code weightDecay} or
     * {@code scheduleEpochs} as 0.
     */
    static final class Reader extends JsonDeserializer<Updater> {
        @Override
        public Updater deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            if (!(node instanceof ObjectNode o)) {
                return (Updater) ctxt.handleUnexpectedToken(Updater.class, p);
            }
            ObjectNode filled = o.deepCopy();
            if (!filled.has("schedule")) {
                filled.set("schedule", ctxt.getNodeFactory().objectNode().put("kind", "constant").put("warmup", 0.0));
            }
            if (!filled.has("weightDecay")) {
                filled.put("weightDecay", 0.0);
            }
            if (!filled.has("scheduleEpochs")) {
                filled.put("scheduleEpochs", 0);
            }
            Stored s = ctxt.readTreeAsValue(filled, Stored.class);
            try {
                return new Updater(s.kind(), s.learningRate(), s.schedule(), s.weightDecay(), s.scheduleEpochs());
            } catch (IllegalArgumentException e) {
                throw ValueInstantiationException.from(p, e.getMessage(), ctxt.constructType(Updater.class), e);
            }
        }
    }
}
