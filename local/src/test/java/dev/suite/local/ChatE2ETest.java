package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.shared.Json;
import dev.suite.shared.data.Users;
import dev.suite.shared.push.Connections;
import dev.suite.testkit.Contract;
import dev.suite.testkit.Emf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chat through the local runtime with java.net.http's WebSocket client. */
class ChatE2ETest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalRuntime rt;
    static Connections connections;

    @BeforeAll
    static void start() throws Exception {
        // every user of this class registers from 127.0.0.1 within a minute: lift the per-address registration limit
        rt = LocalRuntime.start(
                new LocalRuntime.Options(
                        0,
                        0,
                        Files.createTempDirectory("chat-e2e"),
                        false,
                        Map.of("AuthFunction", Map.of("REGISTER_LIMIT_PER_IP_PER_MINUTE", "1000")),
                        false),
                new PrintStream(new ByteArrayOutputStream()));
        connections =
                Connections.from(rt.emulators().dynamo(), rt.emulators().functionConfig("ChatConnectionFunction"));
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @AfterEach
    void framesKeptToTheContract() {
        Contract.assertNoFrameViolations();
    }

    record User(String id, String token) {}

    static JsonNode call(String method, String path, Object body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rt.baseUrl() + path))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(Json.write(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        var answer = HTTP.send(b.build(), BodyHandlers.ofString());
        Contract.http(method, path, answer.statusCode(), answer.headers().map(), answer.body());
        String r = answer.body();
        return r.isEmpty() ? null : Json.EVENTS.readTree(r);
    }

    static User user() throws Exception {
        String email = "chat" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        JsonNode reg =
                call("POST", "/auth/register", Map.of("email", email, "password", "Passw0rdOk", "name", "C"), null);
        String code = rt.emulators().cognitoLocal().latestCode(email, Duration.ofSeconds(5));
        call("POST", "/auth/confirm", Map.of("email", email, "code", code), null);
        JsonNode tokens = call("POST", "/auth/login", Map.of("email", email, "password", "Passw0rdOk"), null);
        return new User(reg.get("userId").asText(), tokens.get("idToken").asText());
    }

    /** A WebSocket client collecting the frames it receives. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    // every frame received is held to asyncapi.yaml; a violation fails the test in @AfterEach
                    Contract.frame(partial.toString());
                } catch (AssertionError queued) {
                    // kept by Contract for assertNoFrameViolations()
                }
                try {
                    frames.add(Json.EVENTS.readTree(partial.toString()));
                } catch (Exception e) {
                    frames.add(Json.EVENTS.createObjectNode().put("unparsed", partial.toString()));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        void send(Object frame) {
            socket.sendText(frame instanceof String s ? s : Json.write(frame), true)
                    .join();
        }

        /** The next frame of a type within the timeout, skipping others; null if none came. */
        JsonNode next(String type, long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            while (true) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return null;
                }
                JsonNode f = frames.poll(left, TimeUnit.MILLISECONDS);
                if (f == null) {
                    return null;
                }
                if (type.equals(f.path("type").asText())) {
                    return f;
                }
            }
        }
    }

    static Client connect(String token) throws Exception {
        Client c = new Client();
        c.socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(rt.wsUrl() + "/?token=" + token), c)
                .get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void membersGetMessagesLiveTheSenderGetsAnAckAndRetriesAreDeliveredOnce() throws Exception {
        User a = user();
        User b = user();
        User c = user();
        String room = call(
                        "POST",
                        "/chat/rooms",
                        Map.of("type", "group", "name", "Quit", "memberIds", List.of(b.id())),
                        a.token())
                .get("roomId")
                .asText();
        Client a1 = connect(a.token());
        Client a2 = connect(a.token());
        Client b1 = connect(b.token());
        Client c1 = connect(c.token());

        long sent = System.nanoTime();
        JsonNode[] received = new JsonNode[1];
        String emf = Emf.stdout(() -> {
            a1.send(Map.of(
                    "action",
                    "sendMessage",
                    "roomId",
                    room,
                    "text",
                    "Day 3 without smoking",
                    "clientMessageId",
                    "m-1"));
            try {
                received[0] = b1.next("message", 1000);
                // the ack is sent after the fan-out and its metrics: wait for it inside the capture
                long deadline = System.currentTimeMillis() + 3000;
                while (a1.frames.stream().noneMatch(f -> f.path("type").asText().equals("ack"))
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        JsonNode got = received[0];
        long receivedMs = (System.nanoTime() - sent) / 1_000_000;
        assertEquals(1, Emf.emf(emf, "MessagesSent").size(), emf);
        var latency = Emf.emf(emf, "FanoutLatency");
        assertEquals(1, latency.size());
        assertEquals(
                "Milliseconds",
                latency.get(0).at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText());
        assertNotNull(got, "B receives within 1 s");
        assertTrue(receivedMs < 1000, receivedMs + " ms");
        assertEquals("Day 3 without smoking", got.get("text").asText());
        assertEquals(a.id(), got.get("senderId").asText());
        assertEquals(room, got.get("roomId").asText());
        JsonNode ack = a1.next("ack", 1000);
        assertNotNull(ack);
        assertEquals("m-1", ack.get("clientMessageId").asText());
        assertEquals(got.get("messageId").asText(), ack.get("messageId").asText());
        assertNotNull(a2.next("message", 1000), "the sender's other device gets it too");
        assertNull(c1.next("message", 300), "a non-member gets nothing");

        a1.send(Map.of(
                "action", "sendMessage", "roomId", room, "text", "Day 3 without smoking", "clientMessageId", "m-1"));
        JsonNode again = a1.next("ack", 1000);
        assertEquals(ack.get("messageId").asText(), again.get("messageId").asText(), "a retry gets the same ack");
        assertNull(b1.next("message", 500), "and is delivered once");

        c1.send(Map.of("action", "sendMessage", "roomId", room, "text", "let me in", "clientMessageId", "x-1"));
        JsonNode refused = c1.next("error", 1000);
        assertEquals("NOT_A_MEMBER", refused.get("code").asText());
        assertNull(b1.next("message", 300));

        b1.send(Map.of("action", "typing", "roomId", room));
        JsonNode typing = a1.next("typing", 1000);
        assertEquals(b.id(), typing.get("userId").asText());
        assertNotNull(a2.next("typing", 1000));
        assertNull(b1.next("typing", 300), "typing is not echoed to the typist");

        a1.send(Map.of("action", "dance"));
        assertEquals("UNKNOWN_ACTION", a1.next("error", 1000).get("code").asText());
        a1.send("not json at all");
        assertEquals("MALFORMED_FRAME", a1.next("error", 1000).get("code").asText());
        a1.send(Map.of("action", "sendMessage", "roomId", room, "text", " ", "clientMessageId", "m-blank"));
        assertEquals("VALIDATION_FAILED", a1.next("error", 1000).get("code").asText());
        a1.send(Map.of("action", "sendMessage", "roomId", room, "text", "x".repeat(4001), "clientMessageId", "m-long"));
        assertEquals("VALIDATION_FAILED", a1.next("error", 1000).get("code").asText());
        a1.send(Map.of("action", "sendMessage", "roomId", room, "text", "still here", "clientMessageId", "m-2"));
        assertEquals("still here", b1.next("message", 1000).get("text").asText(), "errors keep the connection open");

        JsonNode history = call("GET", "/chat/rooms/" + room + "/messages", null, b.token());
        assertEquals(2, history.get("items").size());
        assertEquals("still here", history.get("items").get(0).get("text").asText());
        for (Client x : List.of(a1, a2, b1, c1)) {
            x.socket.sendClose(1000, "bye").join();
        }
    }

    @Test
    void aClientThatVanishedIsRemovedOnTheNextFanOutsGone() throws Exception {
        User a = user();
        User b = user();
        String room = call("POST", "/chat/rooms", Map.of("type", "direct", "memberIds", List.of(b.id())), a.token())
                .get("roomId")
                .asText();
        connections.open("vanishedConnection1", b.id(), Instant.now());
        Client a1 = connect(a.token());
        Client b1 = connect(b.token());
        assertEquals(2, connections.ofUser(b.id(), Instant.now()).size());
        a1.send(Map.of("action", "sendMessage", "roomId", room, "text", "hello?", "clientMessageId", "v-1"));
        assertNotNull(b1.next("message", 1000));
        assertNotNull(a1.next("ack", 1000));
        List<String> left = connections.ofUser(b.id(), Instant.now());
        assertEquals(1, left.size(), "the vanished connection answered 410 and was deleted");
        assertTrue(!left.contains("vanishedConnection1"));
        assertEquals(1, connections.ofUser(a.id(), Instant.now()).size(), "the sender's connection stays");

        b1.socket.sendClose(1000, "bye").join();
        long deadline = System.currentTimeMillis() + 3000;
        while (!connections.ofUser(b.id(), Instant.now()).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(connections.ofUser(b.id(), Instant.now()).isEmpty(), "$disconnect deleted the row");
        a1.socket.sendClose(1000, "bye").join();
    }

    @Test
    void aVoiceNoteTravelsAsAnAttachmentWithAPresignedGet() throws Exception {
        User a = user();
        User b = user();
        String room = call("POST", "/chat/rooms", Map.of("type", "direct", "memberIds", List.of(b.id())), a.token())
                .get("roomId")
                .asText();
        byte[] voice = "OggS fake voice note".getBytes(StandardCharsets.UTF_8);
        JsonNode upload = call(
                "POST",
                "/chat/attachments",
                Map.of("roomId", room, "fileName", "note.ogg", "contentType", "audio/ogg", "size", voice.length),
                a.token());
        var put = HTTP.send(
                HttpRequest.newBuilder(URI.create(upload.get("uploadUrl").asText()))
                        .header("Content-Type", "audio/ogg")
                        .PUT(BodyPublishers.ofByteArray(voice))
                        .build(),
                BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        Client a1 = connect(a.token());
        Client b1 = connect(b.token());
        a1.send(Map.of(
                "action",
                "sendMessage",
                "roomId",
                room,
                "attachmentKey",
                upload.get("attachmentKey").asText(),
                "clientMessageId",
                "voice-1"));
        JsonNode got = b1.next("message", 2000);
        assertNotNull(got);
        assertEquals("audio/ogg", got.get("attachment").get("contentType").asText());
        var fetched = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(got.get("attachment").get("url").asText()))
                        .build(),
                BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertEquals(new String(voice), new String(fetched.body()));
        a1.send(Map.of(
                "action",
                "sendMessage",
                "roomId",
                room,
                "attachmentKey",
                "attachments/other-room/x/y.ogg",
                "clientMessageId",
                "voice-2"));
        assertEquals("VALIDATION_FAILED", a1.next("error", 1000).get("code").asText());
        a1.socket.sendClose(1000, "bye").join();
        b1.socket.sendClose(1000, "bye").join();
    }

    @Test
    void hostileFramesOnEveryActionGetAnErrorFrameAndTheConnectionStaysOpen() throws Exception {
        User a = user();
        User b = user();
        String room = call("POST", "/chat/rooms", Map.of("type", "direct", "memberIds", List.of(b.id())), a.token())
                .get("roomId")
                .asText();
        Client a1 = connect(a.token());
        List<String> frames = new ArrayList<>(List.of(
                "",
                "{",
                "[]",
                "null",
                "42",
                "\"text\"",
                "{\"action\":5}",
                "{\"action\":\"sendMessage\"" + ",\"x\":".repeat(1) + "1}",
                "{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}",
                "{\"action\":\"" + "x".repeat(40_000) + "\"}"));
        for (String action : List.of("sendMessage", "typing")) {
            for (String field : List.of("roomId", "text", "clientMessageId", "attachmentKey")) {
                for (String value : List.of(
                        "123456789012345678901234567890",
                        "[]",
                        "{}",
                        "true",
                        "\"../../etc/passwd\"",
                        "\"' OR 1=1 --\"",
                        "\"a\\u0000b\"",
                        "\"" + "y".repeat(5000) + "\"")) {
                    frames.add("{\"action\":\"" + action + "\",\"roomId\":\"" + room
                            + "\",\"clientMessageId\":\"h1\",\"" + field + "\":" + value + "}");
                }
            }
            frames.add("{\"action\":\"" + action + "\",\"roomId\":\"" + room
                    + "\",\"clientMessageId\":\"h2\",\"isAdmin\":\"yes\"}");
        }
        int errors = 0;
        for (String frame : frames) {
            a1.frames.clear();
            a1.send(frame);
            JsonNode answer = a1.next("error", 2000);
            if (answer != null) {
                errors++;
                assertNotNull(answer.get("code").asText());
            }
        }
        assertTrue(errors >= frames.size() - 2, errors + " error frames for " + frames.size() + " hostile frames");
        a1.send(Map.of(
                "action", "sendMessage", "roomId", room, "text", "still open", "clientMessageId", "after-hostile"));
        assertNotNull(a1.next("ack", 2000), "the connection survived " + frames.size() + " hostile frames");
        JsonNode stored = call("GET", "/chat/rooms/" + room + "/messages", null, a.token())
                .get("items");
        assertTrue(
                stored.size() <= 2,
                "at most one hostile-looking but valid text (idempotent on h1) and the last message: " + stored);
        for (JsonNode m : stored) {
            assertTrue(
                    m.get("text").asText().length() <= 4000
                            && !m.get("text").asText().contains("\u0000"),
                    m.toString());
        }
        a1.socket.sendClose(1000, "bye").join();
    }

    @Test
    void aHandshakeWithABadOrMissingTokenIsRefused() {
        for (String token : List.of("not-a-token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "")) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> connect(token));
            assertTrue(e.getCause() instanceof WebSocketHandshakeException, String.valueOf(e.getCause()));
        }
    }

    /** Logout and a role change end the user's live sessions: every open connection is closed by the server. */
    @Test
    void logoutAndARoleChangeCloseTheUsersOpenConnections() throws Exception {
        String email = "bye" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        call("POST", "/auth/register", Map.of("email", email, "password", "Passw0rdOk", "name", "B"), null);
        call(
                "POST",
                "/auth/confirm",
                Map.of("email", email, "code", rt.emulators().cognitoLocal().latestCode(email, Duration.ofSeconds(5))),
                null);
        JsonNode tokens = call("POST", "/auth/login", Map.of("email", email, "password", "Passw0rdOk"), null);
        String idToken = tokens.get("idToken").asText();
        Client phone = connect(idToken);
        Client laptop = connect(idToken);
        User other = user();
        Client bystander = connect(other.token());
        call(
                "POST",
                "/auth/logout",
                Map.of("refreshToken", tokens.get("refreshToken").asText()),
                idToken);
        assertNotNull(phone.closed.get(3, TimeUnit.SECONDS), "the phone's connection is closed");
        assertNotNull(laptop.closed.get(3, TimeUnit.SECONDS), "the laptop's too");
        assertFalse(bystander.closed.isDone(), "nobody else's");

        User admin = user();
        var cognito = rt.emulators().cognito();
        cognito.adminAddUserToGroup(b ->
                b.userPoolId(rt.emulators().userPoolId()).username(admin.id()).groupName("Admin"));
        Users.from(rt.emulators().dynamo(), rt.emulators().functionConfig("AdminFunction"))
                .setRole(admin.id(), "Admin", Instant.now());
        String adminEmail = cognito
                .adminGetUser(b -> b.userPoolId(rt.emulators().userPoolId()).username(admin.id()))
                .userAttributes()
                .stream()
                .filter(a -> a.name().equals("email"))
                .findFirst()
                .orElseThrow()
                .value();
        String adminToken = call("POST", "/auth/login", Map.of("email", adminEmail, "password", "Passw0rdOk"), null)
                .get("idToken")
                .asText();
        JsonNode changed = call("PUT", "/admin/users/" + other.id() + "/role", Map.of("role", "Coach"), adminToken);
        assertEquals("Coach", changed.get("role").asText(), changed::toString);
        assertNotNull(bystander.closed.get(3, TimeUnit.SECONDS), "a role change closes that user's connections");
    }
}
