package io.micromodels.data;

import org.datavec.api.writable.DoubleWritable;
import org.datavec.api.writable.NullWritable;
import org.datavec.api.writable.Writable;
import org.joda.time.LocalDate;
import org.joda.time.LocalDateTime;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;

import java.util.List;

/**
 * A date-time text column → sin/cos of hour of day (when the pattern has a time), day of week and month, parsed with
 * Joda-Time as DataVec's own time transforms are. A {@link NullWritable} (missing) gives zeros.
 *
 * <p>Why not DataVec's {@code StringToTimeTransform} + {@code DeriveColumnsFromTimeTransform}: they derive integer
 * fields only (a cyclical encoding would need a further chain of math transforms per field), they fail on a missing
 * cell, and whole hours lose the minutes. Angles: {@code 2π·(h + min/60 + s/3600)/24}, {@code 2π·(dow − 1)/7} with
 * Monday = 1, {@code 2π·(month − 1)/12}.
 */
final class CyclicalTimeTransform extends ExpandColumnTransform {
    private static final long serialVersionUID = 1L;
    private static final double TWO_PI = 2 * Math.PI;
    private final String pattern;
    private final boolean hasTime;
    private transient volatile Encoder encoder;

    CyclicalTimeTransform(String column, String pattern, boolean hasTime, List<String> outputs) {
        super(column, outputs);
        this.pattern = pattern;
        this.hasTime = hasTime;
    }

    @Override
    void expand(Writable cell, List<Writable> out) {
        if (cell instanceof NullWritable) {
            for (int i = 0; i < outputs.size(); i++) {
                out.add(new DoubleWritable(0.0));
            }
            return;
        }
        double[] v = new double[outputs.size()];
        encoder().encode(cell.toString(), v, 0);
        for (double d : v) {
            out.add(new DoubleWritable(d));
        }
    }

    private Encoder encoder() {
        Encoder e = encoder;
        if (e == null) {
            e = new Encoder(pattern, hasTime);
            encoder = e;
        }
        return e;
    }

    /** The encoding itself, shared with {@link ColumnarTransform}: one date-time text → 6 (with time) or 4 values. */
    static final class Encoder {
        private final DateTimeFormatter formatter;
        private final boolean hasTime;

        Encoder(String pattern, boolean hasTime) {
            this.formatter = DateTimeFormat.forPattern(pattern).withZoneUTC();
            this.hasTime = hasTime;
        }

        /** Writes the hour pair (when the pattern has a time), then the day-of-week and month pairs, at {@code out[at..]}. */
        void encode(String s, double[] out, int at) {
            int dow;
            int month;
            if (hasTime) {
                LocalDateTime t = formatter.parseLocalDateTime(s);
                double hour = t.getHourOfDay() + t.getMinuteOfHour() / 60.0 + t.getSecondOfMinute() / 3600.0;
                double a = TWO_PI * hour / 24.0;
                out[at++] = Math.sin(a);
                out[at++] = Math.cos(a);
                dow = t.getDayOfWeek();
                month = t.getMonthOfYear();
            } else {
                LocalDate d = formatter.parseLocalDate(s);
                dow = d.getDayOfWeek();
                month = d.getMonthOfYear();
            }
            double d = TWO_PI * (dow - 1) / 7.0;
            out[at++] = Math.sin(d);
            out[at++] = Math.cos(d);
            double m = TWO_PI * (month - 1) / 12.0;
            out[at++] = Math.sin(m);
            out[at] = Math.cos(m);
        }
    }

    @Override
    public String toString() {
        return "CyclicalTimeTransform(" + column + ", " + pattern + ")";
    }
}
