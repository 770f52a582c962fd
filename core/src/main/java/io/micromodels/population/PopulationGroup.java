package io.micromodels.population;

import io.micromodels.spec.MicromodelSpec;
import java.util.List;

/**
 * Specs that can train as one population, with their positions in the list they came from.
 *
 * @param indices ascending positions in the list given to {@link Population#groups(List)}
 * @param specs   the specs at those positions, in the same order
 */
public record PopulationGroup(List<Integer> indices, List<MicromodelSpec> specs) {
    /** Copies both lists and checks they have the same length. */
    public PopulationGroup {
        indices = List.copyOf(indices);
        specs = List.copyOf(specs);
        if (indices.size() != specs.size()) {
            throw new IllegalArgumentException("indices (" + indices.size() + ") and specs (" + specs.size()
                    + ") must have the same length");
        }
    }
}
