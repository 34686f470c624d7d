package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gym journey through the local runtime: buy a plan through stripe-java on the Stripe stand-in's page (a second
 * checkout answers the same open session; the stand-in's signed webhook reaches StripeWebhookFunction, which
 * fulfils), get a check-in code, a Staff user of another gym is refused, the gym's own Staff scans it and sees the
 * member's name, occupancy shows 1, check out, occupancy 0.
 */
class GymE2ETest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalRuntime rt;

    @BeforeAll
    static void start() throws Exception {
        rt = LocalRuntime.start(
                LocalRuntime.Options.forTests(Files.createTempDirectory("gym-e2e")),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    static LocalRuntimeTest.Answer call(String method, String path, Object body, String token) throws Exception {
        return LocalRuntimeTest.call(rt, method, path, body, token);
    }

    record Person(String id, String email, String token) {}

    static String login(String email) throws Exception {
        return call("POST", "/auth/login", Map.of("email", email, "password", "Passw0rdOk"), null)
                .json()
                .get("idToken")
                .asText();
    }

    /** A registered, confirmed and signed-in user. */
    static Person person(String name) throws Exception {
        String email = name.toLowerCase() + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String id = call("POST", "/auth/register", Map.of("email", email, "password", "Passw0rdOk", "name", name), null)
                .json()
                .get("userId")
                .asText();
        call(
                "POST",
                "/auth/confirm",
                Map.of("email", email, "code", rt.emulators().cognitoLocal().latestCode(email, Duration.ofSeconds(5))),
                null);
        return new Person(id, email, login(email));
    }

    @Test
    void buyOnTheStandInThenCheckInAndOut() throws Exception {
        Person admin = person("Ada");
        var emu = rt.emulators();
        emu.cognito()
                .adminAddUserToGroup(
                        b -> b.userPoolId(emu.userPoolId()).username(admin.id()).groupName("Admin"));
        String adminToken = login(admin.email());
        Person desk = person("Dana");
        assertEquals(
                200,
                call("PUT", "/admin/users/" + desk.id() + "/role", Map.of("role", "Staff"), adminToken)
                        .status());
        String staffToken = login(desk.email());
        Person member = person("Minh");

        String gymId = call(
                        "POST",
                        "/admin/gyms",
                        Map.of("name", "District 1", "capacity", 5, "timezone", "Asia/Ho_Chi_Minh"),
                        adminToken)
                .json()
                .get("gymId")
                .asText();
        String otherGym = call(
                        "POST",
                        "/admin/gyms",
                        Map.of("name", "District 3", "capacity", 5, "timezone", "Asia/Ho_Chi_Minh"),
                        adminToken)
                .json()
                .get("gymId")
                .asText();
        assertEquals(
                200,
                call("PUT", "/admin/gyms/" + gymId + "/staff/" + desk.id(), null, adminToken)
                        .status());
        Person otherDesk = person("Olga");
        assertEquals(
                200,
                call("PUT", "/admin/users/" + otherDesk.id() + "/role", Map.of("role", "Staff"), adminToken)
                        .status());
        assertEquals(
                200,
                call("PUT", "/admin/gyms/" + otherGym + "/staff/" + otherDesk.id(), null, adminToken)
                        .status());
        String otherStaffToken = login(otherDesk.email());
        String planId = call(
                        "POST",
                        "/admin/membership/plans",
                        Map.of("name", "30 days", "days", 30, "amount", 500_000, "currency", "VND"),
                        adminToken)
                .json()
                .get("planId")
                .asText();
        assertEquals(
                403,
                call("POST", "/staff/checkins", Map.of("token", "x"), member.token())
                        .status(),
                "members do not scan");

        LocalRuntimeTest.Answer checkout =
                call("POST", "/membership/checkout", Map.of("planId", planId), member.token());
        assertEquals(201, checkout.status(), String.valueOf(checkout.json()));
        LocalRuntimeTest.Answer again = call("POST", "/membership/checkout", Map.of("planId", planId), member.token());
        assertEquals(200, again.status(), String.valueOf(again.json()));
        assertEquals(
                checkout.json().get("sessionId").asText(),
                again.json().get("sessionId").asText(),
                "the open session, again");
        String page = HTTP.send(
                        HttpRequest.newBuilder(URI.create(
                                        checkout.json().get("checkoutUrl").asText()))
                                .build(),
                        BodyHandlers.ofString())
                .body();
        assertTrue(page.contains("500000 VND") && page.contains("30 days"), page);
        var paid = HTTP.send(
                HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/stripe/complete"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(BodyPublishers.ofString(
                                "session=" + checkout.json().get("sessionId").asText() + "&result=pay"))
                        .build(),
                BodyHandlers.ofString());
        assertEquals(302, paid.statusCode(), paid.body());
        assertTrue(paid.headers()
                .firstValue("Location")
                .orElseThrow()
                .contains(checkout.json().get("sessionId").asText()));
        JsonNode membership =
                call("GET", "/me/membership", null, member.token()).json();
        assertEquals("ACTIVE", membership.get("status").asText(), membership.toString());
        assertEquals(
                "PAID",
                call("GET", "/me/membership/purchases", null, member.token())
                        .json()
                        .get("items")
                        .get(0)
                        .get("status")
                        .asText());

        String token = call("POST", "/me/checkin-token", Map.of("gymId", gymId), member.token())
                .json()
                .get("token")
                .asText();
        LocalRuntimeTest.Answer foreign = call("POST", "/staff/checkins", Map.of("token", token), otherStaffToken);
        assertEquals(403, foreign.status(), String.valueOf(foreign.json()));
        assertEquals("NOT_GYM_STAFF", foreign.json().get("error").get("code").asText());
        LocalRuntimeTest.Answer in = call("POST", "/staff/checkins", Map.of("token", token), staffToken);
        assertEquals(201, in.status(), String.valueOf(in.json()));
        assertEquals("Minh", in.json().get("name").asText(), "the desk sees who stands there");
        assertEquals(
                1,
                call("GET", "/gyms/" + gymId, null, member.token())
                        .json()
                        .get("occupancy")
                        .asInt());
        assertEquals(
                409,
                call("POST", "/staff/checkins", Map.of("token", token), staffToken)
                        .status(),
                "a replay");
        assertEquals(
                200,
                call("POST", "/staff/checkouts", Map.of("userId", member.id(), "gymId", gymId), staffToken)
                        .status());
        assertEquals(
                0,
                call("GET", "/gyms/" + gymId, null, member.token())
                        .json()
                        .get("occupancy")
                        .asInt());
    }

    @Test
    void theStandInSpeaksWhatStripeJavaSends() throws Exception {
        String sessions = rt.baseUrl() + "/_local/stripe/v1/checkout/sessions";
        String form = "mode=payment&line_items%5B0%5D%5Bquantity%5D=1";
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(sessions))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form));
        assertEquals(
                401,
                HTTP.send(
                                post.copy()
                                        .header("Authorization", "Bearer sk_wrong")
                                        .header("Stripe-Version", "2025-03-31.basil")
                                        .build(),
                                BodyHandlers.ofString())
                        .statusCode());
        assertEquals(
                400,
                HTTP.send(
                                post.copy()
                                        .header("Authorization", "Bearer " + StripeStandIn.KEY)
                                        .build(),
                                BodyHandlers.ofString())
                        .statusCode(),
                "stripe-java always sends Stripe-Version");
        HttpRequest keyed = post.copy()
                .header("Authorization", "Bearer " + StripeStandIn.KEY)
                .header("Stripe-Version", "2025-03-31.basil")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .build();
        String first = HTTP.send(keyed, BodyHandlers.ofString()).body();
        String replay = HTTP.send(keyed, BodyHandlers.ofString()).body();
        assertEquals(
                Json.EVENTS.readTree(first).get("id"),
                Json.EVENTS.readTree(replay).get("id"),
                "a replayed Idempotency-Key answers the same session");
    }
}
