package io.micromodels.bench.hpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micromodels.tune.pareto.Hypervolume;
import org.junit.jupiter.api.Test;

class MultiObjectiveBenchmarkTest {

    @Test
    void problemsMatchTheirClosedForms() {
        assertArrayEquals(new double[] {0.25, 0.5}, MultiObjectiveBenchmark.evaluate("zdt1", new double[] {0.25, 0, 0, 0, 0, 0}), 1e-15);
        assertArrayEquals(new double[] {0.25, 0.9375}, MultiObjectiveBenchmark.evaluate("zdt2", new double[] {0.25, 0, 0, 0, 0, 0}), 1e-15);
        // g = 1 + 9 * 5 / 5 = 10 at x[1..] = 1: f2 = 10 (1 - sqrt(0.04)) = 8.
        assertArrayEquals(new double[] {0.4, 8.0}, MultiObjectiveBenchmark.evaluate("zdt1", new double[] {0.4, 1, 1, 1, 1, 1}), 1e-12);
        double[] circle = MultiObjectiveBenchmark.evaluate("dtlz2", new double[] {1.0 / 3, 0.5, 0.5, 0.5, 0.5, 0.5});
        assertArrayEquals(new double[] {Math.sqrt(3) / 2, 0.5}, circle, 1e-15);
        // Branin's minimum 0.397887 at (pi, 2.275); Currin at x2 = 0 is the rational function alone: 60 / 20 at x1 = 0.
        double[] bc = MultiObjectiveBenchmark.evaluate("branincurrin", new double[] {(Math.PI + 5) / 15, 2.275 / 15});
        assertEquals(0.397887, bc[0], 1e-6);
        assertEquals(3.0, MultiObjectiveBenchmark.evaluate("branincurrin", new double[] {0.0, 0.0})[1], 1e-15);
        // Currin at (0.5, 0.5): (1 - e^-1) (287.5 + 475 + 1046 + 60) / (12.5 + 125 + 2 + 20).
        assertEquals((1 - Math.exp(-1)) * 1868.5 / 159.5,
                MultiObjectiveBenchmark.evaluate("branincurrin", new double[] {0.5, 0.5})[1], 1e-12);
    }

    @Test
    void denseTrueFrontsReachTheClosedFormHypervolumes() {
        int n = 2001;
        double[][] zdt1 = new double[n][];
        double[][] zdt2 = new double[n][];
        double[][] dtlz2 = new double[n][];
        for (int i = 0; i < n; i++) {
            double u = i / (n - 1.0);
            zdt1[i] = MultiObjectiveBenchmark.evaluate("zdt1", new double[] {u, 0, 0, 0, 0, 0});
            zdt2[i] = MultiObjectiveBenchmark.evaluate("zdt2", new double[] {u, 0, 0, 0, 0, 0});
            dtlz2[i] = MultiObjectiveBenchmark.evaluate("dtlz2", new double[] {u, 0.5, 0.5, 0.5, 0.5, 0.5});
        }
        // 10 * 11 + integral over [0, 1] of (10 + sqrt(a)) or (10 + a^2); 1.21 - pi / 4.
        assertEquals(120 + 2.0 / 3, Hypervolume.of(zdt1, MultiObjectiveBenchmark.reference("zdt1")), 2e-3);
        assertEquals(120 + 1.0 / 3, Hypervolume.of(zdt2, MultiObjectiveBenchmark.reference("zdt2")), 2e-3);
        assertEquals(1.21 - Math.PI / 4, Hypervolume.of(dtlz2, MultiObjectiveBenchmark.reference("dtlz2")), 2e-3);
    }

    @Test
    void optionsAreValidated() {
        java.nio.file.Path p = java.nio.file.Path.of("x");
        assertThrows(IllegalArgumentException.class,
                () -> new MultiObjectiveBenchmark.Options(java.util.List.of("zdt3"), 10, 1, java.util.List.of("mobo"), p));
        assertThrows(IllegalArgumentException.class,
                () -> new MultiObjectiveBenchmark.Options(java.util.List.of("zdt1"), 10, 1, java.util.List.of("nsga3"), p));
        assertThrows(IllegalArgumentException.class,
                () -> new MultiObjectiveBenchmark.Options(java.util.List.of("zdt1"), 0, 1, java.util.List.of("mobo"), p));
    }
}
