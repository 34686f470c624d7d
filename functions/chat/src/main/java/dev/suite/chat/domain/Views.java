package dev.suite.chat.domain;

import dev.suite.chat.store.ChatStore;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of messages, shared by history (REST) and frames (WebSocket). */
final class Views {
    private Views() {
    }

    static Map<String, Object> message(ChatStore.Message m, Attachments attachments) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "message");
        out.put("roomId", m.roomId());
        out.put("messageId", m.messageId());
        out.put("senderId", m.senderId());
        out.put("text", m.text());
        if (m.attachmentKey() != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("key", m.attachmentKey());
            a.put("contentType", m.attachmentType());
            a.put("url", attachments.url(m.attachmentKey()));
            out.put("attachment", a);
        } else {
            out.put("attachment", null);
        }
        out.put("clientMessageId", m.clientMessageId());
        out.put("createdAt", m.createdAt());
        return out;
    }
}
