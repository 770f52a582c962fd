package io.micromodels.spec;

import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The fluent way to write a {@link MicromodelSpec}: start with the kind of output, add layers, regularise,
 * choose an optimiser, build. Every value is validated by {@link #build()} with a message naming the field.
 *
 * <pre>{@code
 * MicromodelSpec spec = Micromodel.classifier(2).input(20)
 *         .dense(32, Activation.RELU).dropout(0.1)
 *         .dense(16, Activation.RELU)
 *         .l2(1e-4).adam(1e-3).seed(7).build();
 * }</pre>
 *
 * <p>Defaults: Adam with learning rate 1e-3 (constant: no schedule, no weight decay), no L1 or L2, seed 42, 200
 * epochs, batch size 64, patience 15.
 */
public final class Micromodel {
    /** Default maximum epochs. */
    public static final int DEFAULT_EPOCHS = 200;
    /** Default minibatch size. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Default early-stopping patience in epochs. */
    public static final int DEFAULT_PATIENCE = 15;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42;

    private final TaskKind output;
    private final int outputs;
    private int inputs = -1;
    private final List<HiddenLayer> hidden = new ArrayList<>();
    private Loss loss;
    private Updater updater = Updater.adam(1e-3);
    private double l1;
    private double l2;
    private long seed = DEFAULT_SEED;
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int patience = DEFAULT_PATIENCE;

    private Micromodel(TaskKind output, int outputs) {
        this.output = output;
        this.outputs = outputs;
        this.loss = Loss.defaultFor(output);
    }

    /** A classifier over {@code classes} classes with softmax outputs and cross-entropy (2 classes included). */
    public static Micromodel classifier(int classes) {
        return new Micromodel(TaskKind.MULTICLASS, classes);
    }

    /** A binary classifier with one sigmoid output (the positive-class probability) and binary cross-entropy. */
    public static Micromodel binary() {
        return new Micromodel(TaskKind.BINARY, 1);
    }

    /** A regressor with one identity output and mean squared error. */
    public static Micromodel regressor() {
        return new Micromodel(TaskKind.REGRESSION, 1);
    }

    /** A regressor with {@code outputs} identity outputs and mean squared error. */
    public static Micromodel regressor(int outputs) {
        return new Micromodel(TaskKind.REGRESSION, outputs);
    }

    /** Starts from an existing spec, to change a few fields. */
    public static Micromodel from(MicromodelSpec spec) {
        Micromodel m = new Micromodel(spec.output(), spec.outputs());
        m.inputs = spec.inputs();
        m.hidden.addAll(spec.hidden());
        m.loss = spec.loss();
        m.updater = spec.updater();
        m.l1 = spec.l1();
        m.l2 = spec.l2();
        m.seed = spec.seed();
        m.epochs = spec.epochs();
        m.batchSize = spec.batchSize();
        m.patience = spec.patience();
        return m;
    }

    /** Input width: the number of features. */
    public Micromodel input(int width) {
        this.inputs = width;
        return this;
    }

    /** Adds a dense hidden layer without dropout. */
    public Micromodel dense(int width, Activation activation) {
        hidden.add(new HiddenLayer(width, activation, 0));
        return this;
    }

    /**
     * Drops each output of the last added hidden layer with probability {@code p} during training
     * (PyTorch/Keras convention; inference never drops).
     */
    public Micromodel dropout(double p) {
        if (hidden.isEmpty()) {
            throw new IllegalStateException("dropout(p) applies to the last dense layer; add a dense layer first");
        }
        HiddenLayer last = hidden.remove(hidden.size() - 1);
        hidden.add(new HiddenLayer(last.width(), last.activation(), p));
        return this;
    }

    /** Training loss (defaults to the output kind's natural loss). */
    public Micromodel loss(Loss loss) {
        this.loss = loss;
        return this;
    }

    /** L1 penalty on weights. */
    public Micromodel l1(double l1) {
        this.l1 = l1;
        return this;
    }

    /** L2 penalty on weights. */
    public Micromodel l2(double l2) {
        this.l2 = l2;
        return this;
    }

    /** Adam optimiser (the schedule and weight decay set so far are kept, as for the other optimisers). */
    public Micromodel adam(double learningRate) {
        return updater(new Updater(Updater.Kind.ADAM, learningRate, updater.schedule(), updater.weightDecay(),
                updater.scheduleEpochs()));
    }

    /** Plain stochastic gradient descent. */
    public Micromodel sgd(double learningRate) {
        return updater(new Updater(Updater.Kind.SGD, learningRate, updater.schedule(), updater.weightDecay(),
                updater.scheduleEpochs()));
    }

    /** SGD with Nesterov momentum 0.9. */
    public Micromodel nesterov(double learningRate) {
        return updater(new Updater(Updater.Kind.NESTEROV, learningRate, updater.schedule(), updater.weightDecay(),
                updater.scheduleEpochs()));
    }

    /** RMSProp. */
    public Micromodel rmsprop(double learningRate) {
        return updater(new Updater(Updater.Kind.RMSPROP, learningRate, updater.schedule(), updater.weightDecay(),
                updater.scheduleEpochs()));
    }

    /** Learning-rate schedule over the epochs (kept when the optimiser is chosen after it). */
    public Micromodel schedule(LearningRateSchedule schedule) {
        this.updater = updater.withSchedule(schedule);
        return this;
    }

    /** Decoupled (AdamW-style) weight decay, see {@link Updater} (kept when the optimiser is chosen after it). */
    public Micromodel weightDecay(double weightDecay) {
        this.updater = updater.withWeightDecay(weightDecay);
        return this;
    }

    /** Any optimiser. */
    public Micromodel updater(Updater updater) {
        this.updater = updater;
        return this;
    }

    /** Seed of initialisation, dropout and minibatch order. */
    public Micromodel seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Maximum epochs. */
    public Micromodel epochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    /** Minibatch size. */
    public Micromodel batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    /** Early-stopping patience in epochs; 0 = never stop early. */
    public Micromodel patience(int patience) {
        this.patience = patience;
        return this;
    }

    /** The validated spec. */
    public MicromodelSpec build() {
        if (inputs == -1) {
            throw new IllegalStateException("input(width) must be set before build()");
        }
        return new MicromodelSpec(inputs, hidden, output, outputs, loss, updater, l1, l2, seed, epochs, batchSize, patience);
    }
}
