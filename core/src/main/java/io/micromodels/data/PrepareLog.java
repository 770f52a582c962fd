package io.micromodels.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What the steps of {@link DataPipeline#prepare} dropped and noted, in the order they did it: the report lists both
 * ({@link DataReport#droppedColumns()}, {@link DataReport#notes()}). One per preparation; the steps append to it.
 */
final class PrepareLog {
    /** Column name → why it is not a feature, in the order the steps dropped them. */
    final LinkedHashMap<String, String> dropped = new LinkedHashMap<>();
    /** Notes for the user, in order. */
    final List<String> notes = new ArrayList<>();
}
