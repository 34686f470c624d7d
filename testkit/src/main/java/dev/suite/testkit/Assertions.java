package dev.suite.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks of the error contract shared by every route's tests. */
public final class Assertions {
    private Assertions() {}

    /** The status, the code, and the whole {"error":{"code","message","requestId"}} shape. */
    public static JsonNode assertError(Events.Response r, int status, String code) {
        assertEquals(status, r.status(), () -> "unexpected answer: " + r);
        JsonNode error = r.json().get("error");
        assertNotNull(error, () -> "no error object in " + r);
        assertEquals(code, error.get("code").asText(), () -> "unexpected code in " + r);
        assertTrue(error.hasNonNull("message") && !error.get("message").asText().isBlank(), () -> "no message in " + r);
        assertEquals(r.requestId(), error.get("requestId").asText(), "requestId must echo API Gateway's");
        assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), () -> "stack trace leaked: " + r);
        return error;
    }
}
