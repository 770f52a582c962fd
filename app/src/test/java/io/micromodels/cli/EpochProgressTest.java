package io.micromodels.cli;

import io.micromodels.train.EpochReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EpochProgressTest {

    /** Epochs of the given durations (seconds); returns the printed lines. */
    private static List<String> run(double... durations) {
        StringWriter out = new StringWriter();
        EpochProgress p = new EpochProgress(new PrintWriter(out, true), 100);
        double t = 0;
        for (int e = 0; e < durations.length; e++) {
            t += durations[e];
            p.onEpoch(new EpochReport(e + 1, 0.5, 0.25, e == 0, 1, t));
        }
        String s = out.toString();
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test
    void shortRunsPrintNothing() {
        assertEquals(List.of(), run(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1));
    }

    @Test
    void longRunsPrintAtMostEveryFiveSecondsWithTheMeanEpochTimeSinceTheLastLine() {
        // Epochs of 2 s: lines at 4 s (epoch 2), 10 s (epoch 5) and 16 s (epoch 8) (not a terminal in tests).
        List<String> lines = run(2, 2, 2, 2, 2, 2, 2, 2, 2);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("epoch 2/100: 2.00 s/epoch, train loss 0.50000, val loss 0.25000, best epoch 1, 4 s elapsed", lines.get(0));
        assertEquals("epoch 5/100: 2.00 s/epoch, train loss 0.50000, val loss 0.25000, best epoch 1, 10 s elapsed", lines.get(1));
        // Uneven epochs: the mean since the previous line.
        List<String> uneven = run(4, 1, 1, 1, 1, 6);
        assertEquals("epoch 1/100: 4.00 s/epoch, train loss 0.50000, val loss 0.25000, best epoch 1, 4 s elapsed", uneven.get(0));
        assertEquals("epoch 6/100: 2.00 s/epoch, train loss 0.50000, val loss 0.25000, best epoch 1, 14 s elapsed", uneven.get(1));
    }
}
