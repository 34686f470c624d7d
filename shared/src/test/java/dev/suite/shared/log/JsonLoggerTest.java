package dev.suite.shared.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import dev.suite.shared.Log;
import dev.suite.shared.SyntheticContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class JsonLoggerTest {
    @Test
    void slf4jFindsTheJsonProvider() {
        assertInstanceOf(JsonLogger.class, LoggerFactory.getLogger(JsonLoggerTest.class));
    }

    @Test
    void oneParseableLineWithTheContextFieldsAndTheError() throws Exception {
        String line = JsonLogger.line(Instant.parse("2026-01-02T03:04:05.678901Z"), Level.WARN, "a \"quoted\"\nline\u0001",
                Map.of("correlation_id", "req-1", "cold_start", "true", "function_memory_size", "1024", "user_id", "u-1"),
                new IllegalStateException("boom"));
        assertFalse(line.contains("\n"));
        JsonNode n = Json.EVENTS.readTree(line);
        assertEquals("2026-01-02T03:04:05.678Z", n.get("timestamp").asText());
        assertEquals("WARN", n.get("level").asText());
        assertEquals("a \"quoted\"\nline\u0001", n.get("message").asText());
        assertEquals("req-1", n.get("correlation_id").asText());
        assertTrue(n.get("cold_start").isBoolean());
        assertEquals(1024, n.get("function_memory_size").asInt());
        assertEquals("java.lang.IllegalStateException", n.get("error").get("name").asText());
        assertEquals("boom", n.get("error").get("message").asText());
        assertTrue(n.get("error").get("stack").asText().contains("JsonLoggerTest"));
    }

    @Test
    void aTapSeesEachLineWithItsContextUntilRemoved() {
        List<LogTaps.Line> seen = new ArrayList<>();
        LogTaps.Tap tap = seen::add;
        LogTaps.add(tap);
        try {
            Log.around(new SyntheticContext("fn"), "corr-tap", () -> {
                Log.get(JsonLoggerTest.class).info("tapped {}", 7);
                return null;
            });
        } finally {
            LogTaps.remove(tap);
        }
        Log.get(JsonLoggerTest.class).info("not tapped");
        assertEquals(1, seen.size(), seen::toString);
        assertEquals("tapped 7", seen.get(0).message());
        assertEquals("INFO", seen.get(0).level());
        assertEquals("corr-tap", seen.get(0).context().get("correlation_id"));
    }

    @Test
    void aroundPutsTheInvocationOnEveryLineAndTakesItOffAfter() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Log.around(new SyntheticContext("fn"), "corr-1", () -> {
                Log.user("user-1");
                Log.get(JsonLoggerTest.class).info("inside {} of {}", 1, 2);
                return null;
            });
            Log.get(JsonLoggerTest.class).info("after");
        } finally {
            System.setOut(original);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        JsonNode inside = Json.EVENTS.readTree(lines[0]);
        assertEquals("inside 1 of 2", inside.get("message").asText());
        assertEquals("corr-1", inside.get("correlation_id").asText());
        assertEquals("user-1", inside.get("user_id").asText());
        assertTrue(inside.has("function_request_id") && inside.has("cold_start"));
        JsonNode after = Json.EVENTS.readTree(lines[1]);
        assertFalse(after.has("correlation_id") || after.has("user_id") || after.has("function_request_id"));
    }

    @Test
    void levelsByLongestPrefixWithTheSdkAtWarn() {
        assertTrue(Levels.enabled("dev.suite.x.Y", Level.INFO));
        assertFalse(Levels.enabled("software.amazon.awssdk.core.Foo", Level.INFO));
        assertTrue(Levels.enabled("software.amazon.awssdk.core.Foo", Level.WARN));
        assertEquals(Level.DEBUG, Levels.root("debug", "ERROR"));
        assertEquals(Level.ERROR, Levels.root(null, "ERROR"));
        assertEquals(Level.ERROR, Levels.root("FATAL", null));
        assertEquals(Level.INFO, Levels.root("nonsense", null));
    }
}
