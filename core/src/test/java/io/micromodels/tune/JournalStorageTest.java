package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.spec.MicromodelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder storage: claims number trials once, tells append finished ones, reopening reads what was told. */
class JournalStorageTest {
    static final MicromodelSpec SPEC = SamplerTest.SPEC;

    static StudyHeader header() {
        return new StudyHeader(StudyHeader.FORMAT, "0123abcd", "2026-12-06T08:00:00Z",
                StudyOptions.forDataset("german_credit"), "auc", "ff");
    }

    private static TrialRecord claim(Storage s, double u) {
        return s.claim(n -> TrialRecord.running("0123abcd-" + n, n, new double[] {u}, SPEC, "auc"));
    }

    private static TrialOutcome ok(double auc) {
        return new TrialOutcome(SPEC, TrialStatus.COMPLETE, auc, "auc", 4, 3, 0.5, 0.6, "", null);
    }

    @Test
    void claimsNumberOnceAndTellsAppendInFinishingOrder(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("s");
        JournalStorage s = JournalStorage.create(dir, header());
        TrialRecord a = claim(s, 0.1);
        TrialRecord b = claim(s, 0.2);
        TrialRecord c = claim(s, 0.3);
        assertEquals(List.of(1, 2, 3), s.trials().stream().map(TrialRecord::number).toList());
        assertTrue(s.trials().stream().noneMatch(TrialRecord::finished), "claimed trials are running");
        s.tell(c.finish(ok(0.8)));
        s.tell(a.finish(TrialOutcome.failed(SPEC, "auc", "boom", 0.1)));
        assertEquals(List.of(TrialStatus.FAILED, TrialStatus.RUNNING, TrialStatus.COMPLETE),
                s.trials().stream().map(TrialRecord::status).toList());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> s.tell(c.finish(ok(0.9))));
        assertEquals("trial 3 was already told; a trial is told once", twice.getMessage());
        List<String> lines = Files.readAllLines(dir.resolve(JournalStorage.TRIALS_FILE));
        assertEquals(2, lines.size());
        assertEquals(3, TrialRecord.fromJson(lines.get(0)).number(), "lines in the order trials finished");

        // trial 2 is lost with this object (a killed process): reopening sees the told trials, numbering goes on after 3
        JournalStorage again = JournalStorage.open(dir);
        assertEquals(List.of(1, 3), again.trials().stream().map(TrialRecord::number).toList());
        assertEquals(s.trials().get(2), again.trials().get(1));
        TrialRecord d = claim(again, 0.4);
        assertEquals(4, d.number());
        again.tell(d.finish(ok(0.9)));
        // the first object's view is now stale (another writer appended): it may not write its lost trial
        assertThrows(StudyInUseException.class, () -> s.tell(b.finish(ok(0.7))));
    }

    @Test
    void aTruncatedLastLineIsCutOffAndAnotherWriterIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("s");
        JournalStorage s = JournalStorage.create(dir, header());
        s.tell(claim(s, 0.1).finish(ok(0.7)));
        TrialRecord second = claim(s, 0.2).finish(ok(0.75));
        String line = second.toJsonLine();
        Files.writeString(dir.resolve(JournalStorage.TRIALS_FILE), line.substring(0, line.length() / 2),
                java.nio.file.StandardOpenOption.APPEND);
        JournalStorage back = JournalStorage.open(dir);
        assertEquals(1, back.trials().size());
        assertTrue(back.notes().get(0).contains("line 2 is incomplete"), back.notes().get(0));
        assertEquals(1, Files.readAllLines(dir.resolve(JournalStorage.TRIALS_FILE)).size(), "cut off on disk too");
        // the file is again what s wrote: s may go on (its cut-off trial told again); then back's view is stale
        s.tell(second);
        assertEquals(2, JournalStorage.open(dir).trials().size());
        StudyInUseException stale = assertThrows(StudyInUseException.class,
                () -> back.updateOptions(back.header().options().withTrials(7)));
        assertTrue(stale.getMessage().endsWith("resume the study again"), stale.getMessage());
        // while a fresh opener holds the study, opening it again is refused; after, the change of options is read back
        JournalStorage fresh = JournalStorage.open(dir);
        try (Storage.Hold h = fresh.hold()) {
            assertThrows(StudyInUseException.class, () -> JournalStorage.open(dir));
            fresh.updateOptions(fresh.header().options().withTrials(7));
        }
        assertEquals(7, JournalStorage.open(dir).header().options().trials());
        assertThrows(IllegalArgumentException.class, () -> JournalStorage.create(dir, header()));
    }
}
