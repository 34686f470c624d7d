package dev.suite.shared.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.suite.shared.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ResponseJson writes what databind writes, or leaves the value to databind. */
class ResponseJsonTest {
    record Inner(String name, long count) {
    }

    record Outer(String id, @JsonInclude(JsonInclude.Include.NON_NULL) String optional, @JsonProperty("renamed") int value,
                 List<Inner> items, Map<String, Object> extra, Inner nested, Boolean flag, double ratio, BigDecimal money) {
    }

    record WithGetter(String a) {
        public String getB() {
            return "b";
        }
    }

    record Formatted(@JsonFormat(shape = JsonFormat.Shape.STRING) long n) {
    }

    private record Hidden(String secret) {
    }

    /** The build sets suite.json.verify, so every answer of every test is written both ways and compared. */
    @Test
    void theWholeSuiteComparesBothWriters() {
        assertTrue(ResponseJson.verifying(), "surefire must set -Dsuite.json.verify=true (parent pom)");
    }

    @Test
    void writesWhatDatabindWrites() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 nul \u0000 é 😀 \u2028");
        extra.put("nothing", null);
        extra.put("list", new ArrayList<>(List.of(1, 2L, "x")));
        extra.put("nested", Map.of("k", true));
        List<Object> samples = List.of(
                new Outer("i", null, 3, List.of(new Inner("a", 1), new Inner("b", Long.MAX_VALUE)), extra, null, null, 1.5,
                        new BigDecimal("12.50")),
                new Outer("i", "present", -1, List.of(), Map.of(), new Inner("c", 0), true, 1.0e-7, BigDecimal.ONE),
                new Hidden("s"), Map.of("code", "X", "message", "m"), List.of(), "plain", 42);
        for (Object sample : samples) {
            assertEquals(Json.write(sample), ResponseJson.write(sample), sample::toString);
        }
    }

    @Test
    void leavesToDatabindWhatItDoesNotMirror() {
        assertNull(ResponseJson.write(Instant.parse("2026-01-01T00:00:00Z")), "dates");
        assertNull(ResponseJson.write(new WithGetter("a")), "a getter databind adds as a property");
        assertNull(ResponseJson.write(new Formatted(1)), "a Jackson annotation it does not mirror");
        assertNull(ResponseJson.write(Map.of(1, "x")), "a non-string key");
        assertNull(ResponseJson.write(Set.of("x")), "a set (databind's order is the set's, ours would be too, but it is not needed)");
        assertNull(ResponseJson.write(Double.NaN), "non-finite numbers");
        assertNull(ResponseJson.write(new Object()), "a POJO");
    }
}
