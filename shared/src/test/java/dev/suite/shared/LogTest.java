package dev.suite.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.log.LogTaps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON lines every function writes: Powertools' fields, the correlation id, redaction, levels, sampling, the tap.
 */
class LogTest {
    static final Logger LOG = Log.get(LogTest.class);

    @Test
    void slf4jLogsThroughLog4jWithPowertoolsLayout() {
        assertInstanceOf(org.apache.logging.slf4j.Log4jLogger.class, LOG);
    }

    @Test
    void aroundPutsPowertoolsFieldsTheCorrelationIdAndTheUserOnEveryLineAndTakesThemOffAfter() throws Exception {
        SyntheticContext context = new SyntheticContext("fn");
        System.setProperty(
                "com.amazonaws.xray.traceHeader",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        List<JsonNode> lines;
        try {
            lines = captured(() -> {
                Log.around(context, "corr-1", () -> {
                    Log.user("user-1");
                    LOG.info("inside {} of {}", 1, 2);
                    LOG.warn("it failed", new IllegalStateException("boom"));
                    return null;
                });
                LOG.info("after");
            });
        } finally {
            System.clearProperty("com.amazonaws.xray.traceHeader");
        }
        assertEquals(3, lines.size(), lines::toString);
        JsonNode inside = lines.get(0);
        assertEquals("INFO", inside.get("level").asText());
        assertEquals("inside 1 of 2", inside.get("message").asText());
        assertEquals("corr-1", inside.get("correlation_id").asText());
        assertEquals("user-1", inside.get("user_id").asText());
        assertEquals("fn", inside.get("function_name").asText());
        assertEquals(
                context.getAwsRequestId(), inside.get("function_request_id").asText());
        assertEquals(context.getInvokedFunctionArn(), inside.get("function_arn").asText());
        assertTrue(inside.get("function_memory_size").isNumber(), inside::toString);
        assertTrue(inside.get("cold_start").isBoolean(), inside::toString);
        assertEquals(
                "1-5759e988-bd862e3fe1be46a994272793",
                inside.get("xray_trace_id").asText());
        assertTrue(inside.has("service"), inside::toString);
        assertFalse(inside.has("sampling_rate"), "written when sampling is on: " + inside);
        assertTrue(
                inside.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                inside::toString);
        Instant at = Instant.parse(inside.get("timestamp").asText());
        assertTrue(Math.abs(at.toEpochMilli() - System.currentTimeMillis()) < 60_000, "the timestamp is UTC: " + at);
        JsonNode warn = lines.get(1);
        assertEquals("WARN", warn.get("level").asText());
        assertEquals("it failed", warn.get("message").asText(), "the stack is in error, not in the message");
        assertEquals(
                "java.lang.IllegalStateException", warn.get("error").get("name").asText());
        assertEquals("boom", warn.get("error").get("message").asText());
        assertTrue(warn.get("error").get("stack").asText().contains("LogTest"));
        JsonNode after = lines.get(2);
        // outside a scope Powertools' template writes its string fields as null
        assertFalse(
                after.hasNonNull("correlation_id")
                        || after.hasNonNull("user_id")
                        || after.hasNonNull("function_request_id"),
                after::toString);
    }

    @Test
    void aNestedScopeLeavesTheOuterScopesFields() throws Exception {
        List<JsonNode> lines = captured(() -> Log.around(new SyntheticContext("outer"), "corr-outer", () -> {
            Log.around(new SyntheticContext("inner"), "corr-inner", () -> {
                LOG.info("inner");
                return null;
            });
            LOG.info("outer");
            return null;
        }));
        assertEquals("corr-inner", lines.get(0).get("correlation_id").asText());
        assertEquals("corr-outer", lines.get(1).get("correlation_id").asText());
        assertEquals("outer", lines.get(1).get("function_name").asText());
    }

    @Test
    void secretsInAMessageAreRedacted() throws Exception {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXZhbHVl";
        List<JsonNode> lines = captured(() -> Log.around(new SyntheticContext("fn"), "corr-r", () -> {
            LOG.info("login password=Hunter2secret for bob");
            LOG.info("called https://x.example/cb?vnp_Amount=100&vnp_SecureHash=abc123def&token=tok456 done");
            LOG.info("body {\"refreshToken\":\"rt-789\",\"name\":\"Ann\"}");
            LOG.info("header Authorization: Bearer {}", jwt);
            LOG.info("confirmation code: 123456, user ann");
            LOG.info("presigned ?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=f00dbabe");
            LOG.info("loose token {}", jwt);
            return null;
        }));
        String all = lines.toString();
        for (String secret : List.of(
                "Hunter2secret",
                "abc123def",
                "tok456",
                "rt-789",
                jwt,
                "123456",
                "AKIAEXAMPLE",
                "f00dbabe",
                "c2lnbmF0dXJlLXZhbHVl")) {
            assertFalse(all.contains(secret), secret + " reached the log: " + all);
        }
        assertEquals(
                "login password=[redacted] for bob", lines.get(0).get("message").asText());
        assertEquals(
                "called https://x.example/cb?vnp_Amount=100&vnp_SecureHash=[redacted]&token=[redacted] done",
                lines.get(1).get("message").asText());
        assertEquals(
                "body {\"refreshToken\":\"[redacted]\",\"name\":\"Ann\"}",
                lines.get(2).get("message").asText());
        assertEquals(
                "confirmation code: [redacted], user ann",
                lines.get(4).get("message").asText());
        assertEquals("loose token [redacted]", lines.get(6).get("message").asText());
    }

    @Test
    void levelsRootInfoAndTheSdkAtWarn() {
        assertTrue(LOG.isInfoEnabled());
        assertFalse(LOG.isDebugEnabled());
        Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.core.Foo");
        assertFalse(sdk.isInfoEnabled());
        assertTrue(sdk.isWarnEnabled());
        assertEquals(0.25, Log.sampleRate(" 0.25 "));
        assertEquals(0, Log.sampleRate("2"));
        assertEquals(0, Log.sampleRate("often"));
        assertEquals(0, Log.sampleRate(null));
    }

    @Test
    void aSampledInvocationLogsAtDebugAndTheLevelsComeBackAfterIt() throws Exception {
        Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.core.Foo");
        List<JsonNode> lines = captured(() -> Log.around(new SyntheticContext("fn"), "corr-s", 1.0, () -> {
            assertTrue(LOG.isDebugEnabled());
            assertFalse(sdk.isInfoEnabled(), "the SDK stays at WARN in a sampled invocation");
            LOG.debug("sampled detail");
            return null;
        }));
        assertFalse(LOG.isDebugEnabled(), "the level came back after the sampled invocation");
        assertFalse(sdk.isInfoEnabled());
        JsonNode detail = lines.stream()
                .filter(n -> n.get("message").asText().equals("sampled detail"))
                .findFirst()
                .orElseThrow();
        assertEquals("DEBUG", detail.get("level").asText());
        assertEquals(1.0, detail.get("sampling_rate").asDouble());
    }

    @Test
    void aTapSeesEachLineWithItsContextUntilRemoved() {
        List<LogTaps.Line> seen = new ArrayList<>();
        LogTaps.Tap tap = seen::add;
        LogTaps.add(tap);
        try {
            Log.around(new SyntheticContext("fn"), "corr-tap", () -> {
                LOG.info("tapped {}", 7);
                return null;
            });
        } finally {
            LogTaps.remove(tap);
        }
        LOG.info("not tapped");
        assertEquals(1, seen.size(), seen::toString);
        assertEquals("tapped 7", seen.get(0).message());
        assertEquals("INFO", seen.get(0).level());
        assertEquals(LogTest.class.getName(), seen.get(0).logger());
        assertEquals("corr-tap", seen.get(0).context().get("correlation_id"));
    }

    /** The JSON lines {@code body} writes to standard out. */
    static List<JsonNode> captured(Runnable body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.EVENTS.readTree(line));
            }
        }
        return lines;
    }
}
