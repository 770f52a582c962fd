package io.micromodels.tune.space;

import io.micromodels.data.Normalization;
import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.LearningRateSchedule;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.tune.bayes.Dimension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

/**
 * An Arbiter {@link ParameterSpace} of {@link MicromodelSpec}s for one task, built from Arbiter's
 * own leaves, so any Arbiter {@code CandidateGenerator} (random, grid, genetic, or the Bayesian
 * adapter) can search it.
 *
 * <p>Leaves, in this order (a hyperparameter whose range is fixed is a {@link FixedValue} and has no
 * coordinate): {@code depth} ({@link IntegerParameterSpace}, or a log-uniform
 * {@link ContinuousParameterSpace} rounded to an integer when {@code log}), {@code width} (likewise),
 * {@code activation} ({@link DiscreteParameterSpace}), {@code dropRate}, {@code l1}, {@code l2},
 * {@code learningRate} ({@link ContinuousParameterSpace}, uniform or {@link LogUniformDistribution})
 * and {@code batchSize} ({@link DiscreteParameterSpace}), then {@code schedule} ({@link DiscreteParameterSpace} of
 * the learning-rate schedules) and {@code weightDecay} (continuous, as {@code l2}), then {@code normalization}
 * ({@link DiscreteParameterSpace} of the encodings of numeric features, {@link SpaceConfig#normalizations()}: each has
 * its own input width, given per encoding to the constructor). Arbiter maps each coordinate
 * {@code u} in {@code [0,1]} through the leaf's inverse distribution function, so {@code u = 0.5}
 * on a log range {@code [1e-4, 1e-1]} gives {@code 10^-2.5 = 3.16e-3}.
 *
 * <p>Every candidate: {@code depth} hidden layers, all of the same width, activation and drop
 * rate; Adam; the task's output (softmax over the classes for classification, binary included, as
 * {@code TrainedModel.defaultSpec}; one identity output for regression); and the study's fixed
 * {@code epochs}, {@code patience} and {@code seed}.
 *
 * <p>The leaves' indices are set on construction in leaf order (coordinate {@code i} is leaf
 * {@code i}), the order Arbiter's generators also assign, so {@link #getValue(double[])} works
 * straight away. The leaves are mutable Arbiter objects: do not share one space between searches
 * running at the same time with different index assignments.
 *
 * <pre>{@code
 * MicromodelSpace space = new MicromodelSpace(SpaceConfig.defaults(), data.task(), data.pipeline().width(),
 *         200, 15, 42L);
 * double[] u = new double[space.numParameters()];
 * Arrays.fill(u, 0.5);
 * MicromodelSpec spec = space.getValue(u);   // 2 layers of 23 units, tanh, lr 3.16e-3, ...
 * }</pre>
 */
public final class MicromodelSpace implements ParameterSpace<MicromodelSpec> {
    /** Integer ranges with more levels than this are searched as continuous coordinates. */
    public static final int MAX_INTEGER_LEVELS = 1024;

    private final SpaceConfig config;
    private final TaskInfo task;
    /** The encodings of numeric features in coordinate order (empty when built for one width without naming it). */
    private final List<Normalization> encodings;
    /** Input width per encoding, shape {@code [max(1, encodings.size())]}. */
    private final int[] widths;
    private final int epochs;
    private final int patience;
    private final long seed;
    private final LinkedHashMap<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();
    private final ParameterSpace<?> depth;
    private final ParameterSpace<?> width;
    private final ParameterSpace<Activation> activation;
    private final ParameterSpace<Double> dropRate;
    private final ParameterSpace<Double> l1;
    private final ParameterSpace<Double> l2;
    private final ParameterSpace<Double> learningRate;
    private final ParameterSpace<Integer> batchSize;
    private final ParameterSpace<LearningRateSchedule.Kind> schedule;
    private final ParameterSpace<Double> weightDecay;
    /** The encoding's index in {@link #encodings}; null when there is no choice. */
    private final ParameterSpace<Integer> normalization;

    /**
     * @param config   the ranges
     * @param task     the task (decides the output layer and loss)
     * @param inputs   number of input features, {@code >= 1}
     * @param epochs   maximum epochs of every candidate, in {@code [1, 100000]}
     * @param patience early-stopping patience of every candidate, in {@code [0, 100000]}
     * @param seed     seed of every candidate's initialisation, dropout and minibatch order
     */
    public MicromodelSpace(SpaceConfig config, TaskInfo task, int inputs, int epochs, int patience, long seed) {
        this(config, task, oneWidth(config, inputs), epochs, patience, seed);
    }

    private static Map<Normalization, Integer> oneWidth(SpaceConfig config, int inputs) {
        Objects.requireNonNull(config, "config must not be null");
        if (config.normalizations().size() > 1) {
            throw new IllegalArgumentException("normalizations " + config.normalizations() + " give one input width per "
                    + "encoding: build the space with a width per encoding");
        }
        Map<Normalization, Integer> m = new LinkedHashMap<>();
        m.put(config.normalizations().isEmpty() ? null : config.normalizations().get(0), inputs);
        return m;
    }

    /**
     * A space whose candidates may use several encodings of numeric features ({@link SpaceConfig#normalizations()}),
     * each with its own input width.
     *
     * @param config   the ranges
     * @param task     the task (decides the output layer and loss)
     * @param inputs   input width per encoding, each {@code >= 1}, in the order of {@code config.normalizations()}
     *                 (the same keys); with no normalizations in {@code config}, one entry: the data's encoding
     * @param epochs   maximum epochs of every candidate, in {@code [1, 100000]}
     * @param patience early-stopping patience of every candidate, in {@code [0, 100000]}
     * @param seed     seed of every candidate's initialisation, dropout and minibatch order
     */
    public MicromodelSpace(SpaceConfig config, TaskInfo task, Map<Normalization, Integer> inputs, int epochs, int patience,
                           long seed) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.task = Objects.requireNonNull(task, "task must not be null");
        Objects.requireNonNull(inputs, "inputs must not be null");
        List<Normalization> keys = new ArrayList<>(inputs.keySet());
        if (config.normalizations().isEmpty() ? keys.size() != 1 : !keys.equals(config.normalizations())) {
            throw new IllegalArgumentException("inputs must give one width per normalization of the space "
                    + (config.normalizations().isEmpty() ? "(one: the data's)" : config.normalizations()) + ", got " + keys);
        }
        this.encodings = keys.get(0) == null ? List.of() : List.copyOf(keys);
        this.widths = inputs.values().stream().mapToInt(Integer::intValue).toArray();
        this.epochs = epochs;
        this.patience = patience;
        this.seed = seed;
        this.depth = intLeaf("depth", config.depth());
        this.width = intLeaf("width", config.width());
        this.activation = leaf("activation", config.activations());
        this.dropRate = realLeaf("dropRate", config.dropRate());
        this.l1 = realLeaf("l1", config.l1());
        this.l2 = realLeaf("l2", config.l2());
        this.learningRate = realLeaf("learningRate", config.learningRate());
        this.batchSize = leaf("batchSize", config.batchSizes());
        // after the others, so that spaces without them keep their coordinates
        this.schedule = leaf("schedule", config.schedules());
        this.weightDecay = realLeaf("weightDecay", config.weightDecay());
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            indices.add(i);
        }
        // only with named encodings: spaces without keep their leaves and coordinates
        this.normalization = encodings.isEmpty() ? null : leaf("normalization", indices);
        int index = 0;
        for (ParameterSpace<?> p : collectLeaves()) {
            p.setIndices(index++);
        }
        // validate the fixed settings (inputs, epochs, patience) once, with the spec's own messages
        getValueChecked(new double[numParameters()]);
    }

    private ParameterSpace<?> intLeaf(String name, IntRange r) {
        ParameterSpace<?> p;
        if (r.fixed()) {
            p = new FixedValue<>(r.min());
        } else if (r.log()) {
            p = new ContinuousParameterSpace(new LogUniformDistribution(r.min(), r.max()));
        } else {
            p = new IntegerParameterSpace(r.min(), r.max());
        }
        leaves.put(name, p);
        return p;
    }

    private ParameterSpace<Double> realLeaf(String name, Range r) {
        ParameterSpace<Double> p;
        if (r.fixed()) {
            p = new FixedValue<>(r.min());
        } else if (r.log()) {
            p = new ContinuousParameterSpace(new LogUniformDistribution(r.min(), r.max()));
        } else {
            p = new ContinuousParameterSpace(new UniformRealDistribution(r.min(), r.max()));
        }
        leaves.put(name, p);
        return p;
    }

    private <T> ParameterSpace<T> leaf(String name, List<T> values) {
        ParameterSpace<T> p = values.size() == 1 ? new FixedValue<>(values.get(0)) : new DiscreteParameterSpace<>(values);
        leaves.put(name, p);
        return p;
    }

    /** @return the ranges */
    public SpaceConfig config() {
        return config;
    }

    /** @return the task the candidates are for */
    public TaskInfo task() {
        return task;
    }

    /**
     * @return names of the searched hyperparameters, one per coordinate, in coordinate order
     *     (a subset of {@code depth, width, activation, dropRate, l1, l2, learningRate, batchSize, schedule, weightDecay,
     *     normalization})
     */
    public List<String> coordinateNames() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, ParameterSpace<?>> e : leaves.entrySet()) {
            if (e.getValue().numParameters() > 0) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    /**
     * The coordinates as a sampler sees them, one per searched hyperparameter in coordinate order: an
     * {@link IntegerParameterSpace} leaf of {@code k <= }{@value #MAX_INTEGER_LEVELS} levels is an ordered integer
     * coordinate of {@code k} levels, a {@link DiscreteParameterSpace} a categorical one, any other leaf continuous.
     * A discrete coordinate's bin centre {@code (i + 0.5)/k} decodes to level {@code i} through the leaf.
     *
     * @return shape {@code [numParameters()]}
     */
    public List<Dimension> dimensions() {
        List<Dimension> out = new ArrayList<>();
        for (ParameterSpace<?> leaf : collectLeaves()) {
            if (leaf instanceof IntegerParameterSpace ips && (long) ips.getMax() - ips.getMin() + 1 <= MAX_INTEGER_LEVELS) {
                out.add(Dimension.integer(ips.getMax() - ips.getMin() + 1));
            } else if (leaf instanceof DiscreteParameterSpace<?> dps) {
                out.add(Dimension.categorical(dps.numValues()));
            } else {
                out.add(Dimension.continuous());
            }
        }
        return out;
    }

    /**
     * Decodes a point of the unit cube.
     *
     * @param input shape {@code [numParameters()]}, each value in {@code [0,1]}
     * @return the candidate spec
     */
    @Override
    public MicromodelSpec getValue(double[] input) {
        if (input == null || input.length < numParameters()) {
            throw new IllegalArgumentException("input must have " + numParameters() + " values, got "
                    + (input == null ? "null" : input.length));
        }
        return getValueChecked(input);
    }

    private MicromodelSpec getValueChecked(double[] u) {
        int layers = toInt(depth.getValue(u), config.depth());
        int units = toInt(width.getValue(u), config.width());
        Activation act = activation.getValue(u);
        double drop = clamp(dropRate.getValue(u), config.dropRate());
        double lr = clamp(learningRate.getValue(u), config.learningRate());
        Micromodel m = task.kind() == TaskKind.REGRESSION ? Micromodel.regressor() : Micromodel.classifier(task.classes().size());
        m.input(widths[encodingIndex(u)]);
        for (int i = 0; i < layers; i++) {
            m.dense(units, act);
            if (drop > 0) {
                m.dropout(drop);
            }
        }
        return m.l1(clamp(l1.getValue(u), config.l1())).l2(clamp(l2.getValue(u), config.l2())).adam(lr)
                .schedule(SpaceConfig.schedule(schedule.getValue(u)))
                .weightDecay(clamp(weightDecay.getValue(u), config.weightDecay()))
                .batchSize(batchSize.getValue(u)).epochs(epochs).patience(patience).seed(seed).build();
    }

    private int encodingIndex(double[] u) {
        return normalization == null ? 0 : normalization.getValue(u);
    }

    /**
     * The encoding of numeric features a point decodes to (its candidate's inputs are that encoding's width).
     *
     * @param input shape {@code [numParameters()]}, each value in {@code [0,1]}
     * @return the encoding
     * @throws IllegalStateException when the space was built for one input width without naming its encoding
     */
    public Normalization normalization(double[] input) {
        if (encodings.isEmpty()) {
            throw new IllegalStateException("this space was built for one input width without naming its encoding");
        }
        if (input == null || input.length < numParameters()) {
            throw new IllegalArgumentException("input must have " + numParameters() + " values, got "
                    + (input == null ? "null" : input.length));
        }
        return encodings.get(encodingIndex(input));
    }

    /** @return the encodings of numeric features in coordinate order (empty when built for one unnamed width) */
    public List<Normalization> encodings() {
        return encodings;
    }

    private static int toInt(Object value, IntRange r) {
        long v = value instanceof Integer i ? i : Math.round(((Number) value).doubleValue());
        return (int) Math.max(r.min(), Math.min(r.max(), v));
    }

    /** Inverse distribution functions can land an ulp outside their support. */
    private static double clamp(double v, Range r) {
        return Math.max(r.min(), Math.min(r.max(), v));
    }

    /** @return the number of coordinates: one per leaf whose range is not fixed */
    @Override
    public int numParameters() {
        int n = 0;
        for (ParameterSpace<?> p : leaves.values()) {
            n += p.numParameters();
        }
        return n;
    }

    /** @return the leaves that have a coordinate, in coordinate order */
    @Override
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> out = new ArrayList<>();
        for (ParameterSpace<?> p : leaves.values()) {
            out.addAll(p.collectLeaves());
        }
        return out;
    }

    /** @return every leaf by hyperparameter name, fixed ones included */
    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(leaves));
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    /** Not supported: indices belong to the leaves. */
    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("MicromodelSpace is not a leaf; its leaves hold the indices");
    }

    @Override
    public String toString() {
        return "MicromodelSpace(" + coordinateNames() + ")";
    }
}
