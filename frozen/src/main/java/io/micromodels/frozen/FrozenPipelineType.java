package io.micromodels.frozen;

/**
 * Service-provider entry that registers a {@link FrozenPipeline} implementation for JSON under a type name.
 * List implementations in {@code META-INF/services/io.micromodels.frozen.FrozenPipelineType}; they are
 * discovered with {@link java.util.ServiceLoader} the first time the registry is used. Explicit registration
 * with {@link FrozenPipelines#register(String, Class)} works as well.
 *
 * <p>The implementation class is (de)serialised by Jackson data binding with the strict mapper of
 * {@link FrozenPipelines#mapper()} (so: a {@code @JsonCreator} constructor with {@code @JsonProperty} parameters,
 * {@code @JsonProperty} on the accessors to write and {@code @JsonIgnore} on derived ones such as {@code width()});
 * the type name is written as the property {@code "name"} before its own properties.
 */
public interface FrozenPipelineType {
    /** The type name written as {@code "name"}; lower-case letters, digits, '.', '_' and '-'. */
    String name();

    /** The implementation class. */
    Class<? extends FrozenPipeline> type();
}
