package io.micromodels.tune.bayes;

import java.util.SplittableRandom;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * Space-filling designs in the unit cube: a Latin hypercube, and a Sobol sequence randomised by
 * Matoušek's linear matrix scramble plus a random digital shift (the randomisation SciPy's
 * {@code qmc.Sobol(scramble=True)} uses). Both randomisations keep the stratification: each
 * coordinate of a Latin hypercube of {@code n} points has one point in each interval
 * {@code [k/n, (k+1)/n)}, and the first {@code 2^m} scrambled Sobol points keep the net property
 * of the unscrambled ones.
 *
 * <p>The Sobol direction numbers (Joe and Kuo's, as shipped with commons-math) are read once per
 * instance; an instance is immutable and thread-safe.
 */
final class Designs {

    /** Bits per coordinate of a Sobol point (as in commons-math). */
    private static final int BITS = 52;
    private static final double SCALE = 0x1p52;
    /** Largest index bit supported: indices below {@code 2^INDEX_BITS}. */
    private static final int INDEX_BITS = 30;
    /** Largest dimension commons-math ships direction numbers for. */
    static final int MAX_SOBOL_DIMENSION = 1000;

    private final int dimensions;
    /** shape {@code [d][INDEX_BITS]}: direction integer for index bit {@code b} of coordinate {@code j}. */
    private final long[][] directions;

    /**
     * @param dimensions number of coordinates {@code d}, in {@code [1, 1000]}
     */
    Designs(int dimensions) {
        if (dimensions < 1 || dimensions > MAX_SOBOL_DIMENSION) {
            throw new IllegalArgumentException(
                    "dimensions must be in [1, " + MAX_SOBOL_DIMENSION + "], got " + dimensions);
        }
        this.dimensions = dimensions;
        SobolSequenceGenerator generator = new SobolSequenceGenerator(dimensions);
        directions = new long[dimensions][INDEX_BITS];
        // commons-math walks the sequence in Gray-code order: point i is the XOR of the direction
        // integers of the set bits of gray(i) = i ^ (i >> 1). gray(2^(b+1) - 1) = 2^b, so that
        // point is direction integer b itself.
        for (int b = 0; b < INDEX_BITS; b++) {
            double[] p = generator.skipTo((1 << (b + 1)) - 1);
            for (int j = 0; j < dimensions; j++) {
                directions[j][b] = (long) (p[j] * SCALE);
            }
        }
    }

    /** @return the number of coordinates {@code d} */
    int dimensions() {
        return dimensions;
    }

    /**
     * Points {@code from .. from + count - 1} of the Sobol sequence scrambled by a scramble drawn
     * from {@code rng}: the same {@code rng} state gives the same sequence, so consecutive calls
     * with equally seeded generators read consecutive parts of one sequence.
     *
     * @param from  index of the first point, {@code >= 0}
     * @param count number of points, {@code >= 0}, with {@code from + count <= 2^30}
     * @param rng   source of the scramble (advanced by {@code d * 53} draws)
     * @return shape {@code [count][d]}: points in {@code [0,1)^d}
     */
    double[][] sobol(int from, int count, SplittableRandom rng) {
        if (from < 0 || count < 0 || (long) from + count > (1L << INDEX_BITS)) {
            throw new IllegalArgumentException("Sobol indices must be in [0, 2^" + INDEX_BITS
                    + "), got from=" + from + ", count=" + count);
        }
        long[][] scrambled = new long[dimensions][INDEX_BITS];
        long[] shift = new long[dimensions];
        for (int j = 0; j < dimensions; j++) {
            long[] rows = randomLowerUnitTriangular(rng);
            for (int b = 0; b < INDEX_BITS; b++) {
                scrambled[j][b] = multiply(rows, directions[j][b]);
            }
            shift[j] = rng.nextLong() >>> (64 - BITS);
        }
        double[][] points = new double[count][dimensions];
        for (int i = 0; i < count; i++) {
            int index = from + i;
            int gray = index ^ (index >>> 1);
            for (int j = 0; j < dimensions; j++) {
                long v = shift[j];
                for (int g = gray, b = 0; g != 0; g >>>= 1, b++) {
                    if ((g & 1) != 0) {
                        v ^= scrambled[j][b];
                    }
                }
                points[i][j] = v / SCALE;
            }
        }
        return points;
    }

    /**
     * A random {@code BITS x BITS} binary lower unit-triangular matrix, most significant bit first:
     * row {@code r} (as a mask over the bit positions of a 52-bit integer) has the bit of position
     * {@code r} set and random bits at the more significant positions.
     */
    private static long[] randomLowerUnitTriangular(SplittableRandom rng) {
        long[] rows = new long[BITS];
        for (int r = 0; r < BITS; r++) {
            long own = 1L << (BITS - 1 - r);
            long higher = ~((own << 1) - 1) & ((1L << BITS) - 1);
            rows[r] = own | (rng.nextLong() & higher);
        }
        return rows;
    }

    /** Matrix-vector product over GF(2). */
    private static long multiply(long[] rows, long v) {
        long out = 0;
        for (int r = 0; r < BITS; r++) {
            if ((Long.bitCount(rows[r] & v) & 1) != 0) {
                out |= 1L << (BITS - 1 - r);
            }
        }
        return out;
    }

    /**
     * A Latin hypercube: in each coordinate the {@code n} points fall one in each interval
     * {@code [k/n, (k+1)/n)}, uniformly within it, the intervals matched to points by independent
     * random permutations.
     *
     * @param n          number of points, {@code >= 1}
     * @param dimensions number of coordinates {@code d}, {@code >= 1}
     * @param rng        source of the permutations and offsets
     * @return shape {@code [n][d]}: points in {@code [0,1)^d}
     */
    static double[][] latinHypercube(int n, int dimensions, SplittableRandom rng) {
        if (n < 1 || dimensions < 1) {
            throw new IllegalArgumentException("n and dimensions must be >= 1, got n=" + n
                    + ", dimensions=" + dimensions);
        }
        double[][] points = new double[n][dimensions];
        int[] perm = new int[n];
        for (int j = 0; j < dimensions; j++) {
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int k = rng.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[k];
                perm[k] = t;
            }
            for (int i = 0; i < n; i++) {
                points[i][j] = Math.min((perm[i] + rng.nextDouble()) / n, Math.nextDown(1.0));
            }
        }
        return points;
    }
}
