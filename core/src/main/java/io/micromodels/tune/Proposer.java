package io.micromodels.tune;

import io.micromodels.train.Objective;
import io.micromodels.tune.arbiter.BayesianCandidateGenerator;
import io.micromodels.tune.space.MicromodelSpace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.SinglePointCrossover;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.parentselection.RandomTwoParentSelection;
import org.deeplearning4j.arbiter.optimize.generator.genetic.mutation.RandomMutationOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.selection.GeneticSelectionOperator;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;

/**
 * A study's source of candidates: one Arbiter {@link CandidateGenerator} over the study's space, told every
 * finished trial (failures included), and able to continue a resumed study without repeating a trial (see
 * {@link GeneratorKind}).
 */
final class Proposer {
    /** Grid values per continuous (and wide integer) coordinate. */
    static final int GRID_POINTS = 3;

    /** Hyperparameters a population's members must share (see {@link #shareStructure}). */
    static final List<String> STRUCTURE = List.of("depth", "activation", "batchSize");

    private final GeneratorKind kind;
    private final MicromodelSpace space;
    private final CandidateGenerator generator;
    private final Objective objective;
    private final Deque<Candidate> pending = new ArrayDeque<>();

    Proposer(GeneratorKind kind, MicromodelSpace space, long seed, Objective objective, List<TrialRecord> history) {
        this.kind = kind;
        this.space = space;
        this.objective = objective;
        this.generator = switch (kind) {
            case BAYES -> new BayesianCandidateGenerator(space, true, seed, null);
            case RANDOM -> {
                RandomSearchGenerator g = new RandomSearchGenerator(space, null);
                g.setRngSeed(seed);
                yield g;
            }
            case GRID -> new GridSearchCandidateGenerator(space, GRID_POINTS, GridSearchCandidateGenerator.Mode.Sequential, null);
            case GENETIC -> genetic(space, seed + 1_000_003L * history.size());
        };
        switch (kind) {
            case BAYES, GENETIC -> {
                for (int i = 0; i < history.size(); i++) {
                    TrialRecord r = history.get(i);
                    generator.reportResults(result(new Candidate<>((Object) null, -(i + 1), r.point()), r));
                }
            }
            case RANDOM, GRID -> replay(history);
        }
    }

    private static CandidateGenerator genetic(MicromodelSpace space, long seed) {
        GeneticSelectionOperator selection = new GeneticSelectionOperator.Builder()
                .randomGenerator(new JDKRandomGenerator((int) (seed ^ (seed >>> 32))))
                .crossoverOperator(new SinglePointCrossover.Builder()
                        .randomGenerator(new JDKRandomGenerator((int) (seed * 31 + 7)))
                        .parentSelection(new RandomTwoParentSelection(new JDKRandomGenerator((int) (seed * 17 + 3))))
                        .build())
                .mutationOperator(new RandomMutationOperator.Builder()
                        .randomGenerator(new JDKRandomGenerator((int) (seed * 13 + 5))).build())
                .build();
        return new GeneticSearchCandidateGenerator.Builder(space, MINIMIZE).selectionOperator(selection).build();
    }

    /** Draws the deterministic sequence again, discarding candidates already recorded (matched by point). */
    private void replay(List<TrialRecord> history) {
        List<double[]> unmatched = new ArrayList<>();
        for (TrialRecord r : history) {
            unmatched.add(r.point());
        }
        long limit = history.size() + 10_000L;
        long draws = 0;
        while (!unmatched.isEmpty()) {
            if (!generator.hasMoreCandidates() || draws++ > limit) {
                throw new IllegalArgumentException("cannot continue the " + kind.label() + " generator: " + unmatched.size()
                        + " recorded trial(s) are not in its sequence for this seed and space (was trials.jsonl edited?)");
            }
            Candidate c = generator.getCandidate();
            boolean matched = false;
            for (int i = 0; i < unmatched.size(); i++) {
                if (Arrays.equals(unmatched.get(i), c.getFlatParameters())) {
                    unmatched.remove(i);
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                pending.add(c);
            }
        }
    }

    boolean hasMore() {
        return !pending.isEmpty() || generator.hasMoreCandidates();
    }

    /** Up to {@code q} candidates (fewer only when the generator runs out). */
    List<Candidate> next(int q) {
        List<Candidate> out = new ArrayList<>(q);
        while (out.size() < q && !pending.isEmpty()) {
            out.add(pending.poll());
        }
        if (out.size() < q) {
            if (generator instanceof BayesianCandidateGenerator b) {
                out.addAll(b.getCandidates(q - out.size()));
            } else {
                while (out.size() < q && generator.hasMoreCandidates()) {
                    out.add(generator.getCandidate());
                }
            }
        }
        return out;
    }

    /**
     * For population training: gives every candidate of a Bayesian batch the depth, activation and batch size of the
     * batch's first (most promising) candidate, so the batch trains as one population instead of many small ones;
     * widths, drop rates, L1, L2 and learning rates stay as proposed. The recorded point is the one trained, so
     * the Gaussian process learns from what really ran. Other generators keep their candidates (their sequences must
     * replay exactly on resume), and so does the space-filling initial design (its first
     * {@code max(5, 2d)} points), which must cover the structural choices too.
     *
     * @param finished trials finished before this batch
     */
    List<Candidate> shareStructure(List<Candidate> batch, int finished) {
        int design = io.micromodels.tune.bayes.BayesOptions.defaults(space.numParameters()).initialPoints();
        if (kind != GeneratorKind.BAYES || batch.size() < 2 || finished < design) {
            return batch;
        }
        List<String> names = space.coordinateNames();
        double[] lead = batch.get(0).getFlatParameters();
        List<Candidate> out = new ArrayList<>(batch.size());
        out.add(batch.get(0));
        for (Candidate c : batch.subList(1, batch.size())) {
            double[] u = c.getFlatParameters().clone();
            for (int i = 0; i < names.size(); i++) {
                if (STRUCTURE.contains(names.get(i))) {
                    u[i] = lead[i];
                }
            }
            out.add(new Candidate<>(space.getValue(u), c.getIndex(), u));
        }
        return out;
    }

    /** Tells the generator how a candidate ended: its loss, or a failure. */
    void report(Candidate candidate, TrialRecord record) {
        generator.reportResults(result(candidate, record));
    }

    /** Tells the generator that a candidate could not even be built. */
    void reportFailure(Candidate candidate) {
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), CandidateStatus.Failed, null, 0L, 0L, 0L,
                candidate.getFlatParameters(), String.valueOf(candidate.getException()));
        generator.reportResults(new OptimizationResult(candidate, null, candidate.getIndex(), null, info, null));
    }

    private OptimizationResult result(Candidate candidate, TrialRecord r) {
        boolean ok = r.status() == TrialStatus.COMPLETE;
        Double score = ok ? objective.loss(r.score()) : null;
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), ok ? CandidateStatus.Complete : CandidateStatus.Failed,
                score, 0L, 0L, 0L, r.point(), ok ? null : r.failure());
        return new OptimizationResult(candidate, score, candidate.getIndex(), null, info, null);
    }

    GeneratorKind kind() {
        return kind;
    }

    /** The score function handed to Arbiter generators that ask for one: losses, minimised. */
    static final ScoreFunction MINIMIZE = new ScoreFunction() {
        @Override
        public double score(Object model, DataProvider dataProvider, java.util.Map<String, Object> dataParameters) {
            throw new UnsupportedOperationException("studies score trials themselves");
        }

        @Override
        public double score(Object model, Class<? extends DataSource> dataSource, java.util.Properties properties) {
            throw new UnsupportedOperationException("studies score trials themselves");
        }

        @Override
        public boolean minimize() {
            return true;
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return List.of();
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return List.of();
        }
    };
}
