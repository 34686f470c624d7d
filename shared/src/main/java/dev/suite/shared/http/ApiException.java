package dev.suite.shared.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** A failure a client can act on: HTTP status, stable code, human message. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null, Map.of());
    }

    public ApiException(int status, String code, String message, String field, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "VALIDATION_FAILED", field + ": " + message, field, Map.of());
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "UNAUTHORIZED", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "FORBIDDEN", message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "NOT_FOUND", what + " not found");
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public static ApiException tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiException(
                429,
                "TOO_MANY_REQUESTS",
                message,
                null,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    public static ApiException unavailable(String code, String message, long retryAfterSeconds) {
        Map<String, String> h = new LinkedHashMap<>();
        if (retryAfterSeconds > 0) {
            h.put("Retry-After", Long.toString(retryAfterSeconds));
        }
        return new ApiException(503, code, message, null, h);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
