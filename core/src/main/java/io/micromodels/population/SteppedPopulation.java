package io.micromodels.population;

import io.micromodels.seed.Seeds;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.EpochReport;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A population whose members come and go between epochs: the engine of successive halving inside populations
 * ({@code tune --halving}). Members are {@link #add added} at any epoch boundary, trained one {@link #epoch()} at a
 * time together as one ND4J population, and {@link #remove removed} (masked out) at any boundary; a member also stops
 * by itself as under {@link Trainer} (patience, its {@code epochs()}, a non-finite loss).
 *
 * <p>Each member trains exactly as it would alone ({@link Trainer#fit}, up to float rounding): its own initial
 * parameters, its own minibatch order (a {@link SplittableRandom} on its spec seed's {@link Seeds#BATCH_ORDER} fork,
 * from its first epoch, wherever the others are), its own dropout stream, its own Adam iteration count (a member that
 * joins late gets Adam's bias correction of its own first steps) and early stopping on its own validation loss (or
 * {@code selection}). So a member removed after {@code r} epochs holds what training its spec alone for {@code r}
 * epochs gives. Unlike {@link Population#fit}, whose members share one minibatch order, each member's minibatches are
 * gathered per epoch ({@code [steps, K, B, in + 1]} on the host), as {@link Population#fitRows} does; the training
 * loss is not recorded (reports carry NaN; divergence is judged on the validation loss).
 *
 * <pre>{@code
 * try (SteppedPopulation p = new SteppedPopulation(train, validation, null)) {
 *     int a = p.add(specA), b = p.add(specB);
 *     for (int e = 0; e < 10; e++) p.epoch();
 *     try (TrainingResult partial = p.result(b)) { ... }   // b's best epoch so far, as trained alone for 10 epochs
 *     p.remove(b);                                        // masked out; its slot goes to a newcomer
 *     int c = p.add(specC);
 *     while (p.training(a)) p.epoch();
 * }
 * }</pre>
 *
 * <p>Not thread-safe. Holds native memory: close it.
 */
public final class SteppedPopulation implements AutoCloseable {
    private final ToDoubleFunction<double[][]> selection;
    private final int n;
    private final List<Member> members = new ArrayList<>();
    private final List<Member> joining = new ArrayList<>();
    private final double compactionThreshold;
    private PopulationEngine engine;
    private Member[] slotMember = new Member[0];
    private INDArray xStage;
    private INDArray yStage;
    private INDArray wStage;
    private final DataSet rawTrain;
    private final DataSet rawValidation;

    /** One member's bookkeeping. */
    private static final class Member {
        final int id;
        final MicromodelSpec spec;
        final int[] order;
        final SplittableRandom rng;
        final Random dropout;
        final long joined = System.nanoTime();
        final List<EpochReport> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch;
        int since;
        int epochs;
        float[] keep;
        TrainingResult.Stop stop;
        double stoppedAt;
        boolean removed;

        Member(int id, MicromodelSpec spec, int n) {
            this.id = id;
            this.spec = spec;
            this.order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            this.rng = Seeds.random(spec.seed(), Seeds.BATCH_ORDER);
            this.dropout = Population.dropoutRandom(spec);
        }

        double seconds() {
            return (System.nanoTime() - joined) / 1e9;
        }
    }

    /**
     * @param train      features {@code [n, inputs]} and labels {@code [n, outputs]} (a binary member also takes one-hot
     *                   {@code [n, 2]}); a labels mask {@code [n, 1]} holds per-example loss weights, as for the Trainer
     * @param validation the same shapes, any number of rows
     * @param selection  a member's inference outputs on the validation split, {@code [n][outputs]}, to the value to
     *                   minimise (as {@link Population#fit(List, DataSet, DataSet, PopulationOptions, Population.Listener,
     *                   ToDoubleFunction)}); null = the validation loss
     */
    public SteppedPopulation(DataSet train, DataSet validation, ToDoubleFunction<double[][]> selection) {
        if (train == null || validation == null) {
            throw new IllegalArgumentException("train and validation must be given");
        }
        this.rawTrain = train;
        this.rawValidation = validation;
        this.selection = selection;
        this.n = train.numExamples();
        this.compactionThreshold = PopulationOptions.DEFAULT_COMPACTION_THRESHOLD;
    }

    /** Data conformed to the first member's spec (binary labels reduced, float32), prepared on the first add. */
    private Data data;

    /**
     * @param xRows training features with the ones column {@code [n * width]}, row-major
     * @param yRows training labels {@code [n * classes]}
     * @param wRows per-example loss weights {@code [n]} (the training labels mask), or null
     */
    private record Data(DataSet train, DataSet validation, INDArray validationX, float[] xRows, float[] yRows,
                        float[] wRows, int width, int classes) {
    }

    private Data data(MicromodelSpec first) {
        if (data == null) {
            DataSet tr = Trainer.conform(first, rawTrain, "training");
            DataSet va = Trainer.conform(first, rawValidation, "validation");
            try (INDArray x = PopulationEngine.withBiasColumn(tr.getFeatures())) {
                INDArray y = tr.getLabels();
                INDArray w = tr.getLabelsMaskArray();
                data = new Data(tr, va, PopulationEngine.withBiasColumn(va.getFeatures()), hostFloats(x),
                        hostFloats(y), w == null ? null : hostFloats(w.reshape(w.length())),
                        (int) x.size(1), (int) y.size(1));
            }
        }
        return data;
    }

    /**
     * Adds a member; it joins at the next {@link #epoch()}, at its own epoch 1.
     *
     * @param spec a spec compatible with the first member added ({@link Population#check})
     * @return the member's id: 0 for the first added, then 1, 2, ...
     * @throws IllegalArgumentException naming the field that does not fit the first member
     */
    public int add(MicromodelSpec spec) {
        if (members.isEmpty()) {
            Population.check(List.of(spec));
        } else {
            Population.check(List.of(members.get(0).spec, spec));
        }
        data(members.isEmpty() ? spec : members.get(0).spec);
        Member m = new Member(members.size(), spec, n);
        members.add(m);
        joining.add(m);
        return m.id;
    }

    /** @return whether {@code spec} can join this population (compatible with its first member, or it has none) */
    public boolean accepts(MicromodelSpec spec) {
        try {
            Population.check(members.isEmpty() ? List.of(spec) : List.of(members.get(0).spec, spec));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return the ids of the members still training (joined or about to join), in id order */
    public List<Integer> trainingMembers() {
        List<Integer> out = new ArrayList<>();
        for (Member m : members) {
            if (m.stop == null && !m.removed) {
                out.add(m.id);
            }
        }
        return out;
    }

    /** @return whether member {@code id} is still training */
    public boolean training(int id) {
        Member m = member(id);
        return m.stop == null && !m.removed;
    }

    /** @return epochs member {@code id} has trained */
    public int epochs(int id) {
        return member(id).epochs;
    }

    /** @return why member {@code id} stopped by itself, or null while it trains or after it was removed */
    public TrainingResult.Stop stop(int id) {
        return member(id).stop;
    }

    /** @return member {@code id}'s spec */
    public MicromodelSpec spec(int id) {
        return member(id).spec;
    }

    private Member member(int id) {
        if (id < 0 || id >= members.size()) {
            throw new IllegalArgumentException("no member " + id + " (members 0.." + (members.size() - 1) + ")");
        }
        return members.get(id);
    }

    /**
     * Member {@code id}'s result so far: a network of its spec holding its best epoch's parameters (the caller owns
     * it), its best epoch, epochs run and history. A member still training (or removed) is reported as trained alone
     * for the epochs it ran ({@link TrainingResult.Stop#MAX_EPOCHS}); one that stopped by itself with its reason.
     */
    public TrainingResult result(int id) {
        Member m = member(id);
        float[] params = m.keep != null ? m.keep : Population.initialParameters(m.spec);
        TrainingResult.Stop stop = m.stop != null ? m.stop : TrainingResult.Stop.MAX_EPOCHS;
        return new TrainingResult(Population.export(m.spec, params), m.spec, m.bestEpoch,
                m.bestEpoch > 0 ? m.best : Double.NaN, m.epochs, stop, m.history, m.stop != null ? m.stoppedAt : m.seconds());
    }

    /**
     * Masks member {@code id} out: it stops training now (its slot is frozen and dropped at the next rebuild). Its
     * {@link #result} stays available.
     */
    public void remove(int id) {
        Member m = member(id);
        if (m.removed || m.stop != null) {
            return;
        }
        m.removed = true;
        m.stoppedAt = m.seconds();
        if (joining.remove(m)) {
            return;
        }
        for (int s = 0; s < slotMember.length; s++) {
            if (slotMember[s] == m) {
                engine.deactivate(s);
            }
        }
    }

    /** @return the number of slots of the current engine (0 before the first epoch) */
    public int slots() {
        return engine == null ? 0 : engine.slots();
    }

    /**
     * Trains every member still training for one epoch of its own minibatches, then scores each on the validation
     * split and applies its early stopping.
     *
     * @return ids of the members that stopped by themselves in this epoch (patience, their epochs, a non-finite loss)
     */
    public List<Integer> epoch() {
        rebuild();
        List<Integer> stopped = new ArrayList<>();
        if (engine == null) {
            return stopped;
        }
        Data d = data;
        int k = engine.slots();
        int bs = Math.min(slotMember[0].spec.batchSize(), n);
        int steps = (n + bs - 1) / bs;
        for (int s = 0; s < k; s++) {
            if (engine.isActive(s)) {
                io.micromodels.train.Trainer.shuffle(slotMember[s].order, slotMember[s].rng);
            }
        }
        float[] xs = new float[steps * k * bs * d.width];
        float[] ys = new float[steps * k * bs * d.classes];
        float[] ws = d.wRows == null ? null : new float[steps * k * bs];
        int[][] rows = new int[steps][k];
        for (int t = 0; t < steps; t++) {
            int real = Math.min(bs, n - t * bs);
            for (int s = 0; s < k; s++) {
                rows[t][s] = real;
                int[] o = slotMember[s].order;
                for (int r = 0; r < real; r++) {
                    int row = o[t * bs + r];
                    System.arraycopy(d.xRows, row * d.width, xs, ((t * k + s) * bs + r) * d.width, d.width);
                    System.arraycopy(d.yRows, row * d.classes, ys, ((t * k + s) * bs + r) * d.classes, d.classes);
                    if (ws != null) {
                        ws[(t * k + s) * bs + r] = d.wRows[row];
                    }
                }
            }
        }
        xStage = stage(xStage, xs);
        yStage = stage(yStage, ys);
        INDArray x4 = xStage.get(NDArrayIndex.interval(0, xs.length)).reshape('c', steps, k, bs, d.width);
        INDArray y4 = yStage.get(NDArrayIndex.interval(0, ys.length)).reshape('c', steps, k, bs, d.classes);
        INDArray w3 = null;
        if (ws != null) {
            wStage = stage(wStage, ws);
            w3 = wStage.get(NDArrayIndex.interval(0, ws.length)).reshape('c', steps, k, bs);
        }
        int[] epochOf = new int[k];
        for (int s = 0; s < k; s++) {
            epochOf[s] = slotMember[s].epochs;   // epochs done: the 0-based index of the one about to run
        }
        engine.startEpoch(epochOf);
        for (int t = 0; t < steps; t++) {
            engine.step(x4.get(NDArrayIndex.point(t)), y4.get(NDArrayIndex.point(t)), rows[t],
                    w3 == null ? null : w3.get(NDArrayIndex.point(t)));
        }
        double[] val = selection == null
                ? engine.meanLoss(d.validationX, d.validation.getLabels(), d.validation.getLabelsMaskArray())
                : selectionScores(d.validationX);
        float[][] current = null;
        for (int s = 0; s < k; s++) {
            if (!engine.isActive(s)) {
                continue;
            }
            Member m = slotMember[s];
            int epoch = ++m.epochs;
            boolean finite = Double.isFinite(val[s]);
            boolean improved = finite && val[s] < m.best;
            if (improved) {
                m.best = val[s];
                m.bestEpoch = epoch;
                m.since = 0;
                if (current == null) {
                    current = engine.memberParams();
                }
                m.keep = current[s];
            } else {
                m.since++;
            }
            m.history.add(new EpochReport(epoch, Double.NaN, val[s], improved, m.bestEpoch, m.seconds()));
            TrainingResult.Stop why = null;
            if (!finite) {
                why = TrainingResult.Stop.DIVERGED;
            } else if (m.spec.patience() > 0 && m.since >= m.spec.patience()) {
                why = TrainingResult.Stop.EARLY_STOPPED;
            } else if (epoch >= m.spec.epochs()) {
                why = TrainingResult.Stop.MAX_EPOCHS;
            }
            if (why != null) {
                m.stop = why;
                m.stoppedAt = m.seconds();
                if (m.keep == null) {
                    if (current == null) {
                        current = engine.memberParams();
                    }
                    m.keep = current[s];
                }
                engine.deactivate(s);
                stopped.add(m.id);
            }
        }
        return stopped;
    }

    /**
     * Rebuilds the engine when members are joining or the share of training slots fell to the compaction threshold:
     * the training members keep their complete state (parameters, Adam moments and iteration, dropout stream),
     * newcomers start from their initial parameters at iteration 0.
     */
    private void rebuild() {
        int active = 0;
        if (engine != null) {
            for (int s = 0; s < engine.slots(); s++) {
                if (engine.isActive(s)) {
                    active++;
                }
            }
        }
        if (joining.isEmpty() && (engine == null || active == engine.slots()
                || (active > 0 && active > compactionThreshold * engine.slots()))) {
            return;
        }
        List<PopulationEngine.MemberState> states = new ArrayList<>();
        List<Member> order = new ArrayList<>();
        if (engine != null) {
            int[] keepSlots = new int[active];
            int j = 0;
            for (int s = 0; s < engine.slots(); s++) {
                if (engine.isActive(s)) {
                    keepSlots[j++] = s;
                    order.add(slotMember[s]);
                }
            }
            states.addAll(engine.states(keepSlots));
            engine.close();
            engine = null;
        }
        for (Member m : joining) {
            states.add(new PopulationEngine.MemberState(m.spec, Population.initialParameters(m.spec), null, null, m.dropout, 0));
            order.add(m);
        }
        joining.clear();
        slotMember = order.toArray(new Member[0]);
        if (!states.isEmpty()) {
            engine = new PopulationEngine(states, 0);
        }
    }

    /** A matrix's values in row-major order, as float32. */
    private static float[] hostFloats(INDArray a) {
        INDArray f = a.castTo(DataType.FLOAT);
        try (INDArray c = f.dup('c')) {
            return c.data().asFloat();
        }
    }

    /** {@link #selection} of every active slot's validation outputs; NaN for stopped slots. */
    private double[] selectionScores(INDArray validationX) {
        return Population.selectionScores(engine, selection, validationX);
    }

    /** {@code values} copied into the start of {@code stage}, or into a new array when it is too small. */
    private static INDArray stage(INDArray stage, float[] values) {
        if (stage == null || stage.length() < values.length) {
            if (stage != null) {
                stage.close();
            }
            stage = Nd4j.create(DataType.FLOAT, values.length);
        }
        new org.bytedeco.javacpp.FloatPointer(stage.data().addressPointer()).put(values, 0, values.length);
        return stage;
    }


    /** Frees the engine, the staging arrays and every member's dropout stream. */
    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        for (INDArray a : new INDArray[] {xStage, yStage, wStage, data == null ? null : data.validationX}) {
            if (a != null && !a.wasClosed()) {
                a.close();
            }
        }
        for (Member m : members) {
            if (m.dropout != null) {
                try {
                    m.dropout.close();
                } catch (Exception e) {
                    // releasing a random stream's native state cannot fail in a way the caller could act on
                }
            }
        }
    }
}
