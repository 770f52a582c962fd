package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Pareto front of a study's trials with fixed values, against a front and a hypervolume worked out by hand. */
class ParetoTrialsTest {
    static final List<SearchObjective> AUC_LATENCY = SearchObjective.parseAll(List.of("auc", "latency"));

    static MicromodelSpec spec(int width) {
        return Micromodel.classifier(2).input(5).dense(width, Activation.TANH).adam(0.01).build();
    }

    static TrialRecord trial(int number, TrialStatus status, double auc, double latency, int width) {
        double score = status == TrialStatus.COMPLETE ? auc : Double.NaN;
        return new TrialRecord("0badcafe-" + number, number, new double[] {0.5}, spec(width), 1, score, "auc", 3, 2, 0.1, 0.1,
                status, status == TrialStatus.COMPLETE ? "" : "failed", new double[0], Double.NaN,
                new double[] {auc, latency});
    }

    /** number: auc, latency. Dominated: 3 by 2, 4 by 1, 10 by 5; 7 ties with 2; 6 failed; 9 has no latency. */
    static List<TrialRecord> trials() {
        List<TrialRecord> t = new ArrayList<>();
        t.add(trial(4, TrialStatus.COMPLETE, 0.80, 950, 8));   // out of order on purpose
        t.add(trial(1, TrialStatus.COMPLETE, 0.80, 900, 8));
        t.add(trial(2, TrialStatus.COMPLETE, 0.78, 500, 8));
        t.add(trial(3, TrialStatus.COMPLETE, 0.75, 520, 8));
        t.add(trial(5, TrialStatus.COMPLETE, 0.70, 300, 8));
        t.add(trial(6, TrialStatus.FAILED, Double.NaN, Double.NaN, 8));
        t.add(trial(7, TrialStatus.COMPLETE, 0.78, 500, 8));
        t.add(trial(8, TrialStatus.COMPLETE, 0.82, 2000, 8));
        t.add(trial(9, TrialStatus.COMPLETE, 0.90, Double.NaN, 8));
        t.add(trial(10, TrialStatus.COMPLETE, 0.69, 300, 8));
        return t;
    }

    @Test
    void theFrontOfFixedValuesIsTheHandComputedOne() {
        List<TrialRecord> front = ParetoTrials.front(trials(), AUC_LATENCY);
        assertEquals(List.of(1, 2, 5, 8), front.stream().map(TrialRecord::number).toList());
    }

    @Test
    void directionsMatter() {
        // the same values read as (log_loss: minimised, rows_per_second: maximised): both directions flip
        List<SearchObjective> flipped = SearchObjective.parseAll(List.of("log_loss", "rows_per_second"));
        List<TrialRecord> front = ParetoTrials.front(trials(), flipped);
        // minimise the first value, maximise the second: 10 (0.69, 300) vs 5 (0.70, 300): 10 dominates 5;
        // 4 (0.80, 950) dominates 1 (0.80, 900); 8 (0.82, 2000) is not dominated (largest second value); 3 (0.75, 520)
        // and 2, 7 (0.78, 500): 3 dominates both; 10 vs 3: neither; 4 vs 3: neither; 8 vs 4: neither
        assertEquals(List.of(3, 4, 8, 10), front.stream().map(TrialRecord::number).toList());
    }

    @Test
    void hypervolumeOfTheScaledFrontIsTheHandComputedOne() {
        // complete finite trials: auc in [0.69, 0.82] (range 0.13), latency in [300, 2000] (range 1700); minimised and
        // scaled: 8 -> (0, 1), 1 -> (2/13, 6/17), 2 -> (4/13, 2/17), 5 -> (12/13, 0);
        // reference 1.1: a 2-D staircase swept by the first coordinate
        double expected = (1.1 - 0) * (1.1 - 1)
                + (1.1 - 2.0 / 13) * (1 - 6.0 / 17)
                + (1.1 - 4.0 / 13) * (6.0 / 17 - 2.0 / 17)
                + (1.1 - 12.0 / 13) * (2.0 / 17 - 0);
        assertEquals(expected, ParetoTrials.hypervolume(trials(), AUC_LATENCY), 1e-12);
        assertEquals(0.0, ParetoTrials.hypervolume(List.of(trials().get(5)), AUC_LATENCY), "no complete trial");
    }

    @Test
    void theFileRoundTripsAndIsReplacedAtomically(@TempDir Path tmp) throws Exception {
        Path file = ParetoTrials.write(tmp, trials(), AUC_LATENCY);
        assertEquals(tmp.resolve(ParetoTrials.FILE), file);
        ParetoTrials.File f = ParetoTrials.read(file);
        assertEquals(ParetoTrials.of(trials(), AUC_LATENCY), f);
        assertEquals(List.of(new ParetoTrials.Direction("auc", "maximize"), new ParetoTrials.Direction("latency", "minimize")),
                f.objectives());
        assertEquals(new ParetoTrials.Member(2, new double[] {0.78, 500}, 8L * 5 + 8 + 8 * 2 + 2), f.front().get(1));
        assertEquals(8, f.completeTrials(), "complete trials with every value finite");
        ParetoTrials.write(tmp, trials().subList(0, 2), AUC_LATENCY);
        assertEquals(List.of(1), ParetoTrials.read(file).front().stream().map(ParetoTrials.Member::number).toList());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class, () -> {
            Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{\"colour\":1,"));
            ParetoTrials.read(file);
        });
        assertTrue(extra.getMessage().contains("colour"), extra.getMessage());
    }
}
