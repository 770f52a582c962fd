package io.micromodels.plots;

import io.micromodels.explain.Check;

/**
 * Size and content of the PNG plots of {@link ExplainPlots}. Immutable; validated on construction.
 * The image height follows from the number of feature rows shown.
 *
 * @param width       image width in pixels, in [300, 4000]; default 1000
 * @param maxFeatures most features shown, the most important first, in [1, 100]; the rest are
 *                    summed into one "N other features" row (waterfall) or left out (noted in
 *                    the subtitle); default 12
 * @param rowHeight   pixels per feature row, in [12, 200]; default 38
 * @param seed        seed of the beeswarm's jitter
 */
public record PlotOptions(int width, int maxFeatures, int rowHeight, long seed) {

    /** 1000 px wide, 12 features, 38 px per row, seed 42. */
    public static final PlotOptions DEFAULTS = new PlotOptions(1000, 12, 38, 42L);

    /** Validates every field. */
    public PlotOptions {
        Check.range("width", width, 300, 4000);
        Check.range("maxFeatures", maxFeatures, 1, 100);
        Check.range("rowHeight", rowHeight, 12, 200);
    }

    /** A copy with {@code width} replaced. */
    public PlotOptions withWidth(int w) {
        return new PlotOptions(w, maxFeatures, rowHeight, seed);
    }

    /** A copy with {@code maxFeatures} replaced. */
    public PlotOptions withMaxFeatures(int n) {
        return new PlotOptions(width, n, rowHeight, seed);
    }

    /** A copy with {@code seed} replaced. */
    public PlotOptions withSeed(long s) {
        return new PlotOptions(width, maxFeatures, rowHeight, s);
    }

    /** Image height for {@code rows} feature rows plus {@code extra} pixels of titles and axes. */
    int height(int rows, int extra) {
        return Math.max(240, rows * rowHeight + extra);
    }
}
