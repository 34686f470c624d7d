package dev.suite.shared.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyTest {
    record Item(String name, Integer count, List<String> tags) implements Validated<Item> {
        @Override
        public Item validated() {
            return new Item(Check.text("name", name, 1, 10), Check.range("count", count, 1, 5), tags);
        }
    }

    static ApiRequest request(String body, String contentType) {
        var e = new APIGatewayProxyRequestEvent()
                .withBody(body)
                .withHeaders(contentType == null ? Map.of() : Map.of("content-type", contentType));
        return new ApiRequest(e, "req-1");
    }

    static ApiException fails(String body, String contentType) {
        return assertThrows(ApiException.class, () -> Body.parse(request(body, contentType), Item.class));
    }

    @Test
    void parsesValidatesAndNormalises() {
        Item i =
                Body.parse(request("{\"name\":\"  box \",\"count\":2}", "application/json; charset=utf-8"), Item.class);
        assertEquals("box", i.name());
        assertEquals(2, i.count());
    }

    @Test
    void base64BodiesAreDecoded() {
        var e = new APIGatewayProxyRequestEvent()
                .withIsBase64Encoded(true)
                .withBody(Base64.getEncoder()
                        .encodeToString("{\"name\":\"a\",\"count\":1}".getBytes(StandardCharsets.UTF_8)))
                .withHeaders(Map.of("Content-Type", "application/json"));
        assertEquals("a", Body.parse(new ApiRequest(e, "r"), Item.class).name());
    }

    @Test
    void eachBadInputHasItsOwnAnswer() {
        assertEquals(415, fails("{\"name\":\"a\",\"count\":1}", "text/plain").status());
        assertEquals(415, fails("{\"name\":\"a\",\"count\":1}", null).status());
        assertEquals(
                413,
                fails("{\"name\":\"" + "a".repeat(Body.DEFAULT_MAX_BYTES) + "\"}", "application/json")
                        .status());
        assertEquals("BODY_REQUIRED", fails("", "application/json").code());
        assertEquals("BODY_REQUIRED", fails("   ", "application/json").code());
        assertEquals("MALFORMED_JSON", fails("{\"name\":", "application/json").code());
        assertEquals("MALFORMED_JSON", fails("[1,2]", "application/json").code());
        assertEquals("MALFORMED_JSON", fails("null", "application/json").code());
        assertEquals(
                "MALFORMED_JSON",
                fails("{\"name\":\"a\",\"count\":1} trailing", "application/json")
                        .code());
        assertEquals(
                400,
                fails("{\"tags\":" + "[".repeat(100) + "]".repeat(100) + "}", "application/json")
                        .status());
        assertEquals(
                "MALFORMED_JSON",
                fails("{\"x\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(101), "application/json")
                        .code());
        ApiException unknown = fails("{\"name\":\"a\",\"count\":1,\"admin\":true}", "application/json");
        assertEquals("UNKNOWN_FIELD", unknown.code());
        assertEquals("admin", unknown.field());
        assertEquals(
                "count",
                fails("{\"name\":\"a\",\"count\":\"2\"}", "application/json").field());
        assertEquals(
                "name", fails("{\"name\":5,\"count\":2}", "application/json").field());
        assertEquals(
                "count",
                fails("{\"name\":\"a\",\"count\":99999999999999999999999}", "application/json")
                        .field());
        assertEquals(
                "count",
                fails("{\"name\":\"a\",\"count\":1.5}", "application/json").field());
        assertEquals("name", fails("{\"count\":2}", "application/json").field());
        assertEquals(
                "name",
                fails("{\"name\":\"a\\u0000b\",\"count\":2}", "application/json")
                        .field());
        assertEquals(
                "count",
                fails("{\"name\":\"a\",\"count\":6}", "application/json").field());
        assertEquals(
                400,
                fails("{\"name\":\"a\",\"count\":1,\"count\":2}", "application/json")
                        .status());
    }

    @Test
    void lengthCountsCharactersNotBytes() {
        assertEquals(
                "😀😀😀",
                Body.parse(request("{\"name\":\"😀😀😀\",\"count\":1}", "application/json"), Item.class)
                        .name());
        assertEquals(
                "name",
                fails("{\"name\":\"" + "😀".repeat(11) + "\",\"count\":1}", "application/json")
                        .field());
    }
}
