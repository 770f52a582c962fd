package io.micromodels.frozen;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.impl.TypeIdResolverBase;
import io.micromodels.json.StrictJson;

import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Registry of {@link FrozenPipeline} implementations that can appear in a frozen model's JSON, by type name.
 * A pipeline is written as a JSON object whose property {@code "name"} is its registered type name, followed by
 * the properties Jackson data binding writes for the class:
 * <pre>{@code "pipeline": {"name": "identity", "columns": ["x0", "x1"]}}</pre>
 * {@link IdentityPipeline} is registered as {@value IdentityPipeline#NAME}. Others register here explicitly or
 * through the {@link FrozenPipelineType} service-provider interface. Registration is thread-safe and idempotent
 * for the same name and class; a name or class cannot be registered twice with different partners.
 */
public final class FrozenPipelines {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Map<String, Class<? extends FrozenPipeline>> BY_NAME = new ConcurrentHashMap<>();
    private static final Map<Class<?>, String> BY_CLASS = new ConcurrentHashMap<>();
    private static volatile boolean servicesLoaded;

    static {
        register(IdentityPipeline.NAME, IdentityPipeline.class);
    }

    private FrozenPipelines() {
    }

    /**
     * Registers a pipeline class under a JSON type name.
     *
     * @param name lower-case letters, digits, '.', '_' and '-', at most 64 characters, starting with a letter or digit
     * @param type the implementation class, (de)serialisable by {@link #mapper()}
     * @throws IllegalArgumentException if the name is malformed, or the name or class is already registered with a
     *                                  different partner
     */
    public static synchronized void register(String name, Class<? extends FrozenPipeline> type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("pipeline type name '" + name + "' must match " + NAME.pattern());
        }
        if (type.isInterface()) throw new IllegalArgumentException("pipeline type '" + name + "': " + type.getName() + " is an interface");
        Class<? extends FrozenPipeline> old = BY_NAME.get(name);
        if (old != null && old != type) {
            throw new IllegalArgumentException("pipeline type name '" + name + "' is already registered for " + old.getName());
        }
        String oldName = BY_CLASS.get(type);
        if (oldName != null && !oldName.equals(name)) {
            throw new IllegalArgumentException(type.getName() + " is already registered as pipeline type '" + oldName + "'");
        }
        BY_NAME.put(name, type);
        BY_CLASS.put(type, name);
    }

    /** The registered type names and classes, sorted by name (a snapshot). */
    public static Map<String, Class<? extends FrozenPipeline>> registered() {
        loadServices();
        return new TreeMap<>(BY_NAME);
    }

    /** The type name of a registered pipeline class, or {@code null}. */
    public static String nameOf(Class<?> type) {
        loadServices();
        return BY_CLASS.get(type);
    }

    /** The class registered under a type name, or {@code null}. */
    public static Class<? extends FrozenPipeline> typeOf(String name) {
        loadServices();
        return BY_NAME.get(name);
    }

    /**
     * A copy of the project's strict mapper ({@link StrictJson}: unknown, missing and {@code null} creator
     * properties, duplicate keys, trailing content and scalar coercions are errors; streams are not closed), which
     * frozen models are read and written with; {@link FrozenPipeline} values carry their type name as
     * {@code "name"} (annotations on the interface). Pipeline implementers can use it to test their JSON round trip.
     */
    public static ObjectMapper mapper() {
        return StrictJson.mapper().copy();
    }

    private static void loadServices() {
        if (servicesLoaded) return;
        synchronized (FrozenPipelines.class) {
            if (servicesLoaded) return;
            servicesLoaded = true;
            for (FrozenPipelineType t : ServiceLoader.load(FrozenPipelineType.class, FrozenPipelines.class.getClassLoader())) {
                register(t.name(), t.type());
            }
        }
    }

    /** Resolves pipeline type names through the registry, at every lookup (so late registrations work). */
    static final class RegistryTypeIdResolver extends TypeIdResolverBase {
        public RegistryTypeIdResolver() {
        }

        @Override
        public String idFromValue(Object value) {
            return idFromValueAndType(value, value.getClass());
        }

        @Override
        public String idFromValueAndType(Object value, Class<?> type) {
            String name = nameOf(type);
            if (name == null) {
                throw new IllegalArgumentException("pipeline class " + type.getName()
                        + " is not registered for JSON; call FrozenPipelines.register(name, class) or provide a FrozenPipelineType service");
            }
            return name;
        }

        @Override
        public JavaType typeFromId(DatabindContext context, String id) {
            Class<? extends FrozenPipeline> type = typeOf(id);
            return type == null ? null : context.constructType(type);
        }

        @Override
        public String getDescForKnownTypeIds() {
            return registered().keySet().toString();
        }

        @Override
        public JsonTypeInfo.Id getMechanism() {
            return JsonTypeInfo.Id.CUSTOM;
        }
    }
}
