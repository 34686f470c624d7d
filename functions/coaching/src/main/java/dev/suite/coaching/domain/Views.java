package dev.suite.coaching.domain;

import dev.suite.coaching.store.CoachingStore;
import dev.suite.coaching.store.NotificationStore;
import java.util.List;

/** What the routes and frames answer. */
public final class Views {
    private Views() {}

    public record Profile(
            String quitDate,
            int cigarettesPerDay,
            long packPrice,
            int packSize,
            String currency,
            String timezone,
            String updatedAt) {}

    public record EntryView(
            String date,
            int smoked,
            Integer cravings,
            Integer mood,
            List<String> triggers,
            String note,
            String savedAt) {}

    public record SavedEntry(
            String date,
            int smoked,
            Integer cravings,
            Integer mood,
            List<String> triggers,
            String note,
            String savedAt,
            Progress.Summary summary) {}

    public record AchievementView(
            String id, String kind, long threshold, String currency, String title, String earnedAt) {}

    public record AchievementList(List<AchievementView> earned, List<AchievementView> next) {}

    public record Notification(
            String notificationId,
            String type,
            String title,
            String clientId,
            String ref,
            boolean read,
            String createdAt) {}

    public record Assignment(String userId, String coachId, String roomId, String assignedAt) {}

    public record Coach(String userId, String name, String roomId, String assignedAt) {}

    public record Client(
            String userId,
            String name,
            Integer currentStreak,
            String lastEntryDate,
            boolean atRisk,
            String riskReason,
            int unreadNotifications,
            String roomId,
            String assignedAt) {}

    public record ClientProgress(String clientId, Progress.Summary summary, List<EntryView> items, String nextCursor) {}

    public record Note(String noteId, String clientId, String text, String createdAt) {}

    public record Read(String notificationId, boolean read) {}

    /** What one {@code POST /notifications/read-all} marked, and whether unread ones remain (call it again). */
    public record ReadAll(int updated, boolean more) {}

    /** WebSocket frame to a coach's connections when a client saves an entry. */
    public record ProgressFrame(String type, String clientId, String date, Progress.Summary summary) {}

    /** WebSocket frame to the recipient of a stored notification. */
    public record NotificationFrame(String type, Notification notification) {}

    static Profile profile(QuitProfile p) {
        return new Profile(
                p.quitDate().toString(),
                p.cigarettesPerDay(),
                p.packPrice(),
                p.packSize(),
                p.currency(),
                p.timezone().getId(),
                p.updatedAt());
    }

    static EntryView entry(Entry e) {
        return new EntryView(
                e.date().toString(), e.smoked(), e.cravings(), e.mood(), e.triggers(), e.note(), e.savedAt());
    }

    public static Notification notification(NotificationStore.Notification n) {
        return new Notification(
                n.notificationId(), n.type(), n.title(), n.clientId(), n.ref(), n.read(), n.createdAt());
    }

    static Assignment assignment(CoachingStore.Assignment a) {
        return new Assignment(a.clientId(), a.coachId(), a.roomId(), a.assignedAt());
    }

    static Note note(CoachingStore.Note n) {
        return new Note(n.noteId(), n.clientId(), n.text(), n.createdAt());
    }
}
