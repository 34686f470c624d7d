package dev.suite.shared;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration read from a map of environment values. Lambda passes {@code System.getenv()};
 * tests and the local runtime pass their own map.
 */
public final class Config {
    private final Map<String, String> env;

    public Config(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static Config fromSystem() {
        return new Config(System.getenv());
    }

    /** The value, trimmed, when present and not blank. */
    public Optional<String> get(String key) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(v.trim());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> new IllegalStateException("missing configuration value " + key));
    }

    public int getInt(String key, int fallback) {
        return get(key).map(v -> {
                    try {
                        return Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalStateException("configuration value " + key + " is not an integer");
                    }
                })
                .orElse(fallback);
    }

    public long getLong(String key, long fallback) {
        return get(key).map(Long::parseLong).orElse(fallback);
    }

    public Config with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(overrides);
        return new Config(merged);
    }

    public Map<String, String> asMap() {
        return env;
    }
}
