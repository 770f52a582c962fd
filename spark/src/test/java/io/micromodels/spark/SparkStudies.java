package io.micromodels.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micromodels.tune.GeneratorKind;
import io.micromodels.tune.StudyListener;
import io.micromodels.tune.StudyOptions;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.space.IntRange;
import io.micromodels.tune.space.Range;
import io.micromodels.tune.space.SpaceConfig;
import java.nio.file.Path;
import java.util.List;

/** The tiny seeded studies the Spark tests run, and how their trials are compared. */
public final class SparkStudies {
    private SparkStudies() {
    }

    /** One or two hidden layers of 4 to 16 units, learning rate 10^-3 to 10^-1 on a log scale, batch 32 or 64. */
    public static final SpaceConfig SMALL = new SpaceConfig(new IntRange(1, 2, false), new IntRange(4, 16, true),
            SpaceConfig.defaults().activations(), SpaceConfig.defaults().dropRate(), SpaceConfig.defaults().l1(),
            SpaceConfig.defaults().l2(), new Range(1e-3, 1e-1, true), List.of(32, 64));

    /** A seeded random search of {@code trials} trials, 3 epochs (patience 2), batches of 2 proposed together. */
    public static StudyOptions random(Path csv, int trials) {
        return StudyOptions.forCsv(csv.toString(), "y").withGenerator(GeneratorKind.RANDOM).withTrials(trials)
                .withEpochs(3, 2).withSpace(SMALL).withSeed(11).withExecution(2, 2);
    }

    public static final StudyListener QUIET = (t, all) -> { };

    /**
     * Asserts that two runs gave the same trials: numbers, points, specs, statuses, epochs, and scores equal (the same
     * network trained from the same seed on the same data with one thread, in another JVM or thread).
     */
    public static void assertSameTrials(List<TrialRecord> expected, List<TrialRecord> actual) {
        assertEquals(expected.size(), actual.size(), "trials");
        for (int i = 0; i < expected.size(); i++) {
            TrialRecord e = expected.get(i);
            TrialRecord a = actual.get(i);
            String t = "trial " + e.number();
            assertEquals(e.number(), a.number(), t);
            assertArrayEquals(e.point(), a.point(), t + " point");
            assertEquals(e.spec(), a.spec(), t + " spec");
            assertEquals(e.status(), a.status(), t + " status");
            assertEquals(e.epochs(), a.epochs(), t + " epochs");
            assertEquals(e.bestEpoch(), a.bestEpoch(), t + " best epoch");
            assertEquals(e.score(), a.score(), 1e-9 * Math.max(1, Math.abs(e.score())), t + " score");
        }
    }
}
