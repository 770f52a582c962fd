package io.micromodels.tune;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A trial's state: {@link #RUNNING} from the moment its number is claimed until it is told, then how it ended. Only
 * {@link #COMPLETE} trials can be the best; samplers see failed and diverged ones as failures, running ones as points
 * taken, and {@link #PARTIAL} ones as lower-fidelity observations (see {@link BayesianSampler}).
 */
public enum TrialStatus {
    /** Claimed and being trained: no score yet. */
    @JsonProperty("RUNNING") RUNNING,
    /** Trained and scored; the score is finite. */
    @JsonProperty("COMPLETE") COMPLETE,
    /** Could not be trained or scored (an exception, or a metric that is not finite); see the failure reason. */
    @JsonProperty("FAILED") FAILED,
    /** A loss became NaN or infinite during training (for example a learning rate too high). */
    @JsonProperty("DIVERGED") DIVERGED,
    /**
     * Masked out by successive halving ({@code tune --halving}) at a rung: trained for the rung's epochs only; its
     * score is its best validation score within them (finite), {@code epochs} the rung it reached. Never the best.
     */
    @JsonProperty("PARTIAL") PARTIAL;

    /** @return whether the trial has ended (any state but {@link #RUNNING}) */
    public boolean finished() {
        return this != RUNNING;
    }
}
