package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AcquisitionOptimizerTest {

    @Test
    void findsTheGridMaximumOfLogEiInOneDimension() {
        double[][] x = {{0.05}, {0.3}, {0.55}, {0.62}, {0.95}};
        double[] y = {0.8, -0.2, -1.1, -0.9, 1.3};
        GaussianProcess gp = GaussianProcess.condition(x, y, new boolean[] {false}, new double[] {0.15}, 1.0, 1e-6, 0.0);
        double best = -1.1;
        AcquisitionOptimizer acq = new AcquisitionOptimizer(gp, best, new Dimension[] {Dimension.continuous()});
        double gridBest = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= 100_000; i++) {
            gridBest = Math.max(gridBest, acq.logEi(new double[] {i / 100_000.0}));
        }
        List<AcquisitionOptimizer.Scored> ranked = acq.maximize(new Designs(1), List.of(x[2]), 64, 3, new SplittableRandom(1));
        assertEquals(gridBest, ranked.get(0).logEi(), 1e-6 * Math.abs(gridBest), "refined maximum");
        assertTrue(ranked.get(0).logEi() >= gridBest - 1e-9);
    }

    @Test
    void candidatesAreRoundedBeforeTheyAreScored() {
        Dimension[] space = {Dimension.integer(7), Dimension.continuous(), Dimension.categorical(3)};
        SplittableRandom rng = new SplittableRandom(4);
        double[][] x = new double[10][3];
        double[] y = new double[10];
        for (int i = 0; i < x.length; i++) {
            x[i][0] = space[0].encode(rng.nextInt(7));
            x[i][1] = rng.nextDouble();
            x[i][2] = space[2].encode(rng.nextInt(3));
            y[i] = rng.nextDouble();
        }
        GaussianProcess gp = GaussianProcess.condition(x, y, new boolean[] {false, false, true},
                new double[] {0.3, 0.3, 1.0}, 1.0, 1e-4, 0.5);
        AcquisitionOptimizer acq = new AcquisitionOptimizer(gp, 0.0, space);
        List<AcquisitionOptimizer.Scored> ranked = acq.maximize(new Designs(3), List.of(x[0], x[1]), 128, 4, new SplittableRandom(2));
        double previous = Double.POSITIVE_INFINITY;
        for (int r = 0; r < ranked.size(); r++) {
            AcquisitionOptimizer.Scored s = ranked.get(r);
            for (int j = 0; j < 3; j++) {
                assertTrue(space[j].isValid(s.point()[j]), "candidate " + r + " coordinate " + j);
            }
            // The score is that of the valid point itself, not of an unrounded one (raw candidates
            // are scored in blocks, equal to the single-point value up to the rounding of the
            // variance's cancellation s2 - k'K^-1 k, which far from the incumbent (log EI near -1000)
            // reaches ~1e-12 relative in log EI; rounding a coordinate changes it by far more).
            assertEquals(acq.logEi(s.point()), s.logEi(), 1e-10 * (1.0 + Math.abs(s.logEi())), "candidate " + r);
            if (r < 4) {
                assertTrue(s.logEi() <= previous, "refined candidates sorted best first");
                previous = s.logEi();
            }
        }
        // Refinement never loses to the raw candidates.
        for (int r = 4; r < ranked.size(); r++) {
            assertTrue(ranked.get(0).logEi() >= ranked.get(r).logEi());
        }
    }
}
