package dev.suite.shared.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.suite.shared.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Parses a JSON request body into a typed request and validates it. */
public final class Body {
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private Body() {}

    public static <T> T parse(ApiRequest request, Class<T> type) {
        return parse(request, type, DEFAULT_MAX_BYTES);
    }

    public static <T> T parse(ApiRequest request, Class<T> type, int maxBytes) {
        byte[] body = request.bodyBytes();
        if (body.length > maxBytes) {
            throw new ApiException(413, "PAYLOAD_TOO_LARGE", "the body must be at most " + maxBytes + " bytes");
        }
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            throw ApiException.badRequest("BODY_REQUIRED", "a JSON object body is required");
        }
        String contentType = request.header("Content-Type");
        if (contentType == null
                || !contentType.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("application/json")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
        }
        return read(body, type);
    }

    /**
     * Reads a JSON object into a typed request with the strict mapper and validates it ({@link Validated}): the one
     * way bodies and WebSocket frames become requests. Errors are 400s naming the field.
     */
    @SuppressWarnings("unchecked")
    public static <T> T read(byte[] body, Class<T> type) {
        if (firstNonSpace(body) != '{') {
            throw ApiException.badRequest("MALFORMED_JSON", "the body must be a JSON object");
        }
        T value;
        try {
            value = Json.MAPPER.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(
                    400, "UNKNOWN_FIELD", "unknown field '" + e.getPropertyName() + "'", e.getPropertyName(), Map.of());
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) {
                throw ApiException.badRequest("MALFORMED_JSON", "the body must be a JSON object");
            }
            throw ApiException.invalid(field, "has the wrong type");
        } catch (InputCoercionException e) {
            String field = e.getProcessor() == null ? null : currentName(e.getProcessor());
            throw field == null
                    ? ApiException.badRequest("MALFORMED_JSON", "a number in the body is out of range")
                    : ApiException.invalid(field, "is out of range");
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "the body is nested too deeply or holds a value too large");
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            String field = path(e);
            throw field.isEmpty()
                    ? ApiException.badRequest("MALFORMED_JSON", "the body is not valid JSON for this route")
                    : ApiException.invalid(field, "is not valid (wrong type or out of range)");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "the body is not valid JSON");
        } catch (IOException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "the body could not be read");
        }
        if (value instanceof Validated<?> v) {
            return (T) v.validated();
        }
        return value;
    }

    private static String currentName(JsonParser p) {
        try {
            return p.currentName();
        } catch (IOException e) {
            return null;
        }
    }

    private static int firstNonSpace(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
        }
        return -1;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
