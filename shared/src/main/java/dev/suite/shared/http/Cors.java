package dev.suite.shared.http;

import dev.suite.shared.Config;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CORS response headers from configuration: CORS_ALLOW_ORIGINS is a comma-separated list, or '*'. */
public final class Cors {
    private final List<String> origins;

    public Cors(Config config) {
        this.origins = Arrays.stream(config.get("CORS_ALLOW_ORIGINS", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    public Map<String, String> headers(String requestOrigin) {
        Map<String, String> h = new LinkedHashMap<>();
        String allowed = null;
        if (origins.contains("*")) {
            allowed = "*";
        } else if (requestOrigin != null && origins.contains(requestOrigin)) {
            allowed = requestOrigin;
            h.put("Vary", "Origin");
        }
        if (allowed != null) {
            h.put("Access-Control-Allow-Origin", allowed);
            h.put(
                    "Access-Control-Allow-Headers",
                    "Authorization,Content-Type,X-Amz-Date,X-Api-Key,X-Amz-Security-Token");
            h.put("Access-Control-Allow-Methods", "GET,POST,PUT,PATCH,DELETE,OPTIONS");
        }
        return h;
    }
}
