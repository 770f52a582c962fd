package io.micromodels.data;

import io.micromodels.frozen.plan.DateTimeStep;
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
 * Monday = 1, {@code 2π·(month − 1)/12}. With a trend ({@code trend = [mean, std]} or {@code [mean, std, min, max]}),
 * one more output: the date as fractional years since 1970 ({@link DateTimeStep#years(int, int, int, int)}), clipped
 * to {@code [min, max]} when given ({@link DateTimeStep#clipTrend}), standardised, 0 for a missing cell.
 */
final class CyclicalTimeTransform extends ExpandColumnTransform {
    private static final long serialVersionUID = 1L;
    private static final double TWO_PI = 2 * Math.PI;
    private final String pattern;
    private final boolean hasTime;
    private final double[] trend;
    private transient volatile Encoder encoder;

    /** @param trend [mean, std] or [mean, std, min, max] of the trend output, or null for none */
    CyclicalTimeTransform(String column, String pattern, boolean hasTime, double[] trend, List<String> outputs) {
        super(column, outputs);
        this.pattern = pattern;
        this.hasTime = hasTime;
        this.trend = trend == null ? null : trend.clone();
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
            e = new Encoder(pattern, hasTime, trend);
            encoder = e;
        }
        return e;
    }

    /**
     * The encoding itself, shared with {@link ColumnarTransform}: one date-time text → 6 (with time) or 4 values, plus
     * the trend value when there is a trend.
     */
    static final class Encoder {
        private final DateTimeFormatter formatter;
        private final boolean hasTime;
        private final double[] trend;

        /** @param trend [mean, std] or [mean, std, min, max] of the trend value, or null for none */
        Encoder(String pattern, boolean hasTime, double[] trend) {
            this.formatter = DateTimeFormat.forPattern(pattern).withZoneUTC();
            this.hasTime = hasTime;
            this.trend = trend == null ? null : trend.clone();
        }

        /** Number of values {@link #encode} writes. */
        int width() {
            return (hasTime ? 6 : 4) + (trend != null ? 1 : 0);
        }

        /**
         * Writes the hour pair (when the pattern has a time), then the day-of-week and month pairs, then the standardised
         * trend (when there is one), at {@code out[at..]}.
         */
        void encode(String s, double[] out, int at) {
            int dow;
            int month;
            double years;
            if (hasTime) {
                LocalDateTime t = formatter.parseLocalDateTime(s);
                double hour = t.getHourOfDay() + t.getMinuteOfHour() / 60.0 + t.getSecondOfMinute() / 3600.0;
                double a = TWO_PI * hour / 24.0;
                out[at++] = Math.sin(a);
                out[at++] = Math.cos(a);
                dow = t.getDayOfWeek();
                month = t.getMonthOfYear();
                years = DateTimeStep.years(t.getYear(), t.getDayOfYear(), t.dayOfYear().getMaximumValue(), t.getMillisOfDay() / 1000);
            } else {
                LocalDate d = formatter.parseLocalDate(s);
                dow = d.getDayOfWeek();
                month = d.getMonthOfYear();
                years = DateTimeStep.years(d.getYear(), d.getDayOfYear(), d.dayOfYear().getMaximumValue(), 0);
            }
            double d = TWO_PI * (dow - 1) / 7.0;
            out[at++] = Math.sin(d);
            out[at++] = Math.cos(d);
            double m = TWO_PI * (month - 1) / 12.0;
            out[at++] = Math.sin(m);
            out[at++] = Math.cos(m);
            if (trend != null) {
                out[at] = (DateTimeStep.clipTrend(years, trend) - trend[0]) / trend[1];
            }
        }
    }

    @Override
    public String toString() {
        return "CyclicalTimeTransform(" + column + ", " + pattern + ")";
    }
}
