package dev.suite.shared.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes the answers of the routes (records, maps, lists, strings, numbers, booleans) as JSON without Jackson databind,
 * exactly as {@code Json.write} would: a function whose request has no body then never loads databind's 500 classes on
 * its cold path (bench/README.md, "What each library costs"). Anything it does not know (a Jackson annotation other than
 * {@code @JsonInclude(NON_NULL)} and {@code @JsonProperty("name")}, a POJO, a date, a non-finite double) it leaves to
 * databind: {@link #write} answers null. With the system property {@code suite.json.verify=true} (every test run sets
 * it) each answer is also written by databind and compared, so the whole test suite holds the two equal.
 */
public final class ResponseJson {
    private static final Map<Class<?>, Object> PLANS = new ConcurrentHashMap<>();
    private static final Object UNSUPPORTED = new Object();
    private static final boolean VERIFY = Boolean.getBoolean("suite.json.verify");

    private record Field(String name, Method accessor, boolean omitNull) {
    }

    private ResponseJson() {
    }

    /** The JSON of {@code value}, or null when databind must write it. */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder(256);
        return append(b, value, 0) ? b.toString() : null;
    }

    static boolean verifying() {
        return VERIFY;
    }

    private static boolean append(StringBuilder b, Object v, int depth) {
        if (depth > 32) {
            return false;
        }
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger || v instanceof BigDecimal) {
            b.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return false;
            }
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    return false;
                }
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(b, k);
                b.append(':');
                if (!append(b, e.getValue(), depth + 1)) {
                    return false;
                }
            }
            b.append('}');
        } else if (v instanceof List<?> || (v instanceof Collection<?> && !(v instanceof Set<?>))) {
            b.append('[');
            boolean first = true;
            for (Object o : (Collection<?>) v) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                if (!append(b, o, depth + 1)) {
                    return false;
                }
            }
            b.append(']');
        } else if (v instanceof Record r) {
            return record(b, r, depth);
        } else {
            return false;
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static boolean record(StringBuilder b, Record r, int depth) {
        Object plan = PLANS.computeIfAbsent(r.getClass(), ResponseJson::plan);
        if (plan == UNSUPPORTED) {
            return false;
        }
        b.append('{');
        boolean first = true;
        for (Field f : (List<Field>) plan) {
            Object value;
            try {
                value = f.accessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                return false;
            }
            if (value == null && f.omitNull()) {
                continue;
            }
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, f.name());
            b.append(':');
            if (!append(b, value, depth + 1)) {
                return false;
            }
        }
        b.append('}');
        return true;
    }

    /**
     * The fields of a record type in declaration order, or UNSUPPORTED when it carries Jackson settings we do not mirror
     * or a getter Jackson would add as a property.
     */
    private static Object plan(Class<?> type) {
        if (jackson(type.getAnnotations())) {
            return UNSUPPORTED;
        }
        Set<String> accessors = new HashSet<>();
        List<Field> fields = new ArrayList<>();
        try {
            for (RecordComponent c : type.getRecordComponents()) {
                String name = c.getName();
                boolean omitNull = false;
                for (Annotation a : annotations(c)) {
                    if (a instanceof JsonInclude inc && inc.value() == JsonInclude.Include.NON_NULL) {
                        omitNull = true;
                    } else if (a instanceof JsonProperty p && !p.value().isEmpty() && p.access() == JsonProperty.Access.AUTO) {
                        name = p.value();
                    } else if (a.annotationType().getPackageName().startsWith("com.fasterxml.jackson")) {
                        return UNSUPPORTED;
                    }
                }
                Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                accessors.add(accessor.getName());
                fields.add(new Field(name, accessor, omitNull));
            }
        } catch (RuntimeException e) {
            return UNSUPPORTED;
        }
        for (Method m : type.getDeclaredMethods()) {
            boolean getter = m.getName().startsWith("get") || m.getName().startsWith("is");
            if (getter && Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                    && !accessors.contains(m.getName())) {
                return UNSUPPORTED;
            }
        }
        return List.copyOf(fields);
    }

    private static List<Annotation> annotations(RecordComponent c) {
        List<Annotation> all = new ArrayList<>(List.of(c.getAnnotations()));
        all.addAll(List.of(c.getAccessor().getAnnotations()));
        return all;
    }

    private static boolean jackson(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a.annotationType().getPackageName().startsWith("com.fasterxml.jackson")) {
                return true;
            }
        }
        return false;
    }

    /** Appends {@code s} as a JSON string, escaped as databind escapes it (the functions' log lines use it too). */
    public static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
