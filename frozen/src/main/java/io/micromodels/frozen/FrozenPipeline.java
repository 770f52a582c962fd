package io.micromodels.frozen;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;
import java.util.List;
/**
 * A fitted preprocessing pipeline compiled to plain Java: one raw row (cells by column) in, model features out. Implementations are immutable and thread-safe.
 * In JSON a pipeline carries its registered type name as {@code "name"} ({@link FrozenPipelines}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, include = JsonTypeInfo.As.PROPERTY, property = "name")
@JsonTypeIdResolver(FrozenPipelines.RegistryTypeIdResolver.class)
public interface FrozenPipeline {
    /** Raw input column names, in the order {@link #transform} expects them. */
    List<String> columns();
    /** Number of features produced (the network's input width). */
    int width();
    /** Transforms one raw row. raw: [columns().size()] cells as text, null or "" = missing; features: [width()] output, overwritten. Throws IllegalArgumentException naming the column and value when a cell cannot be parsed. */
    void transform(String[] raw, double[] features);
}
