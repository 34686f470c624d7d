package dev.suite.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.suite.chat.api.ChatMessagesHandler;
import dev.suite.chat.domain.Attachments;
import dev.suite.chat.domain.Messaging;
import dev.suite.chat.store.ChatStore;
import dev.suite.emulators.Emulators;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import dev.suite.shared.SyntheticContext;
import dev.suite.shared.Times;
import dev.suite.shared.push.Connections;
import dev.suite.shared.push.Push;
import dev.suite.testkit.Faults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * sendMessage under faults, at the handler: the message is stored before its fan-out, a fan-out that fails is done
 * again by the client's retry (not skipped because the message exists), and idempotency is scoped to the room.
 */
class MessageDeliveryTest {
    static Emulators emu;
    HttpServer management;
    Config config;
    ChatStore store;
    /** What this test's @connections endpoint received, per connection id. */
    final Map<String, List<JsonNode>> posted = new ConcurrentHashMap<>();

    @BeforeAll
    static void emulators() {
        emu = Emulators.shared();
    }

    @BeforeEach
    void start() throws IOException {
        management = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        management.createContext("/@connections/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/@connections/".length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            posted.computeIfAbsent(id, k -> new ArrayList<>())
                    .add(Json.EVENTS.readTree(new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        management.start();
        config = emu.functionConfig("ChatMessagesFunction")
                .with(Map.of(
                        "WEBSOCKET_MANAGEMENT_ENDPOINT",
                        "http://127.0.0.1:" + management.getAddress().getPort()));
        store = ChatStore.from(emu.dynamo(), config);
    }

    @AfterEach
    void stop() {
        management.stop(0);
    }

    /** A handler whose connection lookups fail while {@code failing} is set (a throttled table, a timeout). */
    ChatMessagesHandler handler(AtomicBoolean failing) {
        // the function's own client: its calls go through the IAM gateway with ChatMessagesFunction's role
        var dynamo = Faults.dynamo(
                Clients.dynamo(config), "batchGetItem", (call, args) -> failing.get() ? Faults.throttled() : null);
        Push push = new Push(config, Connections.from(dynamo, config));
        ChatStore own = ChatStore.from(Clients.dynamo(config), config);
        return new ChatMessagesHandler(
                new Messaging(
                        own,
                        new Attachments(null, null, "unused", java.time.Duration.ofMinutes(1), Clock.systemUTC()),
                        push,
                        Clock.systemUTC()),
                push);
    }

    String room(String... userIds) {
        String roomId = "gr-" + UUID.randomUUID();
        String now = Times.iso(Instant.now());
        List<ChatStore.Member> members = new ArrayList<>();
        for (String u : userIds) {
            members.add(new ChatStore.Member(roomId, u, members.isEmpty() ? "owner" : "member", now));
        }
        store.createRoom(new ChatStore.Room(roomId, "group", "Delivery", userIds[0], now, now), members);
        return roomId;
    }

    String connect(String userId) {
        String id = "conn-" + UUID.randomUUID();
        Connections.from(emu.dynamo(), config).open(id, userId, Instant.now());
        return id;
    }

    static void send(ChatMessagesHandler h, String userId, String connectionId, Map<String, Object> frame) {
        APIGatewayV2WebSocketEvent.RequestContext ctx = new APIGatewayV2WebSocketEvent.RequestContext();
        ctx.setRouteKey("sendMessage");
        ctx.setConnectionId(connectionId);
        ctx.setRequestId(UUID.randomUUID().toString());
        ctx.setDomainName("unused.invalid");
        ctx.setStage("test");
        ctx.setAuthorizer(Map.of("userId", userId));
        APIGatewayV2WebSocketEvent e = new APIGatewayV2WebSocketEvent();
        e.setRequestContext(ctx);
        try {
            e.setBody(Json.MAPPER.writeValueAsString(frame));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        h.handleRequest(e, new SyntheticContext("ChatMessagesFunction"));
    }

    List<JsonNode> frames(String connectionId, String type) {
        return posted.getOrDefault(connectionId, List.of()).stream()
                .filter(f -> type.equals(f.path("type").asText()))
                .toList();
    }

    @Test
    void aFanOutThatFailedIsDoneAgainByTheRetry() {
        String alice = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String roomId = room(alice, bob);
        String aliceConn = connect(alice);
        String bobConn = connect(bob);
        AtomicBoolean failing = new AtomicBoolean(true);
        ChatMessagesHandler h = handler(failing);
        Map<String, Object> frame =
                Map.of("action", "sendMessage", "roomId", roomId, "text", "hello", "clientMessageId", "c-1");

        send(h, alice, aliceConn, frame);
        assertEquals(1, frames(aliceConn, "error").size(), "the sender is told to retry");
        assertEquals(0, frames(bobConn, "message").size(), "nobody got it live");
        assertEquals(1, store.history(roomId, null, 10).items().size(), "but it is stored");

        failing.set(false);
        send(h, alice, aliceConn, frame);
        assertEquals(1, frames(bobConn, "message").size(), "the retry fanned it out");
        String messageId = frames(bobConn, "message").get(0).get("messageId").asText();
        assertEquals(messageId, frames(aliceConn, "ack").get(0).get("messageId").asText());

        send(h, alice, aliceConn, frame);
        assertEquals(1, frames(bobConn, "message").size(), "a retry after a complete fan-out delivers nothing new");
        assertEquals(2, frames(aliceConn, "ack").size(), "and gets the same ack");
        assertEquals(messageId, frames(aliceConn, "ack").get(1).get("messageId").asText());
        assertEquals(1, store.history(roomId, null, 10).items().size(), "stored once");
    }

    @Test
    void theSameClientMessageIdInAnotherRoomIsAnotherMessage() {
        String alice = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String first = room(alice, bob);
        String second = room(alice, bob);
        String aliceConn = connect(alice);
        String bobConn = connect(bob);
        ChatMessagesHandler h = handler(new AtomicBoolean(false));
        send(
                h,
                alice,
                aliceConn,
                Map.of("action", "sendMessage", "roomId", first, "text", "one", "clientMessageId", "same-id"));
        send(
                h,
                alice,
                aliceConn,
                Map.of("action", "sendMessage", "roomId", second, "text", "two", "clientMessageId", "same-id"));
        List<JsonNode> got = frames(bobConn, "message");
        assertEquals(2, got.size(), "both delivered");
        assertEquals(first, got.get(0).get("roomId").asText());
        assertEquals(second, got.get(1).get("roomId").asText());
        assertNotEquals(
                got.get(0).get("messageId").asText(),
                got.get(1).get("messageId").asText());
        assertEquals("two", store.history(second, null, 10).items().get(0).text());
    }
}
