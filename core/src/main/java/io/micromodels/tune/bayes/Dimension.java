package io.micromodels.tune.bayes;

import java.util.Objects;

/**
 * How one coordinate of the unit cube {@code [0,1]^d} is to be read: a continuous value, one of
 * {@code levels} ordered integers, or one of {@code levels} unordered categories.
 *
 * <p>Every kind is encoded in {@code [0,1]}. A discrete coordinate (integer or categorical) with
 * {@code k} levels splits {@code [0,1]} into {@code k} equal bins; level {@code i} (0-based) is
 * encoded by the bin's centre {@code (i + 0.5) / k} and any value in the bin decodes to {@code i}
 * (so {@code floor(u * k)}, the usual way a {@code [0,1]} value is mapped to a level). Valid
 * encodings of a discrete coordinate are exactly the bin centres; the optimiser only ever proposes
 * valid encodings. The Gaussian process treats integer levels as ordered points on the line and
 * categories as unordered (two categories are either equal or not, at one length scale's distance).
 *
 * @param kind   the kind of coordinate, never null
 * @param levels number of levels of a discrete coordinate ({@code >= 2}); 0 for a continuous one
 */
public record Dimension(Kind kind, int levels) {

    /** The kinds of coordinate. */
    public enum Kind {
        /** Any value in {@code [0,1]}. */
        CONTINUOUS,
        /** One of {@code levels} ordered values. */
        INTEGER,
        /** One of {@code levels} unordered choices. */
        CATEGORICAL
    }

    /** Validates the fields; see the class Javadoc. */
    public Dimension {
        Objects.requireNonNull(kind, "kind must not be null");
        if (kind == Kind.CONTINUOUS) {
            if (levels != 0) {
                throw new IllegalArgumentException("levels must be 0 for a CONTINUOUS dimension, got " + levels);
            }
        } else if (levels < 2) {
            throw new IllegalArgumentException("levels must be >= 2 for a " + kind + " dimension, got " + levels);
        }
    }

    /** @return a continuous coordinate */
    public static Dimension continuous() {
        return new Dimension(Kind.CONTINUOUS, 0);
    }

    /**
     * @param levels number of integer values ({@code >= 2}), e.g. {@code max - min + 1}
     * @return an ordered integer coordinate with that many levels
     */
    public static Dimension integer(int levels) {
        return new Dimension(Kind.INTEGER, levels);
    }

    /**
     * @param choices number of categories ({@code >= 2})
     * @return an unordered categorical coordinate with that many choices
     */
    public static Dimension categorical(int choices) {
        return new Dimension(Kind.CATEGORICAL, choices);
    }

    /** @return true for integer and categorical coordinates */
    public boolean isDiscrete() {
        return kind != Kind.CONTINUOUS;
    }

    /**
     * @param u an encoded value in {@code [0,1]}
     * @return the level {@code u} decodes to, in {@code [0, levels)}; for a continuous coordinate an
     *     {@link IllegalStateException}
     */
    public int level(double u) {
        if (!isDiscrete()) {
            throw new IllegalStateException("a CONTINUOUS dimension has no levels");
        }
        int i = (int) Math.floor(u * levels);
        return Math.max(0, Math.min(levels - 1, i));
    }

    /**
     * @param level a level in {@code [0, levels)}
     * @return its encoding, the centre of its bin
     */
    public double encode(int level) {
        if (!isDiscrete()) {
            throw new IllegalStateException("a CONTINUOUS dimension has no levels");
        }
        if (level < 0 || level >= levels) {
            throw new IllegalArgumentException("level must be in [0, " + levels + "), got " + level);
        }
        return (level + 0.5) / levels;
    }

    /**
     * @param u any value (clamped to {@code [0,1]} first)
     * @return the nearest valid encoding: {@code u} itself for a continuous coordinate, the centre
     *     of {@code u}'s bin for a discrete one
     */
    public double round(double u) {
        double c = Math.max(0.0, Math.min(1.0, u));
        return isDiscrete() ? encode(level(c)) : c;
    }

    /**
     * @param u a value
     * @return whether {@code u} is a valid encoding (in {@code [0,1]}, and a bin centre if discrete)
     */
    public boolean isValid(double u) {
        if (!(u >= 0.0 && u <= 1.0)) {
            return false;
        }
        return !isDiscrete() || u == encode(level(u));
    }
}
