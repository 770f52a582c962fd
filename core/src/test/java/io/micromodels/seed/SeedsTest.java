package io.micromodels.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void mixIsSplitMix64() {
        // SplitMix64 seeded with 0: its first output is 0xE220A8397B1DCDAF (reference implementation, Vigna's splitmix64.c).
        assertEquals(0xE220A8397B1DCDAFL, Seeds.mix(0x9E3779B97F4A7C15L));
    }

    @Test
    void hashIsFnv1a() {
        // Published FNV-1a 64-bit test vectors: "" and "a".
        assertEquals(0xAF63DC4C8601EC8CL, Seeds.hash("a"));
        assertEquals(0x85944171F73967E8L, Seeds.hash("foobar"));
    }

    @Test
    void forksAreDeterministicAndDistinct() {
        assertEquals(Seeds.fork(42, Seeds.SPLIT), Seeds.fork(42, Seeds.SPLIT));
        Set<Long> seen = new HashSet<>();
        for (long root : new long[] {0, 1, 42, -1}) {
            for (String purpose : List.of(Seeds.SPLIT, Seeds.INIT, Seeds.SAMPLER, Seeds.BATCH_ORDER, Seeds.DROPOUT)) {
                seen.add(Seeds.fork(root, purpose));
                for (int i = 0; i < 50; i++) {
                    seen.add(Seeds.fork(root, purpose, i));
                }
            }
        }
        assertEquals(4 * 5 * 51, seen.size());
        assertNotEquals(Seeds.fork(1, Seeds.INIT, 0), Seeds.fork(1, Seeds.INIT));
        assertEquals(Seeds.random(7, Seeds.SAMPLER).nextLong(), Seeds.random(7, Seeds.SAMPLER).nextLong());
    }

    @Test
    void emptyPurposeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seeds.fork(1, ""));
        assertEquals("purpose: expected a non-empty name, got \"\"", e.getMessage());
    }
}
