package io.micromodels.frozen.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;

import io.micromodels.frozen.InvalidCellException;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A date-time column as cyclical features: {@code hour_sin, hour_cos} (only when the pattern has a time of day),
 * {@code dow_sin, dow_cos}, {@code month_sin, month_cos}, then optionally a trend feature {@code trend} (the date as
 * fractional years since 1970, see {@link #years}, first clipped to the training split's range {@code [min, max]}, then
 * standardised: {@code (clip(years, min, max) − mean) / std} with {@code trend = [mean, std, min, max]} of the training
 * split; a missing cell gives 0, the mean), then optionally a missing-indicator feature. The clipping keeps a date
 * beyond the training dates (every test date of a time-ordered split) from pushing the network outside the range it
 * was trained on: it sees the last trained level instead. A plan written before the clipping existed has
 * {@code trend = [mean, std]} and does not clip. The JSON key {@code trend} is written only when there is a trend, and
 * may be absent (a plan written before it existed).
 *
 * <p>Angles: hour of day {@code 2π·(h + min/60 + s/3600)/24}; day of week {@code 2π·(d − 1)/7} with Monday = 1;
 * month {@code 2π·(m − 1)/12}. So 06:00 gives hour_sin = 1, hour_cos = 0. A missing cell gives zeros (the centre of
 * every circle: no information). The pattern is a {@link DateTimeFormatter} pattern such as {@code yyyy-MM-dd HH:mm:ss};
 * local time, no zone; parsing is strict (no 30 February, no hour 24), see {@link #formatter(String)}.
 */
@JsonPropertyOrder({"column", "pattern", "hasTime", "indicator", "trend"})
@JsonIgnoreProperties(ignoreUnknown = false)
public final class DateTimeStep implements Step {
    private static final double TWO_PI = 2 * Math.PI;
    private final String column;
    private final String pattern;
    private final boolean hasTime;
    private final boolean indicator;
    private final DateTimeFormatter formatter;
    /** [mean, std] or [mean, std, min, max] of the trend feature, or null for none; set only at construction (or by Jackson right after it). */
    private double[] trend;

    /** A step with a trend feature standardised by {@code trendMean, trendStd} (std finite and > 0), not clipped. */
    public DateTimeStep(String column, String pattern, boolean hasTime, boolean indicator, double trendMean, double trendStd) {
        this(column, pattern, hasTime, indicator);
        setTrend(new double[]{trendMean, trendStd});
    }

    /**
     * A step with a trend feature clipped to {@code [trendMin, trendMax]} (the training range, in years since 1970) and
     * standardised by {@code trendMean, trendStd} (std finite and > 0).
     */
    public DateTimeStep(String column, String pattern, boolean hasTime, boolean indicator, double trendMean, double trendStd,
                        double trendMin, double trendMax) {
        this(column, pattern, hasTime, indicator);
        setTrend(new double[]{trendMean, trendStd, trendMin, trendMax});
    }

    @JsonCreator
    public DateTimeStep(@JsonProperty(value = "column", required = true) String column,
                        @JsonProperty(value = "pattern", required = true) String pattern,
                        @JsonProperty(value = "hasTime", required = true) boolean hasTime,
                        @JsonProperty(value = "indicator", required = true) boolean indicator) {
        this.column = Objects.requireNonNull(column, "column");
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.hasTime = hasTime;
        this.indicator = indicator;
        this.formatter = formatter(pattern);
    }

    /**
     * A strict, locale-independent formatter for a pattern: {@code y} (year of era) is read as {@code u} (proleptic year)
     * so that {@link ResolverStyle#STRICT} needs no era field; letters inside quotes are left alone.
     *
     * @throws IllegalArgumentException for an invalid pattern
     */
    public static DateTimeFormatter formatter(String pattern) {
        StringBuilder sb = new StringBuilder(pattern.length());
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            sb.append(!quoted && c == 'y' ? 'u' : c);
        }
        return DateTimeFormatter.ofPattern(sb.toString(), Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    }

    @Override
    @JsonProperty("column")
    public String column() {
        return column;
    }

    @JsonProperty("pattern")
    public String pattern() {
        return pattern;
    }

    /** Whether the pattern carries a time of day (then the hour features are present). */
    @JsonProperty("hasTime")
    public boolean hasTime() {
        return hasTime;
    }

    @JsonProperty("indicator")
    public boolean indicator() {
        return indicator;
    }

    /** [mean, std] or [mean, std, min, max] of the trend feature (a copy), or null when the step has none. */
    @JsonProperty("trend")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public double[] trend() {
        return trend == null ? null : trend.clone();
    }

    @JsonSetter("trend")
    private void setTrend(double[] t) {
        if (t == null) {
            return;
        }
        if ((t.length != 2 && t.length != 4) || !Double.isFinite(t[0]) || !Double.isFinite(t[1]) || !(t[1] > 0)
                || t.length == 4 && !(Double.isFinite(t[2]) && Double.isFinite(t[3]) && t[2] <= t[3])) {
            throw new IllegalArgumentException("datetime step '" + column + "': trend must be [mean, std] or [mean, std, min, max] with finite "
                    + "values, std > 0 and min <= max, got " + Arrays.toString(t));
        }
        this.trend = t.clone();
    }

    /** {@code years} clipped to {@code trend[2..3]} when the trend has a range ({@code [mean, std, min, max]}), else as is. */
    public static double clipTrend(double years, double[] trend) {
        return trend.length == 4 ? Math.min(trend[3], Math.max(trend[2], years)) : years;
    }

    /**
     * A date as fractional years since 1970: {@code year − 1970 + (dayOfYear − 1 + secondOfDay / 86400) / daysInYear}, so
     * 2020-07-02 00:00 (day 184 of 366) is 50.5. The one definition of the trend value, shared by every path.
     */
    public static double years(int year, int dayOfYear, int daysInYear, int secondOfDay) {
        return (year - 1970) + (dayOfYear - 1 + secondOfDay / 86400.0) / daysInYear;
    }

    /** {@link #years(int, int, int, int)} of a local date-time. */
    public static double years(LocalDateTime t) {
        return years(t.getYear(), t.getDayOfYear(), t.toLocalDate().lengthOfYear(), t.toLocalTime().toSecondOfDay());
    }

    /** Fractional years since 1970 of a non-missing cell (stripped, parsed with {@code formatter}). */
    public static double years(String cell, DateTimeFormatter formatter, boolean hasTime) {
        String s = cell.strip();
        return hasTime ? years(LocalDateTime.parse(s, formatter)) : years(LocalDate.parse(s, formatter).atStartOfDay());
    }

    @Override
    public int width() {
        return (hasTime ? 6 : 4) + (trend != null ? 1 : 0) + (indicator ? 1 : 0);
    }

    @Override
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(width());
        if (hasTime) {
            names.add(column + ":hour_sin");
            names.add(column + ":hour_cos");
        }
        names.add(column + ":dow_sin");
        names.add(column + ":dow_cos");
        names.add(column + ":month_sin");
        names.add(column + ":month_cos");
        if (trend != null) {
            names.add(column + ":trend");
        }
        if (indicator) {
            names.add(column + ":missing");
        }
        return names;
    }

    @Override
    public void apply(String cell, double[] out, int offset) {
        if (Cells.isMissing(cell)) {
            Arrays.fill(out, offset, offset + width(), 0.0);
            if (indicator) {
                out[offset + width() - 1] = 1;
            }
            return;
        }
        int o = offset;
        LocalDate date;
        double years;
        try {
            if (hasTime) {
                LocalDateTime t = LocalDateTime.parse(cell.strip(), formatter);
                years = years(t);
                double hour = t.getHour() + t.getMinute() / 60.0 + t.getSecond() / 3600.0;
                double a = TWO_PI * hour / 24.0;
                out[o++] = Math.sin(a);
                out[o++] = Math.cos(a);
                date = t.toLocalDate();
            } else {
                date = LocalDate.parse(cell.strip(), formatter);
                years = years(date.atStartOfDay());
            }
        } catch (DateTimeParseException e) {
            throw InvalidCellException.withMessage(column, cell, "column '" + column + "': '" + cell + "' does not match the date-time pattern " + pattern, e);
        }
        double d = TWO_PI * (date.getDayOfWeek().getValue() - 1) / 7.0;
        out[o++] = Math.sin(d);
        out[o++] = Math.cos(d);
        double m = TWO_PI * (date.getMonthValue() - 1) / 12.0;
        out[o++] = Math.sin(m);
        out[o++] = Math.cos(m);
        if (trend != null) {
            out[o++] = (clipTrend(years, trend) - trend[0]) / trend[1];
        }
        if (indicator) {
            out[o] = 0;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DateTimeStep s && column.equals(s.column) && pattern.equals(s.pattern)
                && hasTime == s.hasTime && indicator == s.indicator && Arrays.equals(trend, s.trend);
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, pattern, hasTime, indicator, Arrays.hashCode(trend));
    }

    @Override
    public String toString() {
        return "datetime " + column + " (" + pattern + ")";
    }
}
