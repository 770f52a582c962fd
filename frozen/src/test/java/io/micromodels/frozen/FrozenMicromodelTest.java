package io.micromodels.frozen;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrozenMicromodelTest {

    /** Binary model with one sigmoid output: p = sigmoid(x0 - x1). */
    static FrozenMicromodel sigmoidBinary() {
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1}, {-1}}, new double[] {0}, Activation.SIGMOID));
        return FrozenMicromodel.of(IdentityPipeline.of("x0", "x1"), net, FrozenMetadata.binary("y", "no", "yes"));
    }

    @Test
    void sigmoidBinaryReportsBothClassProbabilities() {
        FrozenMicromodel m = sigmoidBinary();
        Prediction p = m.predict(new String[] {"2.75", "2"}); // sigmoid(0.75)
        assertEquals(0.679178699175393, p.probability("yes"), 1e-15);
        assertEquals(1 - 0.679178699175393, p.probability("no"), 1e-15);
        assertEquals("yes", p.label());
        assertEquals(1, p.labelIndex());
        assertEquals("no", m.predict(new String[] {"-1", "1"}).label());
        assertEquals("no", m.predict(new String[] {"1", "1"}).label(), "a 0.5 tie goes to the first label");
        assertEquals(2, m.outputWidth());
        assertEquals(List.of("probability_no", "probability_yes"), m.metadata().outputNames());
        assertEquals(p, m.predict(Map.of("x1", "2", "x0", "2.75")));
    }

    @Test
    void softmaxBinaryAndMulticlass() {
        // logits = x (identity weights), softmax
        FrozenNetwork net2 = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0}, Activation.SOFTMAX));
        FrozenMicromodel bin = FrozenMicromodel.of(IdentityPipeline.of("a", "b"), net2, FrozenMetadata.binary("t", "neg", "pos"));
        Prediction p = bin.predict(new String[] {"2.5", "2"});
        assertArrayEquals(new double[] {0.6224593312018546, 0.37754066879814546}, p.values(), 1e-15);
        assertEquals("neg", p.label());

        FrozenNetwork net3 = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, new double[3], Activation.SOFTMAX));
        FrozenMicromodel multi = FrozenMicromodel.of(IdentityPipeline.of("a", "b", "c"), net3,
                FrozenMetadata.multiclass("species", List.of("setosa", "versicolor", "virginica")));
        Prediction q = multi.predict(new String[] {"0", " 1 ", "0"});
        double e = Math.E;
        assertEquals(e / (2 + e), q.probability("versicolor"), 1e-15);
        assertEquals(1 / (2 + e), q.probability(0), 1e-15);
        assertEquals("versicolor", q.label());
        assertThrows(IllegalStateException.class, q::value);
    }

    @Test
    void regressionAppliesTargetScaling() {
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{2}, {3}}, new double[] {1}, Activation.IDENTITY));
        FrozenMicromodel m = FrozenMicromodel.of(IdentityPipeline.of("a", "b"), net, FrozenMetadata.regression("price", 10, -5));
        Prediction p = m.predict(new String[] {"1", "2"}); // (2 + 6 + 1) * 10 - 5
        assertEquals(85.0, p.value(), 0.0);
        assertNull(p.label());
        assertEquals(-1, p.labelIndex());
        double[] out = new double[3];
        m.predictFeaturesBatch(new double[] {1, 2, 0, 0, -1, 0}, 3, out);
        assertArrayEquals(new double[] {85, 5, -15}, out, 0.0);
    }

    @Test
    void badCellsNameColumnValueAndRow() {
        FrozenMicromodel m = sigmoidBinary();
        InvalidCellException e = assertThrows(InvalidCellException.class, () -> m.predict(new String[] {"1", "abc"}));
        assertEquals("x1", e.column());
        assertEquals("abc", e.value());
        assertTrue(e.getMessage().contains("column 'x1'") && e.getMessage().contains("'abc'"), e.getMessage());
        e = assertThrows(InvalidCellException.class, () -> m.predict(new String[] {"", "1"}));
        assertTrue(e.getMessage().contains("column 'x0': missing value"), e.getMessage());
        e = assertThrows(InvalidCellException.class, () -> m.predict(new String[] {"1.5f", "1"}));
        assertTrue(e.getMessage().contains("'1.5f'"), e.getMessage());
        e = assertThrows(InvalidCellException.class, () -> m.predict(new String[] {"NaN", "1"}));
        assertTrue(e.getMessage().contains("not a finite number"), e.getMessage());

        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> m.predictBatch(List.of(new String[] {"1", "2"}, new String[] {"1", "2"}, new String[] {"x", "2"})));
        assertTrue(b.getMessage().startsWith("row 2: column 'x0'"), b.getMessage());
        b = assertThrows(IllegalArgumentException.class, () -> m.predict(new String[] {"1"}));
        assertTrue(b.getMessage().contains("1 cells, expected 2"), b.getMessage());
        b = assertThrows(IllegalArgumentException.class, () -> m.predict(Map.of("x0", "1")));
        assertTrue(b.getMessage().contains("missing column 'x1'"), b.getMessage());
        b = assertThrows(IllegalArgumentException.class, () -> m.predict(Map.of("x0", "1", "x1", "2", "x2", "3")));
        assertTrue(b.getMessage().contains("unknown column 'x2'"), b.getMessage());
    }

    @Test
    void batchMatchesSingleRows() {
        FrozenMicromodel m = FrozenMicromodel.of(IdentityPipeline.of("a", "b", "c"),
                TestNets.random(8, Activation.RELU, Activation.SOFTMAX, 3, 16, 4), FrozenMetadata.multiclass("k", List.of("w", "x", "y", "z")));
        List<String[]> rows = new ArrayList<>();
        for (int r = 0; r < 37; r++) rows.add(new String[] {Double.toString(r * 0.1), Double.toString(-r), "0.5"});
        List<Prediction> batch = m.predictBatch(rows);
        for (int r = 0; r < rows.size(); r++) assertEquals(m.predict(rows.get(r)), batch.get(r), "row " + r);
    }

    @Test
    void inconsistentPiecesAreRejected() {
        FrozenNetwork net = TestNets.random(1, Activation.RELU, Activation.SOFTMAX, 3, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrozenMicromodel.of(IdentityPipeline.of("a", "b"), net, FrozenMetadata.multiclass("k", List.of("x", "y", "z"))));
        assertTrue(e.getMessage().contains("pipeline produces 2 features but the network's input width is 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FrozenMicromodel.of(IdentityPipeline.of("a", "b", "c"), net, FrozenMetadata.multiclass("k", List.of("x", "y"))));
        assertTrue(e.getMessage().contains("must end in 2 SOFTMAX outputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FrozenMicromodel.of(IdentityPipeline.of("a", "b", "c"), net, FrozenMetadata.binary("k", "x", "y")));
        assertTrue(e.getMessage().contains("BINARY network must end in"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FrozenMicromodel.of(IdentityPipeline.of("a", "b", "c"), net, FrozenMetadata.regression("k")));
        assertTrue(e.getMessage().contains("3 outputs but metadata names 1"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> FrozenMetadata.multiclass("k", List.of("x", "x")));
        assertTrue(e.getMessage().contains("duplicate 'x'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new FrozenMetadata(TaskKind.BINARY, "k", List.of("a", "b"), List.of("pa", "pb"), 2, 0));
        assertTrue(e.getMessage().contains("targetScale = 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FrozenMetadata.regression("k", 0, 1));
        assertTrue(e.getMessage().contains("targetScale must be finite and non-zero"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IdentityPipeline.of("a", "a"));
        assertTrue(e.getMessage().contains("duplicate column 'a'"), e.getMessage());
    }
}
