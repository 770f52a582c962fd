package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputsTest {
    @Test
    void ofTwoRunsGivenOneEmptyOutFolderOnlyOneGoesOn(@TempDir Path tmp) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                Path out = tmp.resolve("run-" + round);
                if (round % 2 == 0) {
                    Files.createDirectory(out);   // an empty folder made by the user is allowed too
                }
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            Outputs.runDir(out, "train", false);
                            return "ok";
                        } catch (CliException e) {
                            return e.getMessage();
                        }
                    }));
                }
                go.countDown();
                List<String> outcomes = new ArrayList<>();
                for (Future<String> r : results) {
                    outcomes.add(r.get());
                }
                assertEquals(1, outcomes.stream().filter("ok"::equals).count(), "round " + round + ": " + outcomes);
                String refusal = outcomes.stream().filter(m -> !m.equals("ok")).findFirst().orElseThrow();
                assertTrue(refusal.equals("--out " + out + " is already claimed by another run (it holds .micromodels-run); "
                        + "choose another folder or add --force")
                        || refusal.equals("--out " + out + " already exists and is not empty; choose another folder or add --force"),
                        refusal);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void forceTakesOverAClaimedFolder(@TempDir Path tmp) {
        Path out = tmp.resolve("run");
        Outputs.runDir(out, "train", false);
        CliException e = assertThrows(CliException.class, () -> Outputs.runDir(out, "train", false));
        assertTrue(e.getMessage().contains("already exists and is not empty"), e.getMessage());
        assertEquals(out, Outputs.runDir(out, "train", true));
    }
}
