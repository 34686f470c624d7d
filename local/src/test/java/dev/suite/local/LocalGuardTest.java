package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.emulators.Paths;
import dev.suite.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A web page the developer visits cannot drive local/run: Host must name the loopback port (no DNS rebinding), and the
 * routes that act as anyone (Invoke, schedules, console) refuse a browser's cross-site requests. Raw sockets, because
 * the JDK's HttpClient will not send a chosen Host.
 */
class LocalGuardTest {
    static LocalRuntime rt;

    @BeforeAll
    static void start() throws Exception {
        rt = LocalRuntime.start(
                LocalRuntime.Options.forTests(Files.createTempDirectory("guard")),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return Json.EVENTS.readTree(body);
        }
    }

    /** One HTTP/1.1 request with exactly these headers (Host among them), on a fresh connection. */
    static Answer raw(int port, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            int split = all.indexOf("\r\n\r\n");
            String head = all.substring(0, split);
            String rest = all.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                StringBuilder b = new StringBuilder();
                while (true) {
                    int eol = rest.indexOf("\r\n");
                    int size = Integer.parseInt(rest.substring(0, eol).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    b.append(rest, eol + 2, eol + 2 + size);
                    rest = rest.substring(eol + 4 + size);
                }
                rest = b.toString();
            }
            return new Answer(status, rest);
        }
    }

    static Map<String, String> headers(String... pairs) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "127.0.0.1:" + rt.port());
        for (int i = 0; i < pairs.length; i += 2) {
            h.put(pairs[i], pairs[i + 1]);
        }
        return h;
    }

    static void assertRefused(Answer a) throws IOException {
        assertEquals(403, a.status(), a::toString);
        JsonNode error = a.json().get("error");
        assertEquals("FORBIDDEN", error.get("code").asText(), a::toString);
        assertTrue(error.hasNonNull("message") && error.hasNonNull("requestId"), a::toString);
    }

    static String invocations(String function) {
        return "/2015-03-31/functions/" + function + "/invocations";
    }

    @Test
    void aNoCorsTextPlainPostFromAnotherOriginToInvokeIsRefused() throws Exception {
        // the attack: a raw API Gateway event whose claims say Admin, as a "simple" request a page may send anywhere
        String event = Files.readString(Paths.root().resolve("events/admin-list-users.json"));
        assertRefused(raw(
                rt.port(),
                "POST",
                invocations("AdminFunction"),
                headers(
                        "Content-Type",
                        "text/plain",
                        "Origin",
                        "https://evil.example",
                        "Sec-Fetch-Site",
                        "cross-site",
                        "Sec-Fetch-Mode",
                        "no-cors"),
                event));
        assertRefused(raw(
                rt.port(),
                "POST",
                invocations("AdminFunction"),
                headers("Content-Type", "text/plain", "Origin", "null"),
                event));
        assertRefused(raw(
                rt.port(),
                "POST",
                invocations("AdminFunction"),
                headers("Content-Type", "text/plain", "Sec-Fetch-Site", "cross-site"),
                event));
        assertRefused(
                raw(
                        rt.port(),
                        "POST",
                        invocations("AdminFunction"),
                        headers("Content-Type", "text/plain", "Origin", rt.baseUrl()),
                        event),
                "not even the console's own origin: Invoke is for SDKs");
        Answer sdk = raw(
                rt.port(), "POST", invocations("AdminFunction"), headers("Content-Type", "application/json"), event);
        assertEquals(200, sdk.status(), sdk::toString);
        assertEquals(200, sdk.json().get("statusCode").asInt(), "an SDK's invocation (no Origin) still runs: " + sdk);
    }

    static void assertRefused(Answer a, String why) throws IOException {
        assertEquals(403, a.status(), why + ": " + a);
        assertEquals("FORBIDDEN", a.json().get("error").get("code").asText(), why);
    }

    @Test
    void aRebindingHostIsRefusedOnTheConsoleMailAndOnEveryRouteOfBothPorts() throws Exception {
        int port = rt.port();
        assertRefused(raw(port, "GET", "/_local/api/mail", Map.of("Host", "evil.example:" + port), null));
        assertRefused(
                raw(port, "GET", "/_local/api/mail", Map.of("Host", "127.0.0.1:" + (port + 1)), null), "another port");
        assertRefused(
                raw(port, "GET", "/payment/packages", Map.of("Host", "evil.example:" + port), null),
                "the REST API too");
        assertRefused(
                raw(port, "POST", invocations("AdminFunction"), Map.of("Host", "evil.example:" + port), "{}"),
                "and Invoke");
        assertEquals(
                200,
                raw(port, "GET", "/_local/api/mail", Map.of("Host", "127.0.0.1:" + port), null)
                        .status());
        assertEquals(
                200,
                raw(port, "GET", "/_local/api/mail", Map.of("Host", "LOCALHOST:" + port), null)
                        .status());
        assertEquals(
                401,
                raw(port, "GET", "/payment/packages", Map.of("Host", "localhost:" + port), null)
                        .status(),
                "past the guard: the route's own answer to a request without a token");
        int ws = URI.create(rt.wsUrl()).getPort();
        assertRefused(
                raw(ws, "POST", "/local/@connections/nobody", Map.of("Host", "evil.example:" + ws), "x"),
                "the WebSocket port");
        assertRefused(
                raw(
                        ws,
                        "POST",
                        "/local/@connections/nobody",
                        Map.of("Host", "127.0.0.1:" + ws, "Origin", "https://evil.example"),
                        "x"),
                "its management API from a page");
        // a tool's call passes the guard and reaches the management API itself, which answers in its own shape (an
        // unsigned call is refused there for want of ManageConnections, a signed one for a gone connection is 410)
        Answer tool = raw(ws, "POST", "/local/@connections/nobody", Map.of("Host", "127.0.0.1:" + ws), "x");
        assertTrue(
                !tool.body().contains("FORBIDDEN") && (tool.status() == 410 || tool.status() == 403), tool::toString);
    }

    @Test
    void schedulesAndConsoleActionsRefuseOtherOriginsAndTheConsoleKeepsItsOwn() throws Exception {
        assertRefused(
                raw(rt.port(), "POST", "/_local/schedules/nothing", headers("Origin", "https://evil.example"), null));
        assertRefused(
                raw(rt.port(), "POST", "/_local/schedules/nothing", headers("Sec-Fetch-Site", "same-site"), null),
                "another local port");
        assertEquals(
                404,
                raw(rt.port(), "POST", "/_local/schedules/nothing", headers(), null)
                        .status(),
                "curl still reaches it");
        assertRefused(raw(
                rt.port(),
                "GET",
                "/_local/api/mail",
                headers("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"),
                null));
        assertRefused(
                raw(
                        rt.port(),
                        "POST",
                        "/_local/api/nothing",
                        headers("Origin", "http://127.0.0.1:1", "Content-Type", "application/json"),
                        "{}"),
                "a page on another port");
        // the console's own page: same origin, on either loopback name
        assertEquals(
                200,
                raw(rt.port(), "GET", "/_local/api/mail", headers("Sec-Fetch-Site", "same-origin"), null)
                        .status());
        assertEquals(
                200,
                raw(rt.port(), "GET", "/_local/", headers("Sec-Fetch-Site", "none"), null)
                        .status());
        Answer own = raw(
                rt.port(),
                "POST",
                "/_local/api/nothing",
                headers("Origin", rt.baseUrl(), "Sec-Fetch-Site", "same-origin", "Content-Type", "application/json"),
                "{}");
        assertNotEquals(403, own.status(), own::toString);
        Answer named = raw(
                rt.port(),
                "POST",
                "/_local/api/nothing",
                Map.of(
                        "Host",
                        "localhost:" + rt.port(),
                        "Origin",
                        "http://localhost:" + rt.port(),
                        "Content-Type",
                        "application/json"),
                "{}");
        assertNotEquals(403, named.status(), named::toString);
    }

    @Test
    void cognitoLocalsOwnTriggerCallsStillRun() throws Exception {
        String email = "guard" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Answer reg = raw(
                rt.port(),
                "POST",
                "/auth/register",
                headers("Content-Type", "application/json"),
                Json.write(Map.of("email", email, "password", "Passw0rdOk", "name", "G")));
        assertEquals(201, reg.status(), reg::toString);
        String userId = reg.json().get("userId").asText();
        String code = rt.emulators().cognitoLocal().latestCode(email, Duration.ofSeconds(5));
        assertEquals(
                200,
                raw(
                                rt.port(),
                                "POST",
                                "/auth/confirm",
                                headers("Content-Type", "application/json"),
                                Json.write(Map.of("email", email, "code", code)))
                        .status());
        // PostConfirmation, invoked by cognito-local through the Invoke API, created the profile (nothing else did yet)
        var profile = rt.emulators()
                .dynamo()
                .getItem(b -> b.tableName(
                                rt.emulators().functionConfig("AuthFunction").require("USERS_TABLE"))
                        .key(Map.of("userId", AttributeValue.fromS(userId)))
                        .consistentRead(true));
        assertTrue(profile.hasItem() && !profile.item().isEmpty(), "PostConfirmation ran");
        Answer login = raw(
                rt.port(),
                "POST",
                "/auth/login",
                headers("Content-Type", "application/json"),
                Json.write(Map.of("email", email, "password", "Passw0rdOk")));
        assertEquals(200, login.status(), login::toString);
        JsonNode claims = Json.EVENTS.readTree(Base64.getUrlDecoder()
                .decode(login.json().get("idToken").asText().split("\\.")[1]));
        assertEquals(
                "User",
                claims.path("role").asText(),
                "PreTokenGeneration, invoked the same way, put the role in the token");
    }
}
