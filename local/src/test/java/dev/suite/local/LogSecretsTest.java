package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A full journey through local/ with every log line captured: no password, token, code, hash secret or API key in them.
 */
class LogSecretsTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void noSecretReachesTheLogs() throws Exception {
        // every log line is a JSON line on standard out (Powertools' layout on log4j2, following System.out): capture
        // it
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        String apiKey = "clipdrop-secret-" + UUID.randomUUID();
        String password = "Sup3rSecretPw" + UUID.randomUUID().toString().substring(0, 6);
        LocalRuntime.Options options = new LocalRuntime.Options(
                0,
                0,
                Files.createTempDirectory("logs"),
                false,
                Map.of("ImageFunction", Map.of("CLIPDROP_API_KEY", apiKey)),
                false);
        String token;
        String refresh;
        String code;
        try (LocalRuntime rt = LocalRuntime.start(options, new PrintStream(new ByteArrayOutputStream()))) {
            String email = "logs" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            post(rt, "/auth/register", Map.of("email", email, "password", password, "name", "L"), null);
            code = rt.emulators().cognitoLocal().latestCode(email, Duration.ofSeconds(5));
            post(rt, "/auth/confirm", Map.of("email", email, "code", code), null);
            post(rt, "/auth/login", Map.of("email", email, "password", "Wrong" + password), null);
            JsonNode tokens = post(rt, "/auth/login", Map.of("email", email, "password", password), null);
            token = tokens.get("idToken").asText();
            refresh = tokens.get("refreshToken").asText();
            post(rt, "/auth/refresh", Map.of("refreshToken", refresh), null);
            assertEquals(201, status(rt, "/image/generate-image", Map.of("prompt", "a quiet harbour"), token));
            JsonNode order = post(rt, "/user/pay-vnpay", Map.of("packageId", "starter"), token);
            URI pay = URI.create(order.get("paymentUrl").asText());
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/vnpay/complete"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(BodyPublishers.ofString(
                                    "result=pay&q=" + URLEncoder.encode(pay.getRawQuery(), StandardCharsets.UTF_8)))
                            .build(),
                    BodyHandlers.discarding());
            post(rt, "/auth/forgot-password", Map.of("email", email), null);
            post(rt, "/auth/logout", Map.of("refreshToken", refresh), token);
        } finally {
            System.setOut(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("{\"level\""))
                .collect(Collectors.joining("\n"));
        assertTrue(logs.contains("user onboarded") && logs.contains("payment"), "the journey was logged:\n" + logs);
        for (String secret :
                List.of(password, token, refresh, apiKey, "LOCALVNPAYSTANDINSECRET000000000", token.split("\\.")[2])) {
            assertFalse(logs.contains(secret), "a secret reached the logs");
        }
        assertFalse(logs.matches("(?s).*\\b" + code + "\\b.*"), "the confirmation code reached the logs");
    }

    /** Writes to both streams. */
    static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }

    static JsonNode post(LocalRuntime rt, String path, Object body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rt.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(Json.write(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        String r = HTTP.send(b.build(), BodyHandlers.ofString()).body();
        return r.isEmpty() ? null : Json.EVENTS.readTree(r);
    }

    static int status(LocalRuntime rt, String path, Object body, String token) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(rt.baseUrl() + path))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .POST(BodyPublishers.ofString(Json.write(body)))
                                .build(),
                        BodyHandlers.discarding())
                .statusCode();
    }
}
