package dev.suite.coaching.store;

import static dev.suite.shared.data.Items.n;
import static dev.suite.shared.data.Items.num;
import static dev.suite.shared.data.Items.s;
import static dev.suite.shared.data.Items.str;

import dev.suite.coaching.domain.Entry;
import dev.suite.coaching.domain.QuitProfile;
import dev.suite.shared.Config;
import dev.suite.shared.data.Cursor;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.data.Items;
import dev.suite.shared.data.Rooms;
import dev.suite.shared.http.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Quit profiles, daily entries, achievements, coach assignments and coaches' notes. */
public final class CoachingStore {
    public static final String COACH_INDEX = "coach-index";
    private final DynamoDbClient dynamo;
    private final Tables t;

    /** The table names, from the template's {@code !Ref}s. */
    public record Tables(
            String profiles,
            String entries,
            String achievements,
            String clients,
            String notes,
            String idempotency,
            String rooms,
            String roomMembers) {
        public static Tables from(Config c) {
            return new Tables(
                    c.require("QUIT_PROFILES_TABLE"),
                    c.require("PROGRESS_ENTRIES_TABLE"),
                    c.require("ACHIEVEMENTS_TABLE"),
                    c.require("COACH_CLIENTS_TABLE"),
                    c.require("COACH_NOTES_TABLE"),
                    c.require("IDEMPOTENCY_TABLE"),
                    c.require("ROOMS_TABLE"),
                    c.require("ROOM_MEMBERS_TABLE"));
        }
    }

    public record Assignment(String clientId, String coachId, String roomId, String assignedAt) {}

    public record Note(String coachId, String clientId, String noteId, String text, String createdAt) {}

    public record Earned(String achievementId, String earnedAt) {}

    public CoachingStore(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.t = tables;
    }

    public static CoachingStore from(DynamoDbClient dynamo, Config config) {
        return new CoachingStore(dynamo, Tables.from(config));
    }

    // ------------------------------------------------------------ profiles

    public Optional<QuitProfile> profile(String userId) {
        Map<String, AttributeValue> i = dynamo.getItem(
                        b -> b.tableName(t.profiles()).key(Map.of("userId", s(userId))))
                .item();
        if (i == null || i.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new QuitProfile(
                str(i, "userId"),
                LocalDate.parse(str(i, "quitDate")),
                num(i, "cigarettesPerDay"),
                Long.parseLong(i.get("packPrice").n()),
                num(i, "packSize"),
                str(i, "currency"),
                ZoneId.of(str(i, "timezone")),
                str(i, "updatedAt")));
    }

    /** Writes the profile; true when it is the user's first. */
    public boolean putProfile(QuitProfile p) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put("userId", s(p.userId()));
        i.put("quitDate", s(p.quitDate().toString()));
        i.put("cigarettesPerDay", n(p.cigarettesPerDay()));
        i.put("packPrice", n(p.packPrice()));
        i.put("packSize", n(p.packSize()));
        i.put("currency", s(p.currency()));
        i.put("timezone", s(p.timezone().getId()));
        i.put("updatedAt", s(p.updatedAt()));
        Map<String, AttributeValue> old = dynamo.putItem(
                        b -> b.tableName(t.profiles()).item(i).returnValues(ReturnValue.ALL_OLD))
                .attributes();
        return old == null || old.isEmpty();
    }

    // ------------------------------------------------------------ entries

    /**
     * Upserts the entry of a date (one item per user and date, however many saves race); answers the one it replaced.
     */
    public Optional<Entry> saveEntry(String userId, Entry e) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put("userId", s(userId));
        i.put("date", s(e.date().toString()));
        i.put("smoked", n(e.smoked()));
        if (e.cravings() != null) {
            i.put("cravings", n(e.cravings()));
        }
        if (e.mood() != null) {
            i.put("mood", n(e.mood()));
        }
        if (e.triggers() != null && !e.triggers().isEmpty()) {
            i.put(
                    "triggers",
                    AttributeValue.fromL(e.triggers().stream().map(Items::s).toList()));
        }
        if (e.note() != null) {
            i.put("note", s(e.note()));
        }
        i.put("savedAt", s(e.savedAt()));
        Map<String, AttributeValue> old = dynamo.putItem(
                        b -> b.tableName(t.entries()).item(i).returnValues(ReturnValue.ALL_OLD))
                .attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.of(entry(old));
    }

    /** Deletes the entry of a date; false when there was none. */
    public boolean deleteEntry(String userId, LocalDate date) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(t.entries())
                        .key(Map.of("userId", s(userId), "date", s(date.toString())))
                        .returnValues(ReturnValue.ALL_OLD))
                .attributes();
        return old != null && !old.isEmpty();
    }

    /** Every entry of a user, oldest first (one per day: a few hundred items a year). */
    public List<Entry> entries(String userId) {
        return Dynamo.queryAll(
                        from -> dynamo.query(b -> b.tableName(t.entries())
                                .keyConditionExpression("userId = :u")
                                .expressionAttributeValues(Map.of(":u", s(userId)))
                                .exclusiveStartKey(from)),
                        Integer.MAX_VALUE)
                .stream()
                .map(CoachingStore::entry)
                .toList();
    }

    /** A page of a user's entries between two dates (inclusive), newest first. */
    public Page<Entry> entries(String userId, LocalDate from, LocalDate to, int limit, String cursor) {
        Map<String, AttributeValue> start = Cursor.decode(cursor, Set.of("userId", "date"), Map.of("userId", userId));
        QueryResponse r = dynamo.query(b -> b.tableName(t.entries())
                .keyConditionExpression("userId = :u AND #d BETWEEN :f AND :t")
                .expressionAttributeNames(Map.of("#d", "date"))
                .expressionAttributeValues(Map.of(":u", s(userId), ":f", s(from.toString()), ":t", s(to.toString())))
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(start));
        return new Page<>(r.items().stream().map(CoachingStore::entry).toList(), next(r));
    }

    // ------------------------------------------------------------ achievements and once-only records

    public List<Earned> earned(String userId) {
        return Dynamo.queryAll(
                        from -> dynamo.query(b -> b.tableName(t.achievements())
                                .keyConditionExpression("userId = :u")
                                .expressionAttributeValues(Map.of(":u", s(userId)))
                                .exclusiveStartKey(from)),
                        Integer.MAX_VALUE)
                .stream()
                .map(i -> new Earned(str(i, "achievementId"), str(i, "earnedAt")))
                .toList();
    }

    /**
     * Awards an achievement once: the award (conditioned on not existing) and its notification in one transaction.
     * False, writing nothing, when it was awarded before, however many saves race to cross it.
     */
    public boolean award(String userId, String achievementId, String earnedAt, TransactWriteItem notification) {
        // a concurrent save awarding it right now counts as awarded: should that one fail too, the next save awards it
        return putOnceWith(
                t.achievements(),
                Map.of("userId", s(userId), "achievementId", s(achievementId), "earnedAt", s(earnedAt)),
                "achievementId",
                notification);
    }

    /**
     * Writes the notification only if {@code key} was never used (an idempotency record that expires). False, writing
     * nothing, when it was, or when a concurrent call is writing the same key right now (that one notifies).
     */
    public boolean once(String key, Instant expires, TransactWriteItem notification) {
        return putOnceWith(
                t.idempotency(), Map.of("id", s(key), "expiresAt", n(expires.getEpochSecond())), "id", notification);
    }

    /**
     * Puts {@code item} unless an item with its key exists ({@code keyAttribute}), with the notification, in one
     * transaction. False, writing nothing, when it exists or a concurrent call is writing it right now.
     */
    private boolean putOnceWith(
            String table, Map<String, AttributeValue> item, String keyAttribute, TransactWriteItem notification) {
        try {
            return Dynamo.transact(
                    dynamo,
                    List.of(
                            TransactWriteItem.builder()
                                    .put(p -> p.tableName(table)
                                            .item(item)
                                            .conditionExpression("attribute_not_exists(#k)")
                                            .expressionAttributeNames(Map.of("#k", keyAttribute)))
                                    .build(),
                            notification));
        } catch (TransactionCanceledException e) {
            if (conflict(e)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean conflict(TransactionCanceledException e) {
        return e.hasCancellationReasons()
                && e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
    }

    // ------------------------------------------------------------ coach assignments

    public Optional<Assignment> assignment(String clientId) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(t.clients())
                        .key(Map.of("userId", s(clientId)))
                        .consistentRead(true))
                .item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(assignment(i));
    }

    /** Opens (or reuses) the coach-client direct room of the chat, then records the assignment; answers the room id. */
    public String assign(String clientId, String coachId, Instant now, String assignedAt) {
        String roomId = Rooms.openDirect(dynamo, t.rooms(), t.roomMembers(), coachId, clientId, now);
        dynamo.putItem(b -> b.tableName(t.clients())
                .item(Map.of(
                        "userId",
                        s(clientId),
                        "coachId",
                        s(coachId),
                        "roomId",
                        s(roomId),
                        "assignedAt",
                        s(assignedAt))));
        return roomId;
    }

    /** Ends an assignment; answers the one removed, if any. */
    public Optional<Assignment> unassign(String clientId) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(t.clients())
                        .key(Map.of("userId", s(clientId)))
                        .returnValues(ReturnValue.ALL_OLD))
                .attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.of(assignment(old));
    }

    /** Ends the assignment of a client to this coach only (another coach's since then stays). */
    public void unassign(String clientId, String coachId) {
        try {
            dynamo.deleteItem(b -> b.tableName(t.clients())
                    .key(Map.of("userId", s(clientId)))
                    .conditionExpression("coachId = :c")
                    .expressionAttributeValues(Map.of(":c", s(coachId))));
        } catch (ConditionalCheckFailedException gone) {
            // already ended, or the client has another coach now
        }
    }

    /** A page of a coach's clients, by client id. */
    public Page<Assignment> clientsOf(String coachId, int limit, String cursor) {
        Map<String, AttributeValue> start =
                Cursor.decode(cursor, Set.of("coachId", "userId"), Map.of("coachId", coachId));
        QueryResponse r = dynamo.query(b -> b.tableName(t.clients())
                .indexName(COACH_INDEX)
                .keyConditionExpression("coachId = :c")
                .expressionAttributeValues(Map.of(":c", s(coachId)))
                .limit(limit)
                .exclusiveStartKey(start));
        return new Page<>(r.items().stream().map(CoachingStore::assignment).toList(), next(r));
    }

    /** Every assignment, a page of the table at a time (the at-risk job). */
    public void eachAssignment(Consumer<Assignment> each) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse r = dynamo.scan(b -> b.tableName(t.clients()).exclusiveStartKey(from));
            r.items().forEach(i -> each.accept(assignment(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
    }

    // ------------------------------------------------------------ notes

    /**
     * For SnapStart priming, what the at-risk job sends that a read of nobody does not: one page of one assignment
     * (the job's scan), and its once-a-day transaction refused by its condition ({@link Dynamo#refusedWrite}): nothing written.
     */
    public void primeAtRisk() {
        dynamo.scan(b -> b.tableName(t.clients()).limit(1));
        Dynamo.refusedWrite(dynamo, Dynamo.Write.TRANSACT_PUT, t.idempotency(), "id");
    }

    public void addNote(Note note) {
        dynamo.putItem(b -> b.tableName(t.notes())
                .item(Map.of(
                        "threadId",
                        s(thread(note.coachId(), note.clientId())),
                        "noteId",
                        s(note.noteId()),
                        "coachId",
                        s(note.coachId()),
                        "clientId",
                        s(note.clientId()),
                        "text",
                        s(note.text()),
                        "createdAt",
                        s(note.createdAt()))));
    }

    /** A page of one coach's notes on one client, newest first: another coach never reads them. */
    public Page<Note> notes(String coachId, String clientId, int limit, String cursor) {
        String thread = thread(coachId, clientId);
        Map<String, AttributeValue> start =
                Cursor.decode(cursor, Set.of("threadId", "noteId"), Map.of("threadId", thread));
        QueryResponse r = dynamo.query(b -> b.tableName(t.notes())
                .keyConditionExpression("threadId = :t")
                .expressionAttributeValues(Map.of(":t", s(thread)))
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(start));
        return new Page<>(
                r.items().stream()
                        .map(i -> new Note(
                                str(i, "coachId"),
                                str(i, "clientId"),
                                str(i, "noteId"),
                                str(i, "text"),
                                str(i, "createdAt")))
                        .toList(),
                next(r));
    }

    private static String thread(String coachId, String clientId) {
        return coachId + "#" + clientId;
    }

    // ------------------------------------------------------------ mapping

    static String next(QueryResponse r) {
        return r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? Cursor.encode(r.lastEvaluatedKey()) : null;
    }

    static Entry entry(Map<String, AttributeValue> i) {
        List<String> triggers = i.containsKey("triggers")
                ? i.get("triggers").l().stream().map(AttributeValue::s).toList()
                : List.of();
        return new Entry(
                LocalDate.parse(str(i, "date")),
                num(i, "smoked"),
                optNum(i, "cravings"),
                optNum(i, "mood"),
                new ArrayList<>(triggers),
                str(i, "note"),
                str(i, "savedAt"));
    }

    static Assignment assignment(Map<String, AttributeValue> i) {
        return new Assignment(str(i, "userId"), str(i, "coachId"), str(i, "roomId"), str(i, "assignedAt"));
    }

    static Integer optNum(Map<String, AttributeValue> i, String k) {
        return i.containsKey(k) ? Integer.valueOf(i.get(k).n()) : null;
    }
}
