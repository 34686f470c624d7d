package dev.suite.shared.data;

import static dev.suite.shared.data.Items.s;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item of a new (unread) stored notification in the Notifications table (coaching's, read by
 * {@code GET /notifications}): written by coaching and, when a coach's role ends, by the admin function. Unread ones
 * carry {@code unreadBy} (the user id), the key of the sparse unread index.
 */
public final class Notifications {
    private Notifications() {}

    /** A new notification's attributes; {@code clientId} and {@code ref} may be null. */
    public static Map<String, AttributeValue> unread(
            String userId,
            String notificationId,
            String type,
            String title,
            String clientId,
            String ref,
            String createdAt,
            long expiresAt) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put("userId", s(userId));
        i.put("notificationId", s(notificationId));
        i.put("type", s(type));
        i.put("title", s(title));
        if (clientId != null) {
            i.put("clientId", s(clientId));
        }
        if (ref != null) {
            i.put("ref", s(ref));
        }
        i.put("read", AttributeValue.fromBool(false));
        i.put("unreadBy", s(userId));
        i.put("createdAt", s(createdAt));
        i.put("expiresAt", AttributeValue.fromN(Long.toString(expiresAt)));
        return i;
    }
}
