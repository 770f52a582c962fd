package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.io.ModelStore;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.ParetoTrials;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TuneData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tune --objectives ... --pick ...}: a small end-to-end run, resume rules, and one-line errors before disk. */
class MultiObjectiveTuneTest {

    static TuneCommandTest.Run run(String... args) {
        return TuneCommandTest.run(args);
    }

    @Test
    void aSmallAucParamsSearchPrintsKeepsAndPlotsItsFrontAndSavesThePickedTrial(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 2);
        Path dir = tmp.resolve("study");
        TuneCommandTest.Run r = run("tune", "--data", csv.toString(), "--target", "y", "--trials", "5", "--epochs", "3",
                "--patience", "2", "--objectives", "auc,params", "--pick", "smallest-within", "0.05", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<TrialRecord> trials = Files.readAllLines(dir.resolve("trials.jsonl")).stream().map(TrialRecord::fromJson)
                .sorted(Comparator.comparingInt(TrialRecord::number)).toList();
        assertEquals(5, trials.size());
        // the front by hand: complete trials that no other beats on auc (higher) and params (lower); ties to the lower number
        List<TrialRecord> front = new ArrayList<>();
        for (TrialRecord a : trials) {
            if (!a.complete()) {
                continue;
            }
            assertEquals(a.score(), a.values()[0]);
            assertEquals(a.spec().parameterCount(), (long) a.values()[1]);
            boolean beaten = trials.stream().anyMatch(b -> b != a && b.complete()
                    && b.values()[0] >= a.values()[0] && b.values()[1] <= a.values()[1]
                    && (b.values()[0] > a.values()[0] || b.values()[1] < a.values()[1] || b.number() < a.number()));
            if (!beaten) {
                front.add(a);
            }
        }
        assertFalse(front.isEmpty());
        String out = r.out();
        int at = out.indexOf("\nPareto front");
        assertTrue(at >= 0, out);
        List<String> rows = out.substring(at + 1).lines().skip(1).limit(front.size()).toList();
        for (int i = 0; i < front.size(); i++) {
            assertTrue(rows.get(i).startsWith(String.format("  #%-4d", front.get(i).number())), rows.get(i));
            assertTrue(rows.get(i).contains(String.format(java.util.Locale.ROOT, "auc %.4f", front.get(i).values()[0])), rows.get(i));
            assertTrue(rows.get(i).contains("params " + front.get(i).spec().parameterCount()), rows.get(i));
        }
        assertEquals(front.stream().map(TrialRecord::number).toList(),
                ParetoTrials.read(dir.resolve(ParetoTrials.FILE)).front().stream().map(ParetoTrials.Member::number).toList());
        assertTrue(Files.size(dir.resolve("pareto.png")) > 1000, "the front is plotted");
        // smallest-within 0.05: the fewest parameters among the front trials within 0.05 AUC of the best
        double bestAuc = front.stream().mapToDouble(t -> t.values()[0]).max().orElseThrow();
        TrialRecord expected = front.stream().filter(t -> t.values()[0] >= bestAuc - 0.05 - 1e-12)
                .min(Comparator.comparingDouble((TrialRecord t) -> t.values()[1]).thenComparing(t -> -t.values()[0])
                        .thenComparingInt(TrialRecord::number)).orElseThrow();
        assertTrue(out.contains("picked (smallest-within 0.05): trial " + expected.number() + ","), out);
        try (TrainedModel saved = ModelStore.load(dir.resolve("best-model.zip"))) {
            assertEquals(expected.spec(), saved.spec());
        }

        TuneCommandTest.Run changed = run("tune", "--resume", dir.toString(), "--objectives", "auc,latency");
        assertEquals(2, changed.code());
        assertEquals(1, changed.err().strip().lines().count(), changed.err());
        assertTrue(changed.err().contains("--objectives was 'auc,params' when the study started")
                && changed.err().contains("now 'auc,latency'; added [latency]; dropped [params]"), changed.err());
        TuneCommandTest.Run fastest = run("tune", "--resume", dir.toString(), "--pick", "fastest-within", "1%");
        assertEquals(2, fastest.code());
        assertTrue(fastest.err().contains("--pick fastest-within 1% needs latency or rows_per_second among --objectives"),
                fastest.err());
        assertEquals(5, Files.readAllLines(dir.resolve("trials.jsonl")).size(), "refused resumes changed nothing");
    }

    @Test
    void badObjectivesAndPicksAreOneLineErrorsBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 2);
        Path dir = tmp.resolve("study");
        String[][] cases = {
            {"--objectives must each be one of [auc, pr_auc, log_loss, accuracy, f1, rmse, mae," + " latency, rows_per_second, params], got 'speed' (--objectives 'auc,speed')", "--objectives", "auc,speed"},
            {"--objectives: the first objective is the primary objective and must be a metric", "--objectives", "latency,auc"},
            {"--objectives: metric 'rmse' does not fit a binary task", "--objectives", "auc,rmse"},
            {"--objectives must be distinct, got [auc, auc]", "--objectives", "auc,auc"},
            {"--objectives: the first objective 'auc' must be the --metric 'log_loss'", "--objectives", "auc,latency", "--metric", "log_loss"},
            {"--generator genetic optimises one score; with --objectives use bayes, random or grid", "--objectives", "auc,latency", "--generator", "genetic"},
            {"--pick must be " + io.micromodels.tune.Pick.FORMS + ", got 'biggest'", "--pick", "biggest"},
            {"--pick must be " + io.micromodels.tune.Pick.FORMS + ", got 'smallest-within lots'", "--pick", "smallest-within", "lots"},
            {"--pick smallest-within 0.01 chooses among the Pareto front of a multi-objective study; give --objectives", "--pick", "smallest-within", "0.01"},
            {"--pick fastest-within 1% needs latency or rows_per_second among --objectives, got [auc, params]", "--objectives", "auc,params", "--pick", "fastest-within", "1%"},
        };
        for (String[] c : cases) {
            List<String> flags = List.of(c).subList(1, c.length);
            List<String> args = new ArrayList<>(List.of("tune", "--data", csv.toString(), "--target", "y", "--out", dir.toString()));
            args.addAll(flags);
            TuneCommandTest.Run r = run(args.toArray(new String[0]));
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "' in: " + r.err());
            assertTrue(Files.notExists(dir), "nothing written for " + String.join(" ", flags));
        }
    }
}
