package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import dev.suite.shared.push.Connections;
import dev.suite.testkit.Contract;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Journey 3 through the local runtime: an admin assigns a coach, the coach holds a WebSocket open, the client saves
 * an entry with a slip and the coach gets the progress and notification frames live; the daily job notifies once.
 */
class CoachingE2ETest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    static LocalRuntime rt;

    @BeforeAll
    static void start() throws Exception {
        rt = LocalRuntime.start(
                LocalRuntime.Options.forTests(Files.createTempDirectory("coaching-e2e")),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @AfterEach
    void framesKeptToTheContract() {
        Contract.assertNoFrameViolations();
    }

    record Person(String id, String email, String token) {}

    static LocalRuntimeTest.Answer call(String method, String path, Object body, String token) throws Exception {
        return LocalRuntimeTest.call(rt, method, path, body, token);
    }

    static String login(String email) throws Exception {
        return call("POST", "/auth/login", Map.of("email", email, "password", "Passw0rdOk"), null)
                .json()
                .get("idToken")
                .asText();
    }

    static Person person(String name) throws Exception {
        String email = name.toLowerCase() + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        LocalRuntimeTest.Answer reg =
                call("POST", "/auth/register", Map.of("email", email, "password", "Passw0rdOk", "name", name), null);
        call(
                "POST",
                "/auth/confirm",
                Map.of("email", email, "code", rt.emulators().cognitoLocal().latestCode(email, Duration.ofSeconds(5))),
                null);
        return new Person(reg.json().get("userId").asText(), email, login(email));
    }

    static ChatE2ETest.Client connect(String token) throws Exception {
        ChatE2ETest.Client c = new ChatE2ETest.Client();
        c.socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(rt.wsUrl() + "/?token=" + token), c)
                .get(10, TimeUnit.SECONDS);
        return c;
    }

    static LocalRuntimeTest.Answer schedule() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(rt.baseUrl() + "/_local/schedules/CoachingAtRiskFunction"))
                        .POST(BodyPublishers.noBody())
                        .build(),
                BodyHandlers.ofString());
        return new LocalRuntimeTest.Answer(r.statusCode(), Json.EVENTS.readTree(r.body()), r);
    }

    @Test
    void theCoachSeesASlipLiveAndTheDailyJobNotifiesOnce() throws Exception {
        Person admin = person("Ada");
        var emu = rt.emulators();
        emu.cognito()
                .adminAddUserToGroup(
                        b -> b.userPoolId(emu.userPoolId()).username(admin.id()).groupName("Admin"));
        String adminToken = login(admin.email());
        Person coach = person("Cora");
        Person client = person("Minh");
        assertEquals(
                200,
                call("PUT", "/admin/users/" + coach.id() + "/role", Map.of("role", "Coach"), adminToken)
                        .status());
        String coachToken = login(coach.email());

        LocalRuntimeTest.Answer plain =
                call("PUT", "/admin/users/" + client.id() + "/coach", Map.of("coachId", client.id()), client.token());
        assertEquals(403, plain.status(), "only an admin assigns");
        LocalRuntimeTest.Answer assigned =
                call("PUT", "/admin/users/" + client.id() + "/coach", Map.of("coachId", coach.id()), adminToken);
        assertEquals(200, assigned.status(), String.valueOf(assigned.json()));
        String room = assigned.json().get("roomId").asText();
        assertEquals(
                room,
                call("GET", "/me/coach", null, client.token())
                        .json()
                        .get("roomId")
                        .asText());
        JsonNode rooms = call("GET", "/chat/rooms", null, coachToken).json().get("items");
        assertEquals(room, rooms.get(0).get("roomId").asText(), "the coach-client room is the chat's own direct room");
        assertEquals(
                room,
                call("POST", "/chat/rooms", Map.of("type", "direct", "memberIds", List.of(coach.id())), client.token())
                        .json()
                        .get("roomId")
                        .asText(),
                "and the chat reuses it");

        LocalDate today = LocalDate.now(ZONE);
        assertEquals(
                201,
                call(
                                "PUT",
                                "/quit/profile",
                                Map.of(
                                        "quitDate",
                                        today.minusDays(10).toString(),
                                        "cigarettesPerDay",
                                        12,
                                        "packPrice",
                                        35_000,
                                        "timezone",
                                        ZONE.getId()),
                                client.token())
                        .status());
        assertEquals(
                201,
                call("PUT", "/progress/entries/" + today.minusDays(1), Map.of("smoked", 0), client.token())
                        .status());

        ChatE2ETest.Client live = connect(coachToken);
        Connections connections = Connections.from(emu.dynamo(), emu.functionConfig("CoachingFunction"));
        connections.open("vanishedCoachConnection", coach.id(), Instant.now());
        long sent = System.nanoTime();
        LocalRuntimeTest.Answer slip = call(
                "PUT",
                "/progress/entries/" + today,
                Map.of("smoked", 2, "cravings", 7, "triggers", List.of("alcohol")),
                client.token());
        assertEquals(201, slip.status(), String.valueOf(slip.json()));
        JsonNode progress = live.next("progress", 1000);
        long progressMs = (System.nanoTime() - sent) / 1_000_000;
        JsonNode notification = live.next("notification", 1000);
        long notificationMs = (System.nanoTime() - sent) / 1_000_000;
        assertNotNull(progress, "the coach gets the progress frame within a second");
        assertNotNull(notification, "and the notification frame");
        assertTrue(progressMs < 1000 && notificationMs < 1000, progressMs + " / " + notificationMs + " ms");
        assertEquals(client.id(), progress.get("clientId").asText());
        assertEquals(0, progress.get("summary").get("currentStreak").asInt(), "today's slip ended the streak");
        assertEquals(1, progress.get("summary").get("longestStreak").asInt());
        assertEquals("slip", notification.get("notification").get("type").asText());
        String id = notification.get("notification").get("notificationId").asText();
        JsonNode listed = call("GET", "/notifications", null, coachToken).json().get("items");
        assertEquals(id, listed.get(0).get("notificationId").asText(), "GET /notifications lists it");
        assertEquals(
                1,
                connections.ofUser(coach.id(), Instant.now()).size(),
                "the vanished connection answered 410 and was deleted");
        JsonNode clients =
                call("GET", "/coach/clients", null, coachToken).json().get("items");
        assertTrue(clients.get(0).get("atRisk").asBoolean(), "a slip in the last 24 hours");

        LocalRuntimeTest.Answer first = schedule();
        assertEquals(200, first.status(), String.valueOf(first.json()));
        JsonNode atRisk = live.next("notification", 2000);
        assertNotNull(atRisk, "the job's notification is pushed too");
        assertEquals("at-risk", atRisk.get("notification").get("type").asText());
        LocalRuntimeTest.Answer second = schedule();
        assertEquals(
                0, second.json().get("notified").asInt(), "the second run notifies nobody again: " + second.json());
        long count = 0;
        for (JsonNode n :
                call("GET", "/notifications?limit=100", null, coachToken).json().get("items")) {
            count += n.get("type").asText().equals("at-risk")
                            && n.get("clientId").asText().equals(client.id())
                    ? 1
                    : 0;
        }
        assertEquals(1, count, "run twice, notified once");

        // p50 from a client's PUT to the coach's progress frame, over 20 saves (alternating, so each is a real change)
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            live.frames.clear();
            long t0 = System.nanoTime();
            assertEquals(
                    200,
                    call("PUT", "/progress/entries/" + today, Map.of("smoked", i % 2 == 0 ? 0 : 1), client.token())
                            .status());
            assertNotNull(live.next("progress", 2000), "save " + i);
            millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        Collections.sort(millis);
        System.out.printf(
                "coaching: PUT /progress/entries/{date} -> coach's progress frame over %d saves: p50 %d ms, p90 %d ms, max %d ms%n",
                millis.size(),
                millis.get(millis.size() / 2),
                millis.get(millis.size() * 9 / 10),
                millis.get(millis.size() - 1));
        assertTrue(millis.get(millis.size() / 2) < 1000, millis.toString());
        live.socket.sendClose(1000, "bye").join();
    }
}
