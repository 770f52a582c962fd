package io.micromodels.tune;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a trial ended. Only {@link #COMPLETE} trials can be the best; the others are reported to the generator as failures. */
public enum TrialStatus {
    /** Trained and scored; the score is finite. */
    @JsonProperty("COMPLETE") COMPLETE,
    /** Could not be trained or scored (an exception, or a metric that is not finite); see the failure reason. */
    @JsonProperty("FAILED") FAILED,
    /** A loss became NaN or infinite during training (for example a learning rate too high). */
    @JsonProperty("DIVERGED") DIVERGED
}
