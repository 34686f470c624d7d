package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import dev.suite.testkit.Contract;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End-to-end through local/: real HTTP, cognito-local calling the Java triggers through the Invoke API. */
class LocalRuntimeTest {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static LocalRuntime rt;
    static Path data;
    static ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws IOException {
        data = Files.createTempDirectory("local-e2e");
        rt = LocalRuntime.start(
                LocalRuntime.Options.forTests(data), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {
        String text(String f) {
            return json.get(f).asText();
        }
    }

    static Answer call(String method, String path, Object body, String token) throws Exception {
        return call(rt, method, path, body, token);
    }

    /** A JSON call to a local runtime, as a client sends it; other end-to-end tests use it too. */
    static Answer call(LocalRuntime on, String method, String path, Object body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(on.baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(Json.write(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), BodyHandlers.ofString());
        Contract.http(method, path, r.statusCode(), r.headers().map(), r.body());
        JsonNode json = r.body().isEmpty() ? null : Json.EVENTS.readTree(r.body());
        return new Answer(r.statusCode(), json, r);
    }

    static String signUp(String email) throws Exception {
        Answer reg =
                call("POST", "/auth/register", Map.of("email", email, "password", "Passw0rdOk", "name", "Ana"), null);
        assertEquals(201, reg.status(), reg.raw().body());
        String code = rt.emulators().cognitoLocal().latestCode(email, Duration.ofSeconds(5));
        Answer confirmed = call("POST", "/auth/confirm", Map.of("email", email, "code", code), null);
        assertEquals(200, confirmed.status(), confirmed.raw().body());
        return reg.text("userId");
    }

    static Answer login(String email) throws Exception {
        Answer a = call("POST", "/auth/login", Map.of("email", email, "password", "Passw0rdOk"), null);
        assertEquals(200, a.status(), a.raw().body());
        return a;
    }

    static JsonNode claims(String jwt) throws IOException {
        return Json.EVENTS.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void registerConfirmLoginAndMeThroughTheTriggers() throws Exception {
        String email = "e2e" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String userId = signUp(email);
        assertTrue(
                console.toString(StandardCharsets.UTF_8).contains("[mail] code for " + email),
                "codes are printed like a mail catcher");
        String token = login(email).text("idToken");
        assertEquals("User", claims(token).get("role").asText(), "PreTokenGeneration ran through the Invoke API");
        Answer me = call("GET", "/auth/me", null, token);
        assertEquals(200, me.status(), me.raw().body());
        assertEquals(userId, me.text("userId"));
        assertEquals(5, me.json().get("credits").asInt(), "PostConfirmation created the profile with starting credits");
        assertEquals("User", me.text("role"));
    }

    @Test
    void generateAnImageWithTheClipDropStandInAndFetchIt() throws Exception {
        String email = "img" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        signUp(email);
        String token = login(email).text("idToken");
        Answer made = call("POST", "/image/generate-image", Map.of("prompt", "a lighthouse at dawn"), token);
        assertEquals(201, made.status(), made.raw().body());
        assertEquals(4, made.json().get("creditsLeft").asInt());
        HttpResponse<byte[]> png = HTTP.send(
                HttpRequest.newBuilder(URI.create(made.text("imageUrl"))).build(), BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        var image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertEquals(512, image.getWidth(), "a real PNG drawn by the stand-in");
        Answer list = call("GET", "/images", null, token);
        assertEquals(
                made.text("imageId"),
                list.json().get("items").get(0).get("imageId").asText());
        assertEquals(
                4,
                call("GET", "/user/credits", null, token).json().get("credits").asInt());
    }

    @Test
    void buyAPackageThroughTheVnpayStandInThenSpendACredit() throws Exception {
        String email = "buy" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        signUp(email);
        String token = login(email).text("idToken");
        Answer order = call("POST", "/user/pay-vnpay", Map.of("packageId", "starter"), token);
        assertEquals(201, order.status(), order.raw().body());
        URI payUrl = URI.create(order.text("paymentUrl"));
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(payUrl).build(), BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("20,000 VND"), page.body());
        HttpResponse<String> paid = HTTP.send(
                HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/vnpay/complete"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(BodyPublishers.ofString(
                                "result=pay&q=" + URLEncoder.encode(payUrl.getRawQuery(), StandardCharsets.UTF_8)))
                        .build(),
                BodyHandlers.ofString());
        assertEquals(302, paid.statusCode(), paid.body());
        String landing = paid.headers().firstValue("Location").orElseThrow();
        assertTrue(landing.startsWith(rt.baseUrl() + "/payment/vnpay-return?"), landing);
        HttpResponse<String> back =
                HTTP.send(HttpRequest.newBuilder(URI.create(landing)).build(), BodyHandlers.ofString());
        Contract.http(
                "GET",
                URI.create(landing).getPath(),
                back.statusCode(),
                back.headers().map(),
                back.body());
        assertEquals(200, back.statusCode(), back.body());
        assertEquals(
                "SUCCEEDED", Json.EVENTS.readTree(back.body()).get("status").asText());
        assertEquals(
                15,
                call("GET", "/user/credits", null, token).json().get("credits").asInt(),
                "5 at signup + 10 bought");
        assertEquals(
                "SUCCEEDED",
                call("GET", "/payment/transactions/" + order.text("transactionId"), null, token)
                        .text("status"));
        assertEquals(
                201,
                call("POST", "/image/generate-image", Map.of("prompt", "bought with VND"), token)
                        .status());
        assertEquals(
                14,
                call("GET", "/user/credits", null, token).json().get("credits").asInt());
    }

    @Test
    void aScheduleFiredOnDemandRunsItsJob() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/schedules/PendingImagesSweepFunction"))
                        .POST(BodyPublishers.noBody())
                        .build(),
                BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(0, Json.EVENTS.readTree(r.body()).get("refunded").asInt());
        assertTrue(rt.schedules().stream().anyMatch(s -> s.expression().equals("rate(5 minutes)")));
        HttpResponse<String> missing = HTTP.send(
                HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/schedules/Nope"))
                        .POST(BodyPublishers.noBody())
                        .build(),
                BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    @Test
    void anAdminsRoleChangeShowsOnTheNextRefresh() throws Exception {
        String adminEmail = "adm" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String adminId = signUp(adminEmail);
        var emu = rt.emulators();
        emu.cognito()
                .adminAddUserToGroup(
                        b -> b.userPoolId(emu.userPoolId()).username(adminId).groupName("Admin"));
        String adminToken = login(adminEmail).text("idToken");

        String email = "coach" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String userId = signUp(email);
        Answer tokens = login(email);
        assertEquals(
                403, call("GET", "/admin/users", null, tokens.text("idToken")).status());
        Answer changed = call("PUT", "/admin/users/" + userId + "/role", Map.of("role", "Coach"), adminToken);
        assertEquals(200, changed.status(), changed.raw().body());
        Answer refreshed = call("POST", "/auth/refresh", Map.of("refreshToken", tokens.text("refreshToken")), null);
        assertEquals(200, refreshed.status(), refreshed.raw().body());
        JsonNode c = claims(refreshed.text("idToken"));
        assertEquals("Coach", c.get("role").asText());
        assertTrue(c.get("cognito:groups").toString().contains("Coach"), c.toString());
        assertEquals(
                "Coach",
                call("GET", "/auth/me", null, refreshed.text("idToken")).text("role"));
    }

    @Test
    void missingOrBadTokensAre401AndUnknownRoutesAnswerLikeApiGateway() throws Exception {
        Answer none = call("GET", "/auth/me", null, null);
        assertEquals(401, none.status());
        assertEquals("UNAUTHORIZED", none.json().get("error").get("code").asText());
        assertEquals(401, call("GET", "/auth/me", null, "not.a.token").status());
        assertEquals(
                401,
                call("GET", "/admin/users", null, "eyJhbGciOiJub25lIn0.e30.").status());
        Answer unknown = call("GET", "/nowhere", null, null);
        assertEquals(404, unknown.status());
        assertEquals("NOT_FOUND", unknown.json().get("error").get("code").asText());
        assertEquals(
                "MissingAuthenticationTokenException",
                unknown.raw().headers().firstValue("x-amzn-ErrorType").orElse(null));
        assertEquals(404, call("DELETE", "/auth/login", null, null).status(), "a known path with another method");
    }

    @Test
    void gatewayResponsesCarryTheCorsOriginSoABrowserCanReadThem() throws Exception {
        Answer none = call("GET", "/auth/me", null, null);
        assertEquals(401, none.status());
        assertEquals(
                "http://localhost:5173",
                none.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        Answer unknown = call("GET", "/nowhere", null, null);
        assertEquals(
                "http://localhost:5173",
                unknown.raw()
                        .headers()
                        .firstValue("Access-Control-Allow-Origin")
                        .orElse(null));
    }

    @Test
    void corsPreflightAsTheTemplateConfiguresIt() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/auth/me"))
                        .method("OPTIONS", BodyPublishers.noBody())
                        .header("Origin", "http://localhost:5173")
                        .header("Access-Control-Request-Method", "GET")
                        .build(),
                BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(
                "http://localhost:5173",
                r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(r.headers()
                .firstValue("Access-Control-Allow-Headers")
                .orElse("")
                .contains("Authorization"));
    }

    @Test
    void theInvokeApiAnswersLikeLambda() throws Exception {
        HttpResponse<String> missing = HTTP.send(
                HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/2015-03-31/functions/Nope/invocations"))
                        .POST(BodyPublishers.ofString("{}"))
                        .build(),
                BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        HttpResponse<String> bad = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(rt.baseUrl() + "/2015-03-31/functions/PostConfirmationFunction/invocations"))
                        .POST(BodyPublishers.ofString(
                                "{\"triggerSource\":\"PostConfirmation_ConfirmSignUp\",\"request\":{}}"))
                        .build(),
                BodyHandlers.ofString());
        assertEquals(200, bad.statusCode());
        assertEquals(
                "Unhandled", bad.headers().firstValue("X-Amz-Function-Error").orElse(null));
    }

    @Test
    void aRestartOnTheSameDataDirectoryKeepsUsersPoolAndTables() throws Exception {
        Path dir = Files.createTempDirectory("local-restart");
        String email = "keep" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String poolId;
        String userId;
        try (LocalRuntime first =
                LocalRuntime.start(LocalRuntime.Options.forTests(dir), new PrintStream(new ByteArrayOutputStream()))) {
            poolId = first.emulators().userPoolId();
            LocalRuntime saved = rt;
            rt = first;
            try {
                userId = signUp(email);
            } finally {
                rt = saved;
            }
        }
        try (LocalRuntime second =
                LocalRuntime.start(LocalRuntime.Options.forTests(dir), new PrintStream(new ByteArrayOutputStream()))) {
            assertEquals(poolId, second.emulators().userPoolId(), "pool id stable across restarts");
            LocalRuntime saved = rt;
            rt = second;
            try {
                Answer me = call("GET", "/auth/me", null, login(email).text("idToken"));
                assertEquals(200, me.status(), me.raw().body());
                assertEquals(userId, me.text("userId"));
                assertEquals(5, me.json().get("credits").asInt());
            } finally {
                rt = saved;
            }
        }
        assertNotNull(poolId);
    }

    @Test
    void aPortInUseIsOneLineNamingTheFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String message = LocalRuntime.portInUse(taken.getLocalPort(), "--port");
            assertNotNull(message);
            assertTrue(
                    message.contains(Integer.toString(taken.getLocalPort()))
                            && message.contains("--port N")
                            && !message.contains("\n"),
                    message);
        }
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = free.getLocalPort();
            free.close();
            assertNull(LocalRuntime.portInUse(port, "--ws-port"));
        }
    }
}
