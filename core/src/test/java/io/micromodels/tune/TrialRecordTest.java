package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import org.junit.jupiter.api.Test;

class TrialRecordTest {
    static final MicromodelSpec SPEC = Micromodel.classifier(2).input(5).dense(8, Activation.TANH).adam(0.01).build();

    @Test
    void roundTripsExactlyIncludingNanScore() {
        TrialRecord ok = new TrialRecord("0badcafe-0001", 1, new double[] {0.1, 0.123456789012345, 1.0}, SPEC, 42, 0.8125,
                "auc", 17, 9, 0.25, 0.3, TrialStatus.COMPLETE, "");
        assertEquals(ok, TrialRecord.fromJson(ok.toJsonLine()));
        assertTrue(!ok.toJsonLine().contains("\n"));
        TrialRecord failed = new TrialRecord("0badcafe-0002", 2, new double[] {0.5, 0.5, 0.5}, SPEC, 42, Double.NaN,
                "auc", 3, 0, 0.1, 0.2, TrialStatus.DIVERGED, "a loss became non-finite at epoch 3");
        assertEquals(failed, TrialRecord.fromJson(failed.toJsonLine()));
    }

    @Test
    void unknownAndMissingKeysAreNamed() {
        String line = new TrialRecord("0badcafe-0001", 1, new double[] {0.1}, SPEC, 42, 0.8, "auc", 1, 1, 0, 0,
                TrialStatus.COMPLETE, "").toJsonLine();
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> TrialRecord.fromJson(line.replace("{\"id\"", "{\"colour\":1,\"id\"")));
        assertTrue(extra.getMessage().contains("unknown key 'colour'"), extra.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TrialRecord.fromJson(line.replace("\"metric\":\"auc\",", "")));
        assertTrue(missing.getMessage().contains("missing key 'metric'"), missing.getMessage());
    }

    @Test
    void validatesFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrialRecord("x-1", 1,
                new double[] {1.5}, SPEC, 42, 0.8, "auc", 1, 1, 0, 0, TrialStatus.COMPLETE, ""));
        assertEquals("point[0] must be in [0, 1], got 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrialRecord("x-1", 1, new double[] {0.5}, SPEC, 42,
                Double.NaN, "auc", 1, 1, 0, 0, TrialStatus.COMPLETE, ""));
    }
}
