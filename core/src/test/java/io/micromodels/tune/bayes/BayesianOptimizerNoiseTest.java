package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Noise, recommendation, degenerate objectives and the large-n path of {@link BayesianOptimizer}. */
class BayesianOptimizerNoiseTest {

    private static void assertValidAndDistinct(List<Dimension> space, List<Trial> trials, List<double[]> batch) {
        for (int i = 0; i < batch.size(); i++) {
            double[] p = batch.get(i);
            for (int j = 0; j < p.length; j++) {
                assertTrue(space.get(j).isValid(p[j]), "valid coordinate " + j + " of " + Arrays.toString(p));
            }
            for (Trial t : trials) {
                assertFalse(Arrays.equals(t.point(), p), "not a trial's point: " + Arrays.toString(p));
            }
            for (int k = 0; k < i; k++) {
                assertFalse(Arrays.equals(batch.get(k), p), "distinct within the batch");
            }
        }
    }

    @Test
    void constantObjectiveStillGivesValidDistinctProposals() {
        List<Dimension> space = List.of(Dimension.continuous(), Dimension.integer(5), Dimension.categorical(3));
        BayesianOptimizer optimizer = new BayesianOptimizer(space);
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            double[] x = optimizer.propose(trials, 8L);
            trials.add(Trial.of(x, 1.25));
        }
        List<double[]> batch = optimizer.propose(trials, 4, 8L);
        assertValidAndDistinct(space, trials, batch);
    }

    @Test
    void allFailedTrialsStillGiveValidDistinctProposals() {
        List<Dimension> space = List.of(Dimension.continuous(), Dimension.continuous(), Dimension.integer(4));
        BayesianOptimizer optimizer = new BayesianOptimizer(space);
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double[] x = optimizer.propose(trials, 3L);
            trials.add(i % 2 == 0 ? Trial.failed(x) : Trial.of(x, Double.NaN));
        }
        List<double[]> batch = optimizer.propose(trials, 3, 3L);
        assertValidAndDistinct(space, trials, batch);
        assertNull(optimizer.recommend(trials, 3L));
    }

    @Test
    void posteriorMeanAtRepeatedNoisyObservationsIsTheClosedFormShrinkage() {
        // k observations at one point, noise v, signal s2, prior mean m: the posterior mean there is
        // m + s2 / (s2 + v / k) * (ybar - m), the conjugate Gaussian update.
        double[] ys = {0.3, 1.1, 0.8, 0.2, 0.9};
        double[][] x = new double[ys.length][];
        for (int i = 0; i < ys.length; i++) {
            x[i] = new double[] {0.5};
        }
        double s2 = 0.8;
        double v = 0.4;
        double m = -0.1;
        GaussianProcess gp = GaussianProcess.condition(x, ys, new boolean[] {false}, new double[] {0.2}, s2, v, m);
        double ybar = Arrays.stream(ys).average().orElseThrow();
        double[] out = new double[2];
        gp.predict(new double[] {0.5}, out, new double[ys.length]);
        assertEquals(m + s2 / (s2 + v / ys.length) * (ybar - m), out[0], 1e-12);
        assertEquals(s2 - s2 * s2 / (s2 + v / ys.length), out[1], 1e-12);
    }

    @Test
    void withLearnedNoiseTheRecommendationIsByPosteriorMeanNotTheLuckiestDraw() {
        BayesianOptimizer optimizer = new BayesianOptimizer(List.of(Dimension.continuous()));
        SplittableRandom rng = new SplittableRandom(12);
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double x = (i + 0.5) / 40.0;
            double g = Math.sqrt(-2.0 * Math.log(1.0 - rng.nextDouble())) * Math.cos(2.0 * Math.PI * rng.nextDouble());
            trials.add(Trial.of(new double[] {x}, (x - 0.4) * (x - 0.4) + 0.05 * g));
        }
        // One lucky draw far from the minimiser 0.4.
        trials.set(36, Trial.of(new double[] {36.5 / 40.0}, -0.3));
        BayesianOptimizer.Recommendation r = optimizer.recommend(trials, 1L);
        assertTrue(r.byPosteriorMean(), "noise was learned");
        double chosen = trials.get(r.index()).point()[0];
        assertTrue(Math.abs(chosen - 0.4) < 0.15, "recommended " + chosen + ", not the lucky 0.9125");
        assertTrue(Math.abs(r.predicted() - 0.0) < 0.08, "predicted " + r.predicted() + " near f(0.4) = 0");
    }

    @Test
    void withoutNoiseTheRecommendationIsTheBestObservedTrial() {
        BayesianOptimizer optimizer = new BayesianOptimizer(Collections.nCopies(2, Dimension.continuous()));
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            double[] x = optimizer.propose(trials, 4L);
            trials.add(Trial.of(x, (x[0] - 0.3) * (x[0] - 0.3) + (x[1] - 0.6) * (x[1] - 0.6)));
        }
        int best = 0;
        for (int i = 1; i < trials.size(); i++) {
            if (trials.get(i).score() < trials.get(best).score()) {
                best = i;
            }
        }
        BayesianOptimizer.Recommendation r = optimizer.recommend(trials, 4L);
        assertFalse(r.byPosteriorMean());
        assertEquals(best, r.index());
        assertEquals(trials.get(best).score(), r.predicted(), 0.0);
    }

    @Test
    void pastOneHundredTrialsReusedFitsAndFactorsGiveTheFreshProposals() {
        List<Dimension> space = Collections.nCopies(2, Dimension.continuous());
        BayesianOptimizer warm = new BayesianOptimizer(space);
        SplittableRandom rng = new SplittableRandom(5);
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < 108; i++) {
            double[] x = {rng.nextDouble(), rng.nextDouble()};
            trials.add(Trial.of(x, Math.sin(6 * x[0]) + x[1] * x[1]));
        }
        for (int i = 0; i < 4; i++) { // refit point 100 for 108..111 finished trials; then 110
            double[] x = warm.propose(trials, 9L);
            double[] fresh = new BayesianOptimizer(space).propose(trials, 9L);
            assertArrayEquals(fresh, x, 0.0);
            trials.add(Trial.of(x, Math.sin(6 * x[0]) + x[1] * x[1]));
        }
        assertEquals(110, BayesianOptimizer.refitPoint(111));
        assertEquals(121, BayesianOptimizer.refitPoint(125));
        assertEquals(57, BayesianOptimizer.refitPoint(57));
    }
}
