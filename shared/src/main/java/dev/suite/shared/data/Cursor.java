package dev.suite.shared.data;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.suite.shared.Json;
import dev.suite.shared.http.ApiException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque page cursors: DynamoDB's LastEvaluatedKey as base64url JSON. Decoding checks the key has exactly
 * the expected attributes and that fixed attributes (the caller's partition) match, so a crafted cursor can
 * neither fail the query nor reach another partition.
 */
public final class Cursor {
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private Cursor() {}

    public static String encode(Map<String, AttributeValue> lastKey) {
        if (lastKey == null || lastKey.isEmpty()) {
            return null;
        }
        Map<String, String> plain = new LinkedHashMap<>();
        lastKey.forEach((k, v) -> plain.put(k, v.n() != null ? "n:" + v.n() : "s:" + v.s()));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Json.write(plain).getBytes(StandardCharsets.UTF_8));
    }

    public static Map<String, AttributeValue> decode(String cursor, Set<String> keys, Map<String, String> fixed) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        Map<String, String> plain;
        try {
            if (cursor.length() > 2048) {
                throw new IllegalArgumentException("too long");
            }
            plain = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), MAP);
        } catch (Exception e) {
            throw invalid();
        }
        if (plain == null || !plain.keySet().equals(keys)) {
            throw invalid();
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : plain.entrySet()) {
            String v = e.getValue();
            if (v == null || v.length() < 3 || v.length() > 512) {
                throw invalid();
            }
            String value = v.substring(2);
            if (fixed.containsKey(e.getKey()) && !fixed.get(e.getKey()).equals(value)) {
                throw invalid();
            }
            if (v.startsWith("n:")) {
                try {
                    new BigDecimal(value);
                } catch (NumberFormatException ex) {
                    throw invalid();
                }
                key.put(e.getKey(), AttributeValue.fromN(value));
            } else if (v.startsWith("s:")) {
                key.put(e.getKey(), AttributeValue.fromS(value));
            } else {
                throw invalid();
            }
        }
        return key;
    }

    /**
     * An opaque cursor for a position that is not a DynamoDB key (a provider's page token, an offset into a sorted
     * list): the same base64url wrapping, read back by {@link #unwrap}.
     */
    public static String wrap(String position) {
        return position == null
                ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a {@link #wrap}ped cursor holds (null for no cursor); 400 INVALID_CURSOR for anything else. */
    public static String unwrap(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            if (cursor.length() > 4096) {
                throw new IllegalArgumentException("too long");
            }
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** The one answer to a cursor that is not one this API gave out. */
    public static ApiException invalid() {
        return ApiException.badRequest(
                "INVALID_CURSOR", "cursor is not valid; pass back the nextCursor of a previous page");
    }
}
