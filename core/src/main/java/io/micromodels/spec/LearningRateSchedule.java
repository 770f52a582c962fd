package io.micromodels.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * How a micromodel's learning rate changes over its epochs: a factor of the {@link Updater}'s base rate, set once at
 * the start of each epoch (every minibatch of epoch {@code e} uses the same rate) by both trainers. The horizon is the
 * spec's {@code epochs}: early stopping may end training before the schedule has run its course (set
 * {@code patience} 0, or large, to run it all).
 *
 * <p>With base rate {@code a}, {@code E} epochs, {@code e = 0 .. E-1} and warm-up fraction {@code f}:
 * <ul>
 *   <li>{@code constant}: {@code a}, after a linear warm-up {@code a (e + 1) / W} for the first {@code W = floor(f E)}
 *       epochs (none when {@code f = 0});</li>
 *   <li>{@code cosine}: the same warm-up, then {@code a (1 + cos(pi (e - W) / (E - W))) / 2}: PyTorch's
 *       {@code CosineAnnealingLR(T_max = E - W, eta_min = 0)} stepped once an epoch after the warm-up (it never reaches
 *       0: the last epoch's factor is {@code (1 + cos(pi (E - W - 1) / (E - W))) / 2});</li>
 *   <li>{@code one_cycle}: PyTorch's {@code OneCycleLR(max_lr = a, total_steps = E, pct_start = f,
 *       anneal_strategy = 'cos', div_factor = 25, final_div_factor = 1e4, three_phase = False)} stepped once an
 *       epoch: from {@code a / 25} up to {@code a} at epoch {@code p = f E - 1} along a half cosine, then down to
 *       {@code a / 25e4} at epoch {@code E - 1}; {@code f} in (0, 1) is required (0.3 is PyTorch's default). PyTorch
 *       also cycles Adam's beta1 between 0.95 and 0.85 by default; this schedule leaves beta1 at 0.9.</li>
 * </ul>
 *
 * @param kind   the shape
 * @param warmup fraction of the epochs spent warming up, in [0, 1); for {@code one_cycle} the rising phase, in (0, 1)
 */
public record LearningRateSchedule(Kind kind, double warmup) implements java.io.Serializable {

    /** The schedule shapes a spec can name. */
    public enum Kind {
        @JsonProperty("constant") CONSTANT,
        @JsonProperty("cosine") COSINE,
        @JsonProperty("one_cycle") ONE_CYCLE;

        /** The name in JSON and on the command line. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The kind named {@code name} ({@code constant}, {@code cosine}, {@code one_cycle}; case and {@code -}/{@code _}
         * do not matter).
         *
         * @throws IllegalArgumentException naming the allowed values
         */
        public static Kind parse(String name) {
            String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Kind k : values()) {
                if (k.name().equals(n)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("learning-rate schedule must be one of [constant, cosine, one_cycle], got '" + name + "'");
        }
    }

    /** One-cycle's starting rate is {@code a / DIV_FACTOR} (PyTorch's {@code div_factor}). */
    public static final double DIV_FACTOR = 25;
    /** One-cycle's last rate is {@code a / (DIV_FACTOR * FINAL_DIV_FACTOR)} (PyTorch's {@code final_div_factor}). */
    public static final double FINAL_DIV_FACTOR = 1e4;
    /** PyTorch's default one-cycle rising fraction ({@code pct_start}). */
    public static final double ONE_CYCLE_DEFAULT_WARMUP = 0.3;
    /** No schedule: the base rate every epoch. */
    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 0);

    /** Validates every field; messages name the field, the allowed range and the value. */
    public LearningRateSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("schedule kind must be one of [constant, cosine, one_cycle], got null");
        }
        if (kind == Kind.ONE_CYCLE) {
            if (!(warmup > 0 && warmup < 1)) {
                throw new IllegalArgumentException("schedule warmup must be in (0, 1) for one_cycle (its rising fraction), got " + warmup);
            }
        } else if (!(warmup >= 0 && warmup < 1)) {
            throw new IllegalArgumentException("schedule warmup must be in [0, 1), got " + warmup);
        }
    }

    /** A cosine decay after {@code warmup} of the epochs. */
    public static LearningRateSchedule cosine(double warmup) {
        return new LearningRateSchedule(Kind.COSINE, warmup);
    }

    /** A one-cycle schedule rising for {@code warmup} of the epochs. */
    public static LearningRateSchedule oneCycle(double warmup) {
        return new LearningRateSchedule(Kind.ONE_CYCLE, warmup);
    }

    /** Whether this is the constant rate without warm-up (what specs had before schedules existed). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isConstant() {
        return kind == Kind.CONSTANT && warmup == 0;
    }

    /**
     * The factor of the base learning rate in epoch {@code epoch} of {@code epochs}.
     *
     * @param epoch  0-based epoch, {@code >= 0} (epochs past the horizon get the last epoch's factor)
     * @param epochs the horizon {@code E}, {@code >= 1}
     * @return a factor in (0, 1]
     */
    public double factor(int epoch, int epochs) {
        if (epochs < 1 || epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0 and epochs >= 1, got epoch " + epoch + " of " + epochs);
        }
        int e = Math.min(epoch, epochs - 1);
        if (kind == Kind.ONE_CYCLE) {
            double initial = 1 / DIV_FACTOR;
            double min = initial / FINAL_DIV_FACTOR;
            double up = warmup * epochs - 1;
            double down = epochs - 1;
            if (e <= up) {
                return anneal(initial, 1, up <= 0 ? 1 : e / up);
            }
            return anneal(1, min, (e - up) / (down - up));
        }
        int w = (int) Math.floor(warmup * epochs);
        if (e < w) {
            return (e + 1) / (double) w;
        }
        if (kind == Kind.CONSTANT) {
            return 1;
        }
        return 0.5 * (1 + Math.cos(Math.PI * (e - w) / (epochs - w)));
    }

    /** PyTorch's {@code _annealing_cos}: from {@code start} at {@code pct} 0 to {@code end} at 1 along a half cosine. */
    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }

    /** A short description, e.g. {@code cosine (warm-up 0.05)}. */
    public String describe() {
        return warmup == 0 ? kind.jsonName() : String.format(Locale.ROOT, "%s (warm-up %s)", kind.jsonName(), warmup);
    }
}
