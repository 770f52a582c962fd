package io.micromodels.bench.train;

import io.micromodels.bench.Measurement;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrainThroughputTest {

    private static List<TrainThroughput.Measured> results(TrainSettings s, double us64, double us1024,
                                                          List<TrainThroughput.Measured> into) {
        into.add(new TrainThroughput.Measured("jvm", 1, s, 32, 64, Measurement.of(us64), "off"));
        into.add(new TrainThroughput.Measured("jvm", 1, s, 32, 1024, Measurement.of(us1024), "off"));
        return into;
    }

    @Test
    void tunePicksTheFastestValueOfEachFactor() {
        TrainSettings d = TrainSettings.defaults();
        List<TrainThroughput.Measured> r = new ArrayList<>();
        results(d, 100, 1000, r);
        results(d.withWorkspaces(false), 90, 900, r);    // faster: adopt
        results(d.withGc("flip"), 120, 1100, r);         // slower: keep default
        results(d.withDtype("DOUBLE"), 10, 10, r);       // fastest, but FLOAT is kept
        results(d.withFit("arrays"), 95, 990, r);
        results(d.withFit("iterator"), 80, 1000, r);     // geometric mean 282.8 < 306.8 (arrays) < 316.2
        TrainThroughput.WorkerRun run = new TrainThroughput.WorkerRun("jvm", 1, 1, false, r, List.of());
        assertEquals(new TrainSettings(false, "default", "FLOAT", "iterator"), TrainThroughput.tune(run));
    }

    @Test
    void fastestJvmUsesAllExploredVariants() {
        TrainSettings d = TrainSettings.defaults();
        TrainSettings ws = d.withWorkspaces(false);
        // The 2-thread JVM has the faster default (one lucky sample) but is slower on every other variant.
        List<TrainThroughput.Measured> two = results(d, 90, 900, new ArrayList<>());
        results(ws, 300, 3000, two);
        List<TrainThroughput.Measured> one = results(d, 100, 1000, new ArrayList<>());
        results(ws, 100, 1000, one);
        TrainThroughput.WorkerRun a = new TrainThroughput.WorkerRun("a", null, 2, false, two, List.of());
        TrainThroughput.WorkerRun b = new TrainThroughput.WorkerRun("b", 1, 1, false, one, List.of());
        assertEquals(b, TrainThroughput.fastestJvm(List.of(a, b), List.of(d, ws)));
    }

    @Test
    void missingMeasurementsKeepDefaults() {
        List<TrainThroughput.Measured> r = results(TrainSettings.defaults(), 100, 1000, new ArrayList<>());
        TrainThroughput.WorkerRun run = new TrainThroughput.WorkerRun("jvm", null, 2, false, r, List.of());
        assertEquals(TrainSettings.defaults(), TrainThroughput.tune(run));
    }

    @Test
    void gridPointsIncludeReferenceWithoutDuplicates() {
        List<int[]> pts = TrainThroughput.Grid.of(true).points();
        assertEquals(9, pts.size());   // widths 8,32,128,512 at b64 + batches 1,16,256,1024,4096 at w32
        assertEquals(1, pts.stream().filter(p -> p[0] == 32 && p[1] == 64).count());
        assertEquals(1, pts.stream().filter(p -> p[0] == 32 && p[1] == 1024).count());
    }

    @Test
    void labels() {
        assertEquals("default", TrainSettings.defaults().label());
        assertEquals("ws=NONE fit(X,Y)", TrainSettings.defaults().withWorkspaces(false).withFit("arrays").label());
    }
}
