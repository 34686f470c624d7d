package dev.suite.gym.domain;

import java.time.Instant;

/** A member's membership: active until {@code expiresAt} (null: never had one). */
public record Membership(String userId, Instant expiresAt) {

    public String status(Instant now) {
        if (expiresAt == null) {
            return "NONE";
        }
        return now.isBefore(expiresAt) ? "ACTIVE" : "EXPIRED";
    }

    /**
     * The new expiry after buying {@code days}: counted from the later of now and the current expiry, so nothing paid
     * is lost.
     */
    public static Instant extended(Instant current, Instant now, int days) {
        Instant from = current != null && current.isAfter(now) ? current : now;
        return from.plusSeconds(days * 86_400L);
    }
}
