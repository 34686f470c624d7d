package dev.suite.gym.store;

import static dev.suite.shared.data.Items.n;
import static dev.suite.shared.data.Items.num;
import static dev.suite.shared.data.Items.s;
import static dev.suite.shared.data.Items.str;

import dev.suite.gym.domain.Membership;
import dev.suite.shared.Config;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.data.Transaction;
import dev.suite.shared.http.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Memberships, used check-in tokens, who is inside which gym, visits and occupancy. A check-in and a check-out are
 * each one conditional transaction, so occupancy always equals the members inside.
 */
public final class CheckinStore {
    public static final String GYM_INDEX = "gym-index";
    private final DynamoDbClient dynamo;
    private final Tables t;

    /** The table names, from the template's {@code !Ref}s. */
    public record Tables(String gyms, String memberships, String tokens, String presence, String visits) {
        public static Tables from(Config c) {
            return new Tables(
                    c.require("GYMS_TABLE"),
                    c.require("MEMBERSHIPS_TABLE"),
                    c.require("CHECKIN_TOKENS_TABLE"),
                    c.require("GYM_PRESENCE_TABLE"),
                    c.require("VISITS_TABLE"));
        }
    }

    /** Why a check-in was refused, or ADMITTED. */
    public enum Outcome {
        ADMITTED,
        TOKEN_USED,
        MEMBERSHIP_EXPIRED,
        ALREADY_INSIDE,
        GYM_FULL
    }

    /** Why a check-out wrote nothing: the member is not inside that visit (any other failed condition is a bug). */
    private enum Exit {
        NOT_INSIDE
    }

    /** Who is inside a gym now, since when, in which visit. */
    public record Presence(String userId, String gymId, String visitId, String since) {}

    public CheckinStore(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.t = tables;
    }

    public static CheckinStore from(DynamoDbClient dynamo, Config config) {
        return new CheckinStore(dynamo, Tables.from(config));
    }

    /**
     * A store that knows only the memberships table: for reading a membership (the webhook function has no other gym
     * table).
     */
    public static CheckinStore membershipsOnly(DynamoDbClient dynamo, Config config) {
        return new CheckinStore(dynamo, new Tables(null, config.require("MEMBERSHIPS_TABLE"), null, null, null));
    }

    public Membership membership(String userId) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(t.memberships())
                        .key(Map.of("userId", s(userId)))
                        .consistentRead(true))
                .item();
        if (i == null || i.isEmpty() || !i.containsKey("expiresAt")) {
            return new Membership(userId, null);
        }
        return new Membership(
                userId, Instant.ofEpochSecond(Long.parseLong(i.get("expiresAt").n())));
    }

    /**
     * One transaction: the token's id (first use only), the membership still valid at {@code now}, the member not
     * inside any gym, occupancy below capacity, and the visit. Nothing is written unless all hold.
     */
    public Outcome checkIn(
            String tokenId,
            Instant tokenExpires,
            String userId,
            String gymId,
            String visitId,
            String scannedBy,
            Instant now) {
        String at = now.toString();
        return new Transaction<Outcome>()
                .guard(
                        TransactWriteItem.builder()
                                .put(Put.builder()
                                        .tableName(t.tokens())
                                        .item(Map.of(
                                                "tokenId",
                                                s(tokenId),
                                                "userId",
                                                s(userId),
                                                "gymId",
                                                s(gymId),
                                                "usedAt",
                                                s(at),
                                                "expiresAt",
                                                n(tokenExpires.getEpochSecond() + 86_400)))
                                        .conditionExpression("attribute_not_exists(tokenId)")
                                        .build())
                                .build(),
                        Outcome.TOKEN_USED)
                .guard(
                        TransactWriteItem.builder()
                                .conditionCheck(software.amazon.awssdk.services.dynamodb.model.ConditionCheck.builder()
                                        .tableName(t.memberships())
                                        .key(Map.of("userId", s(userId)))
                                        .conditionExpression("expiresAt > :now")
                                        .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                                        .build())
                                .build(),
                        Outcome.MEMBERSHIP_EXPIRED)
                .guard(
                        TransactWriteItem.builder()
                                .put(Put.builder()
                                        .tableName(t.presence())
                                        .item(Map.of(
                                                "userId",
                                                s(userId),
                                                "gymId",
                                                s(gymId),
                                                "visitId",
                                                s(visitId),
                                                "since",
                                                s(at)))
                                        .conditionExpression("attribute_not_exists(userId)")
                                        .build())
                                .build(),
                        Outcome.ALREADY_INSIDE)
                .guard(
                        TransactWriteItem.builder()
                                .update(Update.builder()
                                        .tableName(t.gyms())
                                        .key(Map.of("gymId", s(gymId)))
                                        .updateExpression("SET occupancy = occupancy + :one")
                                        .conditionExpression("attribute_exists(gymId) AND occupancy < #cap")
                                        .expressionAttributeNames(Map.of("#cap", "capacity"))
                                        .expressionAttributeValues(Map.of(":one", n(1)))
                                        .build())
                                .build(),
                        Outcome.GYM_FULL)
                .add(TransactWriteItem.builder()
                        .put(Put.builder()
                                .tableName(t.visits())
                                .item(Map.of(
                                        "userId",
                                        s(userId),
                                        "visitId",
                                        s(visitId),
                                        "gymId",
                                        s(gymId),
                                        "checkedInAt",
                                        s(at),
                                        "scannedBy",
                                        s(scannedBy)))
                                .build())
                        .build())
                .write(dynamo)
                .orElse(Outcome.ADMITTED);
    }

    public Optional<Presence> presence(String userId) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(t.presence())
                        .key(Map.of("userId", s(userId)))
                        .consistentRead(true))
                .item();
        return i == null || i.isEmpty()
                ? Optional.empty()
                : Optional.of(new Presence(str(i, "userId"), str(i, "gymId"), str(i, "visitId"), str(i, "since")));
    }

    /** A visit, open while {@code checkedOutAt} is null; {@code closedBy} is the staff member's id or {@code auto}. */
    public record Visit(String visitId, String gymId, String checkedInAt, String checkedOutAt, String closedBy) {}

    /**
     * Closes the visit and frees the place, in one transaction conditioned on the member being inside that visit; false
     * when not.
     */
    public boolean checkOut(Presence p, Instant now) {
        return checkOut(p, now, "staff");
    }

    /** As {@link #checkOut(Presence, Instant)}, recording who closed it. */
    public boolean checkOut(Presence p, Instant now, String closedBy) {
        return new Transaction<Exit>()
                .guard(
                        TransactWriteItem.builder()
                                .delete(Delete.builder()
                                        .tableName(t.presence())
                                        .key(Map.of("userId", s(p.userId())))
                                        .conditionExpression("gymId = :g AND visitId = :v")
                                        .expressionAttributeValues(Map.of(":g", s(p.gymId()), ":v", s(p.visitId())))
                                        .build())
                                .build(),
                        Exit.NOT_INSIDE)
                .add(TransactWriteItem.builder()
                        .update(Update.builder()
                                .tableName(t.gyms())
                                .key(Map.of("gymId", s(p.gymId())))
                                .updateExpression("SET occupancy = occupancy - :one")
                                .conditionExpression("attribute_exists(gymId) AND occupancy > :zero")
                                .expressionAttributeValues(Map.of(":one", n(1), ":zero", n(0)))
                                .build())
                        .build())
                .add(TransactWriteItem.builder()
                        .update(Update.builder()
                                .tableName(t.visits())
                                .key(Map.of("userId", s(p.userId()), "visitId", s(p.visitId())))
                                .updateExpression("SET checkedOutAt = :at, closedBy = :by")
                                .conditionExpression("attribute_exists(visitId) AND attribute_not_exists(checkedOutAt)")
                                .expressionAttributeValues(Map.of(":at", s(now.toString()), ":by", s(closedBy)))
                                .build())
                        .build())
                .write(dynamo)
                .isEmpty();
    }

    /** A member's visits, newest first. */
    public Page<Visit> visits(String userId, int limit, String cursor) {
        return Dynamo.newestFirst(dynamo, t.visits(), null, Set.of("userId", "visitId"), userId, limit, cursor)
                .map(i -> new Visit(
                        str(i, "visitId"),
                        str(i, "gymId"),
                        str(i, "checkedInAt"),
                        str(i, "checkedOutAt"),
                        str(i, "closedBy")));
    }

    /** Check-in instants of a gym's visits between the two instants (at most {@code max}), from the gym index. */
    public List<Instant> checkIns(String gymId, Instant from, Instant to, int max) {
        Map<String, AttributeValue> values = Map.of(
                ":g",
                s(gymId),
                ":a",
                s(from.minusSeconds(1).toString()),
                ":b",
                s(to.plusSeconds(1).toString()));
        List<Instant> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : Dynamo.queryAll(
                start -> dynamo.query(b -> b.tableName(t.visits())
                        .indexName(GYM_INDEX)
                        .keyConditionExpression("gymId = :g AND checkedInAt BETWEEN :a AND :b")
                        .expressionAttributeValues(values)
                        .exclusiveStartKey(start)),
                max)) {
            out.add(Instant.parse(str(i, "checkedInAt")));
        }
        return out;
    }

    /** Everyone inside any gym now (read consistently, page by page). */
    public List<Presence> everyoneInside() {
        List<Presence> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse r = dynamo.scan(
                    b -> b.tableName(t.presence()).consistentRead(true).exclusiveStartKey(from));
            r.items()
                    .forEach(i -> out.add(
                            new Presence(str(i, "userId"), str(i, "gymId"), str(i, "visitId"), str(i, "since"))));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** Every gym's occupancy, read consistently. */
    public Map<String, Integer> occupancies() {
        Map<String, Integer> out = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse r = dynamo.scan(b -> b.tableName(t.gyms())
                    .consistentRead(true)
                    .projectionExpression("gymId, occupancy")
                    .exclusiveStartKey(from));
            r.items().forEach(i -> out.put(str(i, "gymId"), num(i, "occupancy")));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /**
     * Sets occupancy to {@code value} only if it is still {@code seen}; false when it moved meanwhile (a check-in or
     * out).
     */
    public boolean correctOccupancy(String gymId, int seen, int value) {
        try {
            dynamo.updateItem(b -> b.tableName(t.gyms())
                    .key(Map.of("gymId", s(gymId)))
                    .updateExpression("SET occupancy = :v")
                    .conditionExpression("attribute_exists(gymId) AND occupancy = :seen")
                    .expressionAttributeValues(Map.of(":v", n(value), ":seen", n(seen))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Sets the membership's expiry (tests and, later, Stripe fulfilment through its own transaction). */
    public void setMembership(String userId, Instant expiresAt) {
        dynamo.putItem(b -> b.tableName(t.memberships())
                .item(Map.of("userId", s(userId), "expiresAt", n(expiresAt.getEpochSecond()))));
    }
}
