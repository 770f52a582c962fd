package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.PreparedData;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Objective;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who releases trial networks and executor threads: the incumbent and the executors, at once, without the collector. */
class OwnershipTest {

    private static MultiLayerNetwork net(int inputs) {
        MicromodelSpec s = Micromodel.classifier(2).input(inputs).dense(4, Activation.TANH).adam(0.01).build();
        MultiLayerNetwork n = new MultiLayerNetwork(s.toConfiguration());
        n.init();
        return n;
    }

    private static TrialRecord record(int number, double auc) {
        MicromodelSpec s = Micromodel.classifier(2).input(3).dense(4, Activation.TANH).adam(0.01).build();
        return new TrialRecord("abcdef01-" + number, number, new double[] {0.5}, s, s.seed(), auc, "auc", 3, 2, 0.1, 0.1,
                TrialStatus.COMPLETE, "");
    }

    @Test
    void theIncumbentKeepsOnlyTheBestNetworkAndHandsItOver() {
        Incumbent inc = new Incumbent(Objective.AUC);
        MultiLayerNetwork first = net(3);
        MultiLayerNetwork worse = net(3);
        MultiLayerNetwork better = net(3);
        assertTrue(inc.offer(record(1, 0.7), first));
        assertFalse(inc.offer(record(2, 0.6), worse));
        assertTrue(worse.params().wasClosed(), "a network that is not the best is released when offered");
        assertFalse(first.params().wasClosed());
        assertTrue(inc.offer(record(3, 0.8), better));
        assertTrue(first.params().wasClosed(), "the old best is released when a better trial arrives");
        assertNull(inc.take(1));
        assertSame(better, inc.take(3));
        assertNull(inc.take(3), "handed over once");
        inc.close();
        assertFalse(better.params().wasClosed(), "the taker owns it now");
        MultiLayerNetwork last = net(3);
        assertTrue(inc.offer(record(4, 0.9), last));
        inc.close();
        assertTrue(last.params().wasClosed(), "closing releases a network nobody took");
        assertEquals(4, inc.best().orElseThrow().number());
    }

    @Test
    void closingTheThreadedExecutorEndsItsThreads(@TempDir Path tmp) throws Exception {
        PreparedData data = TuneData.binary(tmp, 120, 3);
        MicromodelSpec s = Micromodel.classifier(2).input(data.pipeline().width()).dense(4, Activation.TANH).adam(0.01)
                .epochs(1).patience(0).build();
        java.util.Set<Thread> before = trialThreads(); // other tests' studies may still hold pools in this JVM
        TrialExecutor ex = TrialExecutor.threaded(2);
        List<TrialOutcome> out = ex.run(List.of(s, s.withSeed(2)), data, (o, i) -> { });
        assertEquals(2, out.size());
        List<Thread> pool = trialThreads().stream().filter(t -> !before.contains(t)).toList();
        assertEquals(2, pool.size(), "this executor's pool has two threads");
        assertTrue(pool.stream().allMatch(Thread::isAlive), "the pool's threads are alive between batches");
        ex.close();
        for (Thread t : pool) {
            t.join(60_000); // a terminated pool's worker may still be returning from its last instruction
        }
        assertEquals(0, pool.stream().filter(Thread::isAlive).count(), "closed: no trial thread of this pool is left");
        for (TrialOutcome o : out) {
            io.micromodels.train.TrainingResult.release(o.network());
        }
    }

    private static java.util.Set<Thread> trialThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("micromodels-trial-") && t.isAlive())
                .collect(java.util.stream.Collectors.toSet());
    }
}
