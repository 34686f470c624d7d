package dev.suite.shared.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.suite.shared.http.ApiException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CursorTest {
    final Map<String, AttributeValue> key = Map.of(
            "userId",
            AttributeValue.fromS("u1"),
            "createdAt",
            AttributeValue.fromS("2026"),
            "n",
            AttributeValue.fromN("5"));

    @Test
    void roundTrips() {
        String c = Cursor.encode(key);
        assertEquals(key, Cursor.decode(c, Set.of("userId", "createdAt", "n"), Map.of("userId", "u1")));
        assertNull(Cursor.encode(Map.of()));
        assertNull(Cursor.decode(null, Set.of("a"), Map.of()));
    }

    @Test
    void refusesOtherPartitionsAndGarbage() {
        String c = Cursor.encode(key);
        assertEquals(
                "INVALID_CURSOR",
                assertThrows(
                                ApiException.class,
                                () -> Cursor.decode(
                                        c, Set.of("userId", "createdAt", "n"), Map.of("userId", "someone-else")))
                        .code());
        assertThrows(ApiException.class, () -> Cursor.decode(c, Set.of("userId"), Map.of()));
        assertThrows(ApiException.class, () -> Cursor.decode("not base64 !!", Set.of("userId"), Map.of()));
        assertThrows(ApiException.class, () -> Cursor.decode("e30", Set.of("userId"), Map.of()));
    }
}
