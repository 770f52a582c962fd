package io.micromodels.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {

    @Test
    void pairsKeepOrderAndRepeatsAndNameAFlagWithoutValue() {
        List<Map.Entry<String, String>> p = Flags.pairs(new String[] {"--seeds", "3", "--datasets", "a,b", "--seeds", "5"});
        assertEquals(List.of(Map.entry("--seeds", "3"), Map.entry("--datasets", "a,b"), Map.entry("--seeds", "5")), p);
        assertEquals(List.of(), Flags.pairs(new String[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Flags.pairs(new String[] {"--seeds", "3", "--trials"}));
        assertEquals("--trials needs a value", e.getMessage());
        assertEquals(List.of(Map.entry("--seeds", "3"), Map.entry("--help", ""), Map.entry("--trials", "4")),
                Flags.pairs(new String[] {"--seeds", "3", "--help", "--trials", "4"}));
        assertEquals(List.of(Map.entry("-h", "")), Flags.pairs(new String[] {"-h"}));
    }
}
