package dev.suite.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secrets from the environment locally, from SSM (one signed GetParameter, cached five minutes) in AWS. */
class SecretsTest {
    HttpServer ssm;
    final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
    final AtomicReference<String> answer = new AtomicReference<>(
            "{\"Parameter\":{\"Name\":\"/suite/key\",\"Type\":\"SecureString\",\"Value\":\"s3cr3t\"}}");
    final AtomicReference<Integer> status = new AtomicReference<>(200);

    @BeforeEach
    void fakeSsm() throws Exception {
        ssm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ssm.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(Map.of(
                    "target",
                    String.valueOf(x.getRequestHeaders().getFirst("X-Amz-Target")),
                    "contentType",
                    String.valueOf(x.getRequestHeaders().getFirst("Content-Type")),
                    "authorization",
                    String.valueOf(x.getRequestHeaders().getFirst("Authorization")),
                    "token",
                    String.valueOf(x.getRequestHeaders().getFirst("X-Amz-Security-Token")),
                    "body",
                    body));
            byte[] out = answer.get().getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status.get(), out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        ssm.start();
    }

    @AfterEach
    void stop() {
        ssm.stop(0);
    }

    Config aws() {
        return new Config(Map.of(
                "AWS_REGION",
                "eu-west-1",
                "AWS_ACCESS_KEY_ID",
                "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY",
                "secret",
                "AWS_SESSION_TOKEN",
                "session-token",
                "AWS_ENDPOINT_URL_SSM",
                "http://127.0.0.1:" + ssm.getAddress().getPort(),
                "API_KEY_PARAM",
                "/suite/key"));
    }

    @Test
    void thePlainValueWinsAndSsmIsNeverCalled() {
        assertEquals(
                "local",
                Secrets.supplier(aws().with(Map.of("API_KEY", "local")), "API_KEY")
                        .get());
        assertTrue(calls.isEmpty());
    }

    @Test
    void readsTheParameterWithDecryptionThroughOneSignedGetParameter() throws Exception {
        assertEquals("s3cr3t", Secrets.supplier(aws(), "API_KEY").get());
        assertEquals(1, calls.size());
        Map<String, String> call = calls.get(0);
        assertEquals("AmazonSSM.GetParameter", call.get("target"));
        assertEquals("application/x-amz-json-1.1", call.get("contentType"));
        assertTrue(
                call.get("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
                call.get("authorization"));
        assertTrue(call.get("authorization").contains("/eu-west-1/ssm/aws4_request"), call.get("authorization"));
        assertEquals("session-token", call.get("token"));
        JsonNode body = Json.EVENTS.readTree(call.get("body"));
        assertEquals("/suite/key", body.get("Name").asText());
        assertTrue(body.get("WithDecryption").asBoolean());
    }

    @Test
    void cachesTheValueForFiveMinutes() {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        AtomicReference<Instant> now = new AtomicReference<>(start);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        Secrets.Ssm secret = new Secrets.Ssm(aws(), "/suite/key", clock);
        secret.get();
        now.set(start.plus(Duration.ofMinutes(4)));
        secret.get();
        assertEquals(1, calls.size());
        now.set(start.plus(Duration.ofMinutes(6)));
        answer.set("{\"Parameter\":{\"Value\":\"rotated\"}}");
        assertEquals("rotated", secret.get());
        assertEquals(2, calls.size());
    }

    @Test
    void anSsmErrorNamesTheParameterAndTheErrorTypeNeverAValue() {
        status.set(400);
        answer.set("{\"__type\":\"ParameterNotFound\",\"message\":\"\"}");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Secrets.supplier(aws(), "API_KEY").get());
        assertTrue(
                e.getMessage().contains("/suite/key") && e.getMessage().contains("ParameterNotFound"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"));
    }

    @Test
    void neitherTheValueNorTheParameterNameConfiguredFailsAtOnce() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> Secrets.supplier(new Config(Map.of()), "API_KEY"));
        assertTrue(e.getMessage().contains("API_KEY_PARAM"));
    }
}
