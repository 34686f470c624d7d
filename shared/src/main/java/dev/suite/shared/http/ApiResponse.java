package dev.suite.shared.http;

import java.util.Map;

/** What a route returns: a status, a body to write as JSON (or null), extra headers. */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body, Map.of());
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }

    public static ApiResponse redirect(String location) {
        return new ApiResponse(302, null, Map.of("Location", location));
    }
}
