package io.micromodels.spec;

import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.Activation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micromodels.json.StrictJson;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;

class MicromodelSpecTest {

    static MicromodelSpec example() {
        return Micromodel.classifier(2).input(20)
                .dense(32, Activation.RELU).dropout(0.1)
                .dense(16, Activation.TANH)
                .l1(1e-5).l2(1e-4).adam(1e-3).seed(7).epochs(50).batchSize(32).patience(5).build();
    }

    @Test
    void builderProducesTheDescribedSpec() {
        MicromodelSpec s = example();
        assertEquals(20, s.inputs());
        assertEquals(List.of(new HiddenLayer(32, Activation.RELU, 0.1), new HiddenLayer(16, Activation.TANH, 0)), s.hidden());
        assertEquals(TaskKind.MULTICLASS, s.output());
        assertEquals(2, s.outputs());
        assertEquals(Loss.CROSS_ENTROPY, s.loss());
        assertEquals(new Updater(Updater.Kind.ADAM, 1e-3), s.updater());
        assertEquals(7, s.seed());
        // 20*32+32 + 32*16+16 + 16*2+2
        assertEquals(672 + 528 + 34, s.parameterCount());
        assertEquals("20-32-16-2 relu", s.shape());
    }

    @Test
    void jsonRoundTripIsExact() {
        MicromodelSpec s = example();
        String json = s.toJson();
        MicromodelSpec back = MicromodelSpec.fromJson(json);
        assertEquals(s, back);
        assertEquals(json, back.toJson());
        assertTrue(json.contains("\"activation\" : \"relu\""), json);
        assertTrue(json.contains("\"kind\" : \"adam\""), json);
    }

    @Test
    void unknownKeyIsAnErrorNamingIt() {
        ObjectNode node = (ObjectNode) tree(example().toJson());
        node.put("learning_rate", 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MicromodelSpec.fromJson(node.toString()));
        assertTrue(e.getMessage().contains("unknown key 'learning_rate'"), e.getMessage());
    }

    @Test
    void unknownNestedKeyNamesItsPlace() {
        ObjectNode node = (ObjectNode) tree(example().toJson());
        ((ObjectNode) node.get("hidden").get(1)).put("dropout", 0.2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MicromodelSpec.fromJson(node.toString()));
        assertTrue(e.getMessage().contains("unknown key 'dropout'"), e.getMessage());
        assertTrue(e.getMessage().contains("hidden[1]"), e.getMessage());
    }

    @Test
    void missingKeyIsAnErrorNamingIt() {
        for (String key : List.of("seed", "l2", "patience", "hidden", "updater")) {
            ObjectNode node = (ObjectNode) tree(example().toJson());
            node.remove(key);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MicromodelSpec.fromJson(node.toString()), key);
            assertTrue(e.getMessage().contains("missing key '" + key + "'"), e.getMessage());
        }
        ObjectNode node = (ObjectNode) tree(example().toJson());
        ((ObjectNode) node.get("updater")).remove("learningRate");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MicromodelSpec.fromJson(node.toString()));
        assertTrue(e.getMessage().contains("missing key 'learningRate'"), e.getMessage());
    }

    @Test
    void invalidValuesNameFieldRangeAndValue() {
        ObjectNode node = (ObjectNode) tree(example().toJson());
        ((ObjectNode) node.get("updater")).put("learningRate", 1.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MicromodelSpec.fromJson(node.toString()));
        assertTrue(e.getMessage().contains("learningRate must be in (0, 1], got 1.5"), e.getMessage());

        ObjectNode bad = (ObjectNode) tree(example().toJson());
        ((ObjectNode) bad.get("hidden").get(0)).put("activation", "swish");
        e = assertThrows(IllegalArgumentException.class, () -> MicromodelSpec.fromJson(bad.toString()));
        assertTrue(e.getMessage().contains("swish"), e.getMessage());
        // one activation type for specs and frozen layers: softmax is an output activation, refused for a hidden layer
        ((ObjectNode) bad.get("hidden").get(0)).put("activation", "softmax");
        e = assertThrows(IllegalArgumentException.class, () -> MicromodelSpec.fromJson(bad.toString()));
        assertTrue(e.getMessage().contains("activation must be one of [identity, relu, leakyrelu, elu, tanh, sigmoid], got softmax"),
                e.getMessage());
        ((ObjectNode) bad.get("hidden").get(0)).put("activation", "TANH"); // the frozen format's spelling is not a spec's
        assertThrows(IllegalArgumentException.class, () -> MicromodelSpec.fromJson(bad.toString()));
        ((ObjectNode) bad.get("hidden").get(0)).put("activation", "tanh");
        assertEquals(Activation.TANH, MicromodelSpec.fromJson(bad.toString()).hidden().get(0).activation());
        assertTrue(MicromodelSpec.fromJson(bad.toString()).toJson().contains("\"activation\" : \"tanh\""));

        e = assertThrows(IllegalArgumentException.class, () -> new HiddenLayer(8, Activation.RELU, 1.0));
        assertEquals("dropRate must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Micromodel.classifier(1).input(3).build());
        assertEquals("outputs must be in [2, 10000] for a multiclass output, got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Micromodel.regressor().input(3).loss(Loss.CROSS_ENTROPY).build());
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Micromodel.binary().input(3).l2(-1).build());
        assertEquals("l2 must be in [0.0, 10.0], got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MicromodelSpec.fromJson("{\"inputs\": "));
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
    }

    @Test
    void configurationMapsLayersDropoutAndRegularisation() {
        MultiLayerConfiguration conf = example().toConfiguration();
        assertEquals(3, conf.getConfs().size());
        DenseLayer first = (DenseLayer) conf.getConf(0).getLayer();
        DenseLayer second = (DenseLayer) conf.getConf(1).getLayer();
        OutputLayer out = (OutputLayer) conf.getConf(2).getLayer();
        assertEquals(20, first.getNIn());
        assertEquals(32, first.getNOut());
        assertEquals(16, second.getNOut());
        assertEquals(2, out.getNOut());
        // drop 0.1 after layer 0 = DL4J retain probability 0.9 on layer 1's input; none elsewhere
        assertEquals(null, first.getIDropout());
        assertEquals(0.9, ((org.deeplearning4j.nn.conf.dropout.Dropout) second.getIDropout()).getP(), 1e-12);
        assertEquals(null, out.getIDropout());
        assertEquals(2, ((BaseLayer) first).getRegularization().size());
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return StrictJson.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
