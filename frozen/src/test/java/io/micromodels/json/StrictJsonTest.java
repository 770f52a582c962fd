package io.micromodels.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one strict mapper's rules, each checked on a small record. */
class StrictJsonTest {
    enum Colour { RED, GREEN }

    record Point(int n, double x, String name, Colour colour, List<Double> more) {
    }

    private static String read(String json) {
        return assertThrows(IllegalArgumentException.class, () -> StrictJson.read(json, Point.class, "point.json")).getMessage();
    }

    @Test
    void roundTripsAndReadsAValidRecord() {
        Point p = new Point(3, 0.1, "a", Colour.GREEN, List.of(1.0, -2.5));
        assertEquals(p, StrictJson.read(StrictJson.write(p), Point.class, "p"));
        assertEquals(p, StrictJson.read(StrictJson.writeLine(p), Point.class, "p"));
        assertEquals(-1, StrictJson.writeLine(p).indexOf('\n'));
        assertTrue(StrictJson.write(p).contains("\n"));
    }

    @Test
    void unknownMissingAndNullKeysAreErrors() {
        String msg = read("{\"n\":1,\"x\":1,\"name\":\"a\",\"colour\":\"RED\",\"more\":[],\"nam\":\"b\"}");
        assertTrue(msg.startsWith("point.json: unknown key 'nam'"), msg);
        msg = read("{\"n\":1,\"x\":1,\"colour\":\"RED\",\"more\":[]}");
        assertTrue(msg.startsWith("point.json: missing key 'name'"), msg);
        msg = read("{\"n\":1,\"x\":1,\"name\":null,\"colour\":\"RED\",\"more\":[]}");
        assertTrue(msg.startsWith("point.json: key 'name' must not be null"), msg);
    }

    @Test
    void duplicateKeysAreErrors() throws Exception {
        String msg = read("{\"n\":1,\"n\":2,\"x\":1,\"name\":\"a\",\"colour\":\"RED\",\"more\":[]}");
        assertTrue(msg.contains("Duplicate field 'n'"), msg);
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                () -> StrictJson.mapper().readTree("{\"a\":1,\"a\":1}"));
    }

    @Test
    void nothingIsCoerced() {
        String ok = "{\"n\":1,\"x\":1,\"name\":\"a\",\"colour\":\"RED\",\"more\":[]}";
        assertEquals(1, StrictJson.read(ok, Point.class, "p").n());
        for (String bad : List.of(ok.replace("\"n\":1", "\"n\":1.5"), ok.replace("\"n\":1", "\"n\":\"1\""),
                ok.replace("\"x\":1", "\"x\":\"1\""), ok.replace("\"name\":\"a\"", "\"name\":1"),
                ok.replace("\"name\":\"a\"", "\"name\":true"), ok.replace("\"colour\":\"RED\"", "\"colour\":0"),
                ok.replace("\"more\":[]", "\"more\":1.0"), ok.replace("\"n\":1", "\"n\":2147483648"),
                ok + " {}")) {
            read(bad);
        }
    }

    @Test
    void doublesRoundTripBitForBit() {
        Random r = new Random(7);
        double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 1.0 / 3, Math.PI};
        for (int i = 0; i < 2000; i++) {
            double x = i < special.length ? special[i] : Double.longBitsToDouble(r.nextLong());
            Point back = StrictJson.read(StrictJson.write(new Point(0, x, "", Colour.RED, List.of(x))), Point.class, "p");
            assertEquals(Double.doubleToLongBits(x), Double.doubleToLongBits(back.x()), "x = " + x);
            assertEquals(Double.doubleToLongBits(x), Double.doubleToLongBits(back.more().get(0)), "more[0] = " + x);
        }
    }
}
