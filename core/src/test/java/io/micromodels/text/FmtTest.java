package io.micromodels.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one number formatter: expectations worked out by hand from the documented rules. */
class FmtTest {

    @Test
    void labelsAreAsShortAsTheValueAllows() {
        assertEquals("2", Fmt.num(2.0));
        assertEquals("-0.5", Fmt.num(-0.5));
        assertEquals("0.0123", Fmt.num(0.012345));        // 3 + 1 decimals below 0.1, trailing zeros dropped
        assertEquals("12.35", Fmt.num(12.3456));
        assertEquals("1.23e+06", Fmt.num(1234567.0));     // whole but beyond 1e6: 3 significant digits
        assertEquals("1.50e-05", Fmt.num(1.5e-5));
        assertEquals("NaN", Fmt.num(Double.NaN));
        assertEquals("-inf", Fmt.num(Double.NEGATIVE_INFINITY));
        assertEquals("+0.25", Fmt.signed(0.25));
        assertEquals("-1", Fmt.signed(-1));
    }

    @Test
    void tableColumnsKeepDecimalsPerMagnitude() {
        assertEquals("1234", Fmt.measure(1234.4));
        assertEquals("123.4", Fmt.measure(123.4));
        assertEquals("12.35", Fmt.measure(12.3456));
        assertEquals("2.000", Fmt.measure(2.0));
        assertEquals("0.5000", Fmt.measure(0.5));
        assertEquals("-", Fmt.measure(Double.NaN));
        assertEquals("1.63x", Fmt.ratio(1.634));
        assertEquals("-", Fmt.ratio(Double.POSITIVE_INFINITY));
        assertEquals("12346", Fmt.rate(12345.6));
        assertEquals("12.30", Fmt.rate(12.3));
    }
}
