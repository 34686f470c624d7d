package dev.suite.chat.domain;

import dev.suite.chat.store.ChatStore;
import dev.suite.shared.Ids;
import dev.suite.shared.Json;
import dev.suite.shared.Log;
import dev.suite.shared.Metrics;
import dev.suite.shared.Times;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Check;
import dev.suite.shared.http.Validated;
import dev.suite.shared.push.Push;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/** sendMessage and typing: membership, validation, idempotent storage, fan-out to members' connections. */
public final class Messaging {
    private static final Logger LOG = Log.get(Messaging.class);
    public static final int MAX_TEXT = 4000;
    private final ChatStore store;
    private final Attachments attachments;
    private final Push push;
    private final Clock clock;

    public Messaging(ChatStore store, Attachments attachments, Push push, Clock clock) {
        this.store = store;
        this.attachments = attachments;
        this.push = push;
        this.clock = clock;
    }

    /** Where the frame came from. */
    public record Origin(String userId, String connectionId, ApiGatewayManagementApiClient client) {}

    /** The sendMessage frame: text up to 4,000 characters, blank only when an attachment is carried. */
    public record Send(String action, String roomId, String text, String attachmentKey, String clientMessageId)
            implements Validated<Send> {
        @Override
        public Send validated() {
            String t = text == null || text.isBlank() ? null : Check.multiline("text", text, 1, MAX_TEXT);
            String key = attachmentKey == null || attachmentKey.isBlank() ? null : attachmentKey;
            if (t == null && key == null) {
                throw ApiException.invalid("text", "must not be blank unless the message carries an attachment");
            }
            return new Send(action, Check.id("roomId", roomId), t, key, Check.id("clientMessageId", clientMessageId));
        }
    }

    /** The typing frame. */
    public record Typing(String action, String roomId) implements Validated<Typing> {
        @Override
        public Typing validated() {
            return new Typing(action, Check.id("roomId", roomId));
        }
    }

    public void send(Origin from, Send req) {
        String roomId = req.roomId();
        String clientMessageId = req.clientMessageId();
        String text = req.text();
        String key = req.attachmentKey();
        if (store.member(roomId, from.userId()).isEmpty()) {
            throw new ApiException(403, "NOT_A_MEMBER", "you are not a member of this room");
        }
        String attachmentType = key == null ? null : attachments.check(roomId, key);
        Instant now = Instant.now(clock);
        ChatStore.Message message = new ChatStore.Message(
                roomId, Ids.at(now), from.userId(), text, key, attachmentType, clientMessageId, Times.iso(now));
        ChatStore.Stored stored =
                store.store(message, now.plus(Duration.ofDays(1)).getEpochSecond());
        if (stored.fresh()) {
            store.touch(roomId, now);
            Metrics.count(Metrics.MESSAGES_SENT, 1);
        }
        if (!stored.delivered()) {
            // Stored first, then fanned out; a fan-out that fails leaves the message undelivered, and the client's
            // retry
            // (same clientMessageId) fans it out again: at least once, clients dedupe on messageId.
            List<String> targets = memberConnections(roomId, null, now);
            targets.remove(from.connectionId());
            long started = System.nanoTime();
            int delivered = push.send(from.client(), targets, Json.write(Views.message(stored.message(), attachments)));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            store.markDelivered(roomId, stored.message().messageId());
            LOG.info("message fanned out to {}/{} connections in {} ms", delivered, targets.size(), tookMs);
            Metrics.millis(Metrics.FANOUT_LATENCY, tookMs);
        }
        Views.Ack ack = new Views.Ack(
                "ack",
                clientMessageId,
                stored.message().messageId(),
                stored.message().createdAt());
        push.send(from.client(), List.of(from.connectionId()), Json.write(ack));
    }

    public void typing(Origin from, Typing req) {
        String roomId = req.roomId();
        if (store.member(roomId, from.userId()).isEmpty()) {
            throw new ApiException(403, "NOT_A_MEMBER", "you are not a member of this room");
        }
        Views.Typing frame = new Views.Typing("typing", roomId, from.userId());
        push.send(from.client(), memberConnections(roomId, from.userId(), Instant.now(clock)), Json.write(frame));
    }

    /** For SnapStart priming: what {@link #send} does in DynamoDB, writing nothing, and the connections of nobody. */
    public void primeSend() {
        store.primeSend();
        push.connectionsOf(List.of("priming#" + UUID.randomUUID()), Instant.now(clock));
        attachments.prime();
    }

    /** Open connections of every member (but {@code except}). */
    List<String> memberConnections(String roomId, String except, Instant now) {
        return push.connectionsOf(
                store.members(roomId).stream()
                        .map(ChatStore.Member::userId)
                        .filter(u -> !u.equals(except))
                        .toList(),
                now);
    }

    /** An error frame for the one connection; the connection stays open. */
    public void error(Origin to, String code, String message) {
        push.send(to.client(), List.of(to.connectionId()), Json.write(new Views.ErrorFrame("error", code, message)));
    }
}
