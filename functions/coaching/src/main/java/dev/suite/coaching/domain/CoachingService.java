package dev.suite.coaching.domain;

import dev.suite.coaching.store.CoachingStore;
import dev.suite.coaching.store.NotificationStore;
import dev.suite.shared.Ids;
import dev.suite.shared.Times;
import dev.suite.shared.auth.Caller;
import dev.suite.shared.auth.Role;
import dev.suite.shared.data.UserRecord;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The coaching domain: quit profile, entries and their summary, achievements, coach assignment, the coach's caseload
 * and notes, notifications, and the daily at-risk run. Every write is stored before anything is pushed live.
 */
public final class CoachingService {
    public static final int MAX_RANGE_DAYS = 366;
    /** The most notifications one {@code POST /notifications/read-all} marks, and how many updates run at once. */
    public static final int READ_ALL_MAX = 1000;

    static final int READ_ALL_PARALLEL = 10;
    /** After this, {@code read-all} starts no more updates (API Gateway gives up at 29 s). */
    static final Duration READ_ALL_BUDGET = Duration.ofSeconds(15);

    private final CoachingStore store;
    private final NotificationStore notifications;
    private final Users users;
    private final Live live;
    private final Clock clock;
    private final Settings settings;

    /** The configurable numbers (ENTRY_MAX_DAYS_BACK, AT_RISK_IDLE_DAYS, NOTIFICATION_TTL_DAYS). */
    public record Settings(int maxDaysBack, int idleDays, int notificationTtlDays) {
        public static Settings defaults() {
            return new Settings(EntryRules.DEFAULT_MAX_DAYS_BACK, RiskRules.DEFAULT_IDLE_DAYS, 90);
        }
    }

    /** What a save answers: whether the date had no entry before, and the entry with the new summary. */
    public record Saved(boolean created, Views.SavedEntry entry) {}

    public record Stored(boolean created, Views.Profile profile) {}

    public record RiskRun(int clients, int atRisk, int notified) {}

    public CoachingService(
            CoachingStore store,
            NotificationStore notifications,
            Users users,
            Live live,
            Clock clock,
            Settings settings) {
        this.store = store;
        this.notifications = notifications;
        this.users = users;
        this.live = live;
        this.clock = clock;
        this.settings = settings;
    }

    // ------------------------------------------------------------ quit profile

    public Stored putProfile(
            String userId,
            LocalDate quitDate,
            int cigarettesPerDay,
            long packPrice,
            int packSize,
            String currency,
            ZoneId zone) {
        Instant now = clock.instant();
        LocalDate today = Progress.localDate(now, zone);
        if (quitDate.isAfter(today.plusDays(365)) || quitDate.isBefore(today.minusYears(100))) {
            throw ApiException.invalid("quitDate", "must be within the last 100 years and at most 365 days ahead");
        }
        QuitProfile p = new QuitProfile(
                userId, quitDate, cigarettesPerDay, packPrice, packSize, currency, zone, Times.iso(now));
        return new Stored(store.putProfile(p), Views.profile(p));
    }

    public Views.Profile profile(String userId) {
        return Views.profile(store.profile(userId)
                .orElseThrow(() -> new ApiException(
                        404, "QUIT_PROFILE_NOT_FOUND", "no quit profile yet: PUT /quit/profile first")));
    }

    private QuitProfile requireProfile(String userId) {
        return store.profile(userId)
                .orElseThrow(() -> ApiException.conflict(
                        "QUIT_PROFILE_REQUIRED", "set the quit profile (PUT /quit/profile) before logging progress"));
    }

    // ------------------------------------------------------------ entries and summary

    public Saved saveEntry(
            String userId,
            LocalDate date,
            int smoked,
            Integer cravings,
            Integer mood,
            List<String> triggers,
            String note) {
        QuitProfile profile = requireProfile(userId);
        Instant now = clock.instant();
        EntryRules.checkDate(date, profile, now, settings.maxDaysBack());
        Entry entry =
                new Entry(date, smoked, cravings, mood, triggers == null ? List.of() : triggers, note, Times.iso(now));
        Optional<Entry> previous = store.saveEntry(userId, entry);
        List<Entry> all = store.entries(userId);
        Progress.Summary summary = Progress.summarize(profile, all, now);
        List<NotificationStore.Notification> toPush = new ArrayList<>(awardAchievements(userId, summary, now));
        // a coach whose role ended (their assignments end with it) gets nothing, even from a row not yet removed
        Optional<CoachingStore.Assignment> coach = store.assignment(userId).filter(a -> isCoach(a.coachId()));
        if (coach.isPresent() && entry.slip() && previous.map(p -> !p.slip()).orElse(true)) {
            NotificationStore.Notification slip = notification(
                    coach.get().coachId(),
                    "slip",
                    name(userId) + " logged a slip on " + date + " (" + smoked
                            + (smoked == 1 ? " cigarette)" : " cigarettes)"),
                    userId,
                    date.toString(),
                    now);
            // once per coach, client and date however often the date toggles between slip and not, or is deleted and
            // saved again
            if (store.once(
                    "coaching-slip#" + slip.userId() + "#" + userId + "#" + date,
                    Instant.ofEpochSecond(slip.expiresAt()),
                    notifications.put(slip))) {
                toPush.add(slip);
            }
        }
        coach.ifPresent(
                a -> live.send(a.coachId(), new Views.ProgressFrame("progress", userId, date.toString(), summary)));
        toPush.forEach(this::push);
        return new Saved(
                previous.isEmpty(),
                new Views.SavedEntry(
                        date.toString(), smoked, cravings, mood, entry.triggers(), note, entry.savedAt(), summary));
    }

    /**
     * Awards each achievement the summary reached and the user does not hold yet; each is awarded once however saves
     * race.
     */
    private List<NotificationStore.Notification> awardAchievements(
            String userId, Progress.Summary summary, Instant now) {
        Set<String> held = new HashSet<>();
        store.earned(userId).forEach(e -> held.add(e.achievementId()));
        List<NotificationStore.Notification> out = new ArrayList<>();
        for (Achievements.Achievement a : Achievements.reached(summary)) {
            if (held.contains(a.id())) {
                continue;
            }
            NotificationStore.Notification n =
                    notification(userId, "achievement", "Achievement: " + a.title(), null, a.id(), now);
            if (store.award(userId, a.id(), Times.iso(now), notifications.put(n))) {
                out.add(n);
            }
        }
        return out;
    }

    public void deleteEntry(String userId, LocalDate date) {
        if (!store.deleteEntry(userId, date)) {
            throw ApiException.notFound("entry");
        }
    }

    public Page<Views.EntryView> entries(String userId, String from, String to, int limit, String cursor) {
        ZoneId zone = store.profile(userId).map(QuitProfile::timezone).orElse(ZoneOffset.UTC);
        LocalDate[] range = range(from, to, Progress.localDate(clock.instant(), zone));
        return store.entries(userId, range[0], range[1], limit, cursor).map(Views::entry);
    }

    /**
     * The from..to query of a list of entries: both dates inclusive, to defaults to today, from to 29 days before to.
     */
    static LocalDate[] range(String from, String to, LocalDate today) {
        LocalDate end = to == null || to.isEmpty() ? today : EntryRules.date("to", to);
        LocalDate start = from == null || from.isEmpty() ? end.minusDays(29) : EntryRules.date("from", from);
        if (start.isAfter(end)) {
            throw ApiException.invalid("from", "must not be after to");
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_RANGE_DAYS) {
            throw ApiException.invalid("from", "the range can span at most " + MAX_RANGE_DAYS + " days");
        }
        return new LocalDate[] {start, end};
    }

    public Progress.Summary summary(String userId) {
        return Progress.summarize(requireProfile(userId), store.entries(userId), clock.instant());
    }

    public Views.AchievementList achievements(String userId) {
        String currency = store.profile(userId).map(QuitProfile::currency).orElse("VND");
        Map<String, String> held = new HashMap<>();
        store.earned(userId).forEach(e -> held.put(e.achievementId(), e.earnedAt()));
        List<Views.AchievementView> earned = new ArrayList<>();
        List<Views.AchievementView> next = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (Achievements.Achievement a : Achievements.all(currency)) {
            listed.add(a.id());
            Views.AchievementView v = new Views.AchievementView(
                    a.id(), a.kind(), a.threshold(), a.currency(), a.title(), held.get(a.id()));
            (held.containsKey(a.id()) ? earned : next).add(v);
        }
        // money achievements of a currency the user no longer uses stay earned
        held.forEach((id, at) -> {
            if (!listed.contains(id)) {
                earned.add(
                        new Views.AchievementView(id, id.startsWith("streak-") ? "streak" : "money", 0, null, id, at));
            }
        });
        return new Views.AchievementList(earned, next);
    }

    // ------------------------------------------------------------ coach assignment (Admin)

    public Views.Assignment assign(Caller admin, String clientId, String coachId) {
        requireAdmin(admin);
        if (clientId.equals(coachId)) {
            throw ApiException.invalid("coachId", "a user cannot coach themselves");
        }
        UserRecord client = requireUser(clientId);
        UserRecord coach = requireUser(coachId);
        if (!Role.Coach.name().equals(coach.role())) {
            throw notACoach(coachId);
        }
        Optional<CoachingStore.Assignment> before = store.assignment(clientId);
        Instant now = clock.instant();
        String assignedAt = before.filter(b -> b.coachId().equals(coachId))
                .map(CoachingStore.Assignment::assignedAt)
                .orElse(Times.iso(now));
        String roomId = store.assign(clientId, coachId, now, assignedAt);
        if (!isCoach(coachId)) {
            // the role ended while this was written, after its end removed the coach's assignments: take this one back
            store.unassign(clientId, coachId);
            throw notACoach(coachId);
        }
        if (before.isEmpty() || !before.get().coachId().equals(coachId)) {
            NotificationStore.Notification toCoach =
                    notification(coachId, "assignment", "New client: " + display(client), clientId, roomId, now);
            NotificationStore.Notification toClient =
                    notification(clientId, "assignment", "Your coach is " + display(coach), null, roomId, now);
            notifications.store(toCoach);
            notifications.store(toClient);
            push(toCoach);
            push(toClient);
        }
        return new Views.Assignment(clientId, coachId, roomId, assignedAt);
    }

    public void unassign(Caller admin, String clientId) {
        requireAdmin(admin);
        if (store.unassign(clientId).isEmpty()) {
            throw ApiException.notFound("coach assignment");
        }
    }

    public Views.Coach myCoach(String userId) {
        CoachingStore.Assignment a = store.assignment(userId).orElseThrow(() -> ApiException.notFound("coach"));
        return new Views.Coach(a.coachId(), name(a.coachId()), a.roomId(), a.assignedAt());
    }

    // ------------------------------------------------------------ caseload (Coach)

    public Page<Views.Client> clients(Caller coach, int limit, String cursor) {
        requireCoach(coach);
        Instant now = clock.instant();
        Map<String, Integer> unread = new HashMap<>();
        notifications.unread(coach.userId(), 1000).forEach(n -> {
            if (n.clientId() != null) {
                unread.merge(n.clientId(), 1, Integer::sum);
            }
        });
        return store.clientsOf(coach.userId(), limit, cursor).map(a -> {
            Optional<QuitProfile> profile = store.profile(a.clientId());
            List<Entry> entries = store.entries(a.clientId());
            Progress.Summary s =
                    profile.map(p -> Progress.summarize(p, entries, now)).orElse(null);
            RiskRules.Risk risk = RiskRules.assess(
                    profile.orElse(null), entries, assignedOn(a, profile.orElse(null)), now, settings.idleDays());
            return new Views.Client(
                    a.clientId(),
                    name(a.clientId()),
                    s == null ? null : s.currentStreak(),
                    s == null ? null : s.lastEntryDate(),
                    risk.atRisk(),
                    risk.reason(),
                    unread.getOrDefault(a.clientId(), 0),
                    a.roomId(),
                    a.assignedAt());
        });
    }

    public Views.ClientProgress clientProgress(
            Caller coach, String clientId, String from, String to, int limit, String cursor) {
        ownClient(coach, clientId);
        Optional<QuitProfile> profile = store.profile(clientId);
        Instant now = clock.instant();
        Progress.Summary summary = profile.map(p -> Progress.summarize(p, store.entries(clientId), now))
                .orElse(null);
        LocalDate[] range = range(
                from,
                to,
                Progress.localDate(now, profile.map(QuitProfile::timezone).orElse(ZoneOffset.UTC)));
        Page<Views.EntryView> page =
                store.entries(clientId, range[0], range[1], limit, cursor).map(Views::entry);
        return new Views.ClientProgress(clientId, summary, page.items(), page.nextCursor());
    }

    public Views.Note addNote(Caller coach, String clientId, String text) {
        ownClient(coach, clientId);
        Instant now = clock.instant();
        CoachingStore.Note n = new CoachingStore.Note(coach.userId(), clientId, Ids.at(now), text, Times.iso(now));
        store.addNote(n);
        return Views.note(n);
    }

    public Page<Views.Note> notes(Caller coach, String clientId, int limit, String cursor) {
        ownClient(coach, clientId);
        return store.notes(coach.userId(), clientId, limit, cursor).map(Views::note);
    }

    // ------------------------------------------------------------ notifications (anyone signed in)

    public Page<Views.Notification> notifications(String userId, int limit, String cursor) {
        return notifications.list(userId, limit, cursor).map(Views::notification);
    }

    public Views.Read read(String userId, String notificationId) {
        if (!notifications.markRead(userId, notificationId)) {
            throw ApiException.notFound("notification");
        }
        return new Views.Read(notificationId, true);
    }

    /**
     * Marks the newest {@link #READ_ALL_MAX} unread notifications read, {@link #READ_ALL_PARALLEL} at a time, starting
     * none after {@link #READ_ALL_BUDGET}, so a call ends well within API Gateway's 29 s; {@code more} says unread ones
     * remain (call again).
     */
    public Views.ReadAll readAll(String userId) {
        List<NotificationStore.Notification> unread = notifications.unread(userId, READ_ALL_MAX + 1);
        List<String> ids = unread.stream()
                .limit(READ_ALL_MAX)
                .map(NotificationStore.Notification::notificationId)
                .toList();
        int marked = notifications.markRead(userId, ids, READ_ALL_PARALLEL, READ_ALL_BUDGET);
        return new Views.ReadAll(marked, unread.size() > marked);
    }

    // ------------------------------------------------------------ the daily at-risk run

    /**
     * Notifies each coach about clients at risk, at most once per coach, client and client's local day however often it
     * runs.
     */
    public RiskRun atRisk() {
        Instant now = clock.instant();
        int[] counts = new int[3];
        Map<String, Boolean> coaches = new HashMap<>();
        store.eachAssignment(a -> {
            counts[0]++;
            if (!coaches.computeIfAbsent(a.coachId(), this::isCoach)) {
                return;
            }
            Optional<QuitProfile> profile = store.profile(a.clientId());
            RiskRules.Risk risk = RiskRules.assess(
                    profile.orElse(null),
                    store.entries(a.clientId()),
                    assignedOn(a, profile.orElse(null)),
                    now,
                    settings.idleDays());
            if (!risk.atRisk()) {
                return;
            }
            counts[1]++;
            LocalDate day =
                    Progress.localDate(now, profile.map(QuitProfile::timezone).orElse(ZoneOffset.UTC));
            String why = risk.reason().equals("slip")
                    ? "logged a slip in the last 24 hours"
                    : "has not logged progress for " + settings.idleDays() + " days or more";
            NotificationStore.Notification n = notification(
                    a.coachId(),
                    "at-risk",
                    name(a.clientId()) + " may need support: " + why,
                    a.clientId(),
                    day.toString(),
                    now);
            if (store.once(
                    "coaching-at-risk#" + a.coachId() + "#" + a.clientId() + "#" + day,
                    now.plus(Duration.ofDays(3)),
                    notifications.put(n))) {
                counts[2]++;
                push(n);
            }
        });
        return new RiskRun(counts[0], counts[1], counts[2]);
    }

    /**
     * For SnapStart priming: what {@link #atRisk} does for one client, for a client and a coach that cannot exist,
     * writing nothing: the client's profile, entries and name read, the assessment, the notification built (not
     * stored), the job's scan and transaction through {@link CoachingStore#primeAtRisk}, and the push to the coach's
     * open connections (none).
     */
    public void primeAtRisk() {
        Instant now = clock.instant();
        String nobody = "priming#" + UUID.randomUUID();
        Optional<QuitProfile> profile = store.profile(nobody);
        RiskRules.assess(profile.orElse(null), store.entries(nobody), null, now, settings.idleDays());
        NotificationStore.Notification n = notification(
                nobody,
                "at-risk",
                name(nobody) + " may need support",
                nobody,
                Progress.localDate(now, ZoneOffset.UTC).toString(),
                now);
        notifications.put(n);
        store.primeAtRisk();
        push(n);
    }

    // ------------------------------------------------------------ helpers

    private static LocalDate assignedOn(CoachingStore.Assignment a, QuitProfile p) {
        return a.assignedAt() == null
                ? null
                : Progress.localDate(Instant.parse(a.assignedAt()), p == null ? ZoneOffset.UTC : p.timezone());
    }

    private NotificationStore.Notification notification(
            String userId, String type, String title, String clientId, String ref, Instant now) {
        return new NotificationStore.Notification(
                userId,
                Ids.at(now),
                type,
                title,
                clientId,
                ref,
                false,
                Times.iso(now),
                now.plus(Duration.ofDays(settings.notificationTtlDays())).getEpochSecond());
    }

    private void push(NotificationStore.Notification n) {
        live.send(n.userId(), new Views.NotificationFrame("notification", Views.notification(n)));
    }

    private String name(String userId) {
        return users.get(userId).map(CoachingService::display).orElse("A client");
    }

    private static String display(UserRecord u) {
        return u.name() == null || u.name().isBlank() ? "a user" : u.name();
    }

    private UserRecord requireUser(String userId) {
        return users.get(userId).orElseThrow(() -> new ApiException(404, "USER_NOT_FOUND", "no user " + userId));
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("only an Admin assigns coaches");
        }
    }

    /**
     * Coach routes need the Coach role in the Users table now (a consistent read), not the token's groups: a demoted
     * coach's token, valid for up to an hour, is refused. An Admin without the role is refused too: a caseload is a coach's own.
     */
    private void requireCoach(Caller caller) {
        if (!isCoach(caller.userId())) {
            throw ApiException.forbidden("only a Coach has a caseload");
        }
    }

    /** Whether the user's current role (the Users table, read consistently) is Coach. */
    private boolean isCoach(String userId) {
        return users.get(userId)
                .map(UserRecord::role)
                .filter(Role.Coach.name()::equals)
                .isPresent();
    }

    private static ApiException notACoach(String coachId) {
        return ApiException.conflict("NOT_A_COACH", "user " + coachId + " does not have the Coach role");
    }

    /** The coach's own client, or 404: another coach's client and an unknown user look the same. */
    private void ownClient(Caller coach, String clientId) {
        requireCoach(coach);
        if (store.assignment(clientId)
                .filter(a -> a.coachId().equals(coach.userId()))
                .isEmpty()) {
            throw ApiException.notFound("client");
        }
    }
}
