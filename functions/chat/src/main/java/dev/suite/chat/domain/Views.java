package dev.suite.chat.domain;

import dev.suite.chat.store.ChatStore;
import java.util.List;
import java.util.Map;

/** What chat answers over REST and pushes over the WebSocket, one record per shape (asyncapi/openapi name them). */
public final class Views {
    private Views() {}

    public record Attachment(String key, String contentType, String url) {}

    /** The {@code message} frame, and an item of a room's history. */
    public record Message(
            String type,
            String roomId,
            String messageId,
            String senderId,
            String text,
            Attachment attachment,
            String clientMessageId,
            String createdAt) {}

    public record Ack(String type, String clientMessageId, String messageId, String createdAt) {}

    public record Typing(String type, String roomId, String userId) {}

    public record ErrorFrame(String type, String code, String message) {}

    public record Member(String userId, String role) {}

    public record RoomSummary(String roomId, String type, String name, String lastActivityAt, String createdAt) {}

    public record Room(
            String roomId, String type, String name, String lastActivityAt, String createdAt, List<Member> members) {}

    public record Membership(String roomId, String userId, String role) {}

    public record Upload(
            String attachmentKey, String uploadUrl, String method, Map<String, String> headers, String expiresAt) {}

    static Message message(ChatStore.Message m, Attachments attachments) {
        Attachment a = m.attachmentKey() == null
                ? null
                : new Attachment(m.attachmentKey(), m.attachmentType(), attachments.url(m.attachmentKey()));
        return new Message(
                "message", m.roomId(), m.messageId(), m.senderId(), m.text(), a, m.clientMessageId(), m.createdAt());
    }

    static RoomSummary summary(ChatStore.Room r) {
        return new RoomSummary(r.roomId(), r.type(), r.name(), r.lastActivityAt(), r.createdAt());
    }

    static Room room(ChatStore.Room r, List<ChatStore.Member> members) {
        return new Room(
                r.roomId(),
                r.type(),
                r.name(),
                r.lastActivityAt(),
                r.createdAt(),
                members.stream().map(m -> new Member(m.userId(), m.role())).toList());
    }
}
