package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import org.junit.jupiter.api.Test;

/** What the console's Requests page redacts, without a browser. */
class InvocationsTest {
    static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLWJ5dGVz";

    @Test
    void secretsAreRedactedAndTheRestIsKept() throws Exception {
        JsonNode in = Json.EVENTS.readTree("""
                {"headers": {"Authorization": "Bearer %1$s", "Content-Type": "application/json"},
                 "body": {"email": "a@example.com", "password": "Passw0rdOk", "newPassword": "N3wPassw0rd", "code": "123456",
                          "refreshToken": "opaque-refresh", "error": {"code": "INVALID_CODE", "message": "wrong code"},
                          "note": "a token %1$s in text",
                          "imageUrl": "http://127.0.0.1:1/b/k.png?X-Amz-Algorithm=AWS4&X-Amz-Signature=abcdef&X-Amz-Credential=local%%2F",
                          "query": {"token": "%1$s", "vnp_SecureHash": "ff00", "vnp_Amount": "2000000"}}}
                """.formatted(JWT));
        String out = Json.write(Invocations.redact(in));
        for (String secret :
                new String[] {JWT, "Passw0rdOk", "N3wPassw0rd", "123456", "opaque-refresh", "abcdef", "ff00", "local%2F"
                }) {
            assertFalse(out.contains(secret), secret + " in " + out);
        }
        JsonNode r = Json.EVENTS.readTree(out);
        assertEquals("a@example.com", r.at("/body/email").asText());
        assertEquals("INVALID_CODE", r.at("/body/error/code").asText(), "error codes are not confirmation codes");
        assertEquals("2000000", r.at("/body/query/vnp_Amount").asText());
        assertEquals("application/json", r.at("/headers/Content-Type").asText());
        assertEquals("a token [redacted] in text", r.at("/body/note").asText());
        assertEquals(
                "http://127.0.0.1:1/b/k.png?X-Amz-Algorithm=AWS4&X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]",
                r.at("/body/imageUrl").asText());
    }
}
