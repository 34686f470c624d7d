package dev.suite.gym.store;

import static dev.suite.shared.data.Items.n;
import static dev.suite.shared.data.Items.num;
import static dev.suite.shared.data.Items.s;
import static dev.suite.shared.data.Items.str;

import dev.suite.shared.Config;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.data.Transaction;
import dev.suite.shared.http.Page;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Membership purchases (one row per Stripe Checkout Session), the Stripe events already processed, and the one
 * transaction that fulfils a paid session: the event id, the purchase PENDING to PAID, and the membership's expiry
 * moved from the value it was read at.
 */
public final class PurchaseStore {
    public static final String USER_INDEX = "user-index";
    private static final long EVENT_TTL_SECONDS = 30 * 86_400L;
    private final DynamoDbClient dynamo;
    private final Tables t;

    /**
     * The table names, from the template's {@code !Ref}s; only the webhook function, which fulfils, has the events
     * table.
     */
    public record Tables(String purchases, String events, String memberships) {
        public static Tables from(Config c) {
            return new Tables(
                    c.require("PURCHASES_TABLE"),
                    c.get("STRIPE_EVENTS_TABLE").orElse(null),
                    c.require("MEMBERSHIPS_TABLE"));
        }
    }

    /** A purchase: the plan's days and price as they were when the checkout started, and the session's page. */
    public record Purchase(
            String sessionId,
            String userId,
            String planId,
            String planName,
            int days,
            long amount,
            String currency,
            String status,
            String createdAt,
            String paidAt,
            String expiresAt,
            String checkoutUrl) {}

    /** What a fulfilment did. */
    public enum Outcome {
        FULFILLED,
        EVENT_SEEN,
        ALREADY_SETTLED,
        MEMBERSHIP_MOVED
    }

    public PurchaseStore(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.t = tables;
    }

    public static PurchaseStore from(DynamoDbClient dynamo, Config config) {
        return new PurchaseStore(dynamo, Tables.from(config));
    }

    /** Writes the PENDING row of a new session; false when the session already has one. */
    public boolean create(Purchase p) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put("sessionId", s(p.sessionId()));
        i.put("userId", s(p.userId()));
        i.put("planId", s(p.planId()));
        i.put("planName", s(p.planName()));
        i.put("days", n(p.days()));
        i.put("amount", n(p.amount()));
        i.put("currency", s(p.currency()));
        i.put("status", s(p.status()));
        i.put("createdAt", s(p.createdAt()));
        if (p.expiresAt() != null) {
            i.put("expiresAt", s(p.expiresAt()));
        }
        if (p.checkoutUrl() != null) {
            i.put("checkoutUrl", s(p.checkoutUrl()));
        }
        try {
            dynamo.putItem(
                    b -> b.tableName(t.purchases()).item(i).conditionExpression("attribute_not_exists(sessionId)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<Purchase> purchase(String sessionId) {
        Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(t.purchases())
                        .key(Map.of("sessionId", s(sessionId)))
                        .consistentRead(true))
                .item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(purchase(i));
    }

    /**
     * The user's newest PENDING purchase of the plan whose session is still open after {@code openUntil}, among their
     * {@code recent} newest purchases: a second checkout answers its page instead of opening another session.
     */
    public Optional<Purchase> openPending(String userId, String planId, Instant openUntil, int recent) {
        return purchases(userId, recent, null).items().stream()
                .filter(p -> "PENDING".equals(p.status())
                        && planId.equals(p.planId())
                        && p.checkoutUrl() != null
                        && p.expiresAt() != null
                        && Instant.parse(p.expiresAt()).isAfter(openUntil))
                .findFirst();
    }

    public Page<Purchase> purchases(String userId, int limit, String cursor) {
        return Dynamo.newestFirst(
                        dynamo,
                        t.purchases(),
                        USER_INDEX,
                        Set.of("sessionId", "userId", "createdAt"),
                        userId,
                        limit,
                        cursor)
                .map(PurchaseStore::purchase);
    }

    /**
     * One transaction: the event id not seen before, the purchase not yet PAID, the membership's expiry still
     * {@code current} (null: none) and now {@code extended}. Nothing is written unless all three hold.
     */
    public Outcome fulfil(
            String eventId, String eventType, Purchase p, Instant current, Instant extended, Instant now) {
        Map<String, AttributeValue> oldValue = new HashMap<>();
        oldValue.put(":new", n(extended.getEpochSecond()));
        oldValue.put(":at", s(now.toString()));
        String membershipCondition = "attribute_not_exists(expiresAt)";
        if (current != null) {
            oldValue.put(":old", n(current.getEpochSecond()));
            membershipCondition = "expiresAt = :old";
        }
        Transaction<Outcome> tx =
                new Transaction<Outcome>().guard(eventItem(eventId, eventType, p.sessionId(), now), Outcome.EVENT_SEEN);
        tx.guard(
                TransactWriteItem.builder()
                        .update(Update.builder()
                                .tableName(t.purchases())
                                .key(Map.of("sessionId", s(p.sessionId())))
                                .updateExpression(
                                        "SET #s = :paid, paidAt = :at, eventId = :e, membershipUntil = :until")
                                .conditionExpression("attribute_exists(sessionId) AND #s <> :paid")
                                .expressionAttributeNames(Map.of("#s", "status"))
                                .expressionAttributeValues(Map.of(
                                        ":paid",
                                        s("PAID"),
                                        ":at",
                                        s(now.toString()),
                                        ":e",
                                        s(eventId),
                                        ":until",
                                        s(extended.toString())))
                                .build())
                        .build(),
                Outcome.ALREADY_SETTLED);
        tx.guard(
                TransactWriteItem.builder()
                        .update(Update.builder()
                                .tableName(t.memberships())
                                .key(Map.of("userId", s(p.userId())))
                                .updateExpression("SET expiresAt = :new, updatedAt = :at")
                                .conditionExpression(membershipCondition)
                                .expressionAttributeValues(oldValue)
                                .build())
                        .build(),
                Outcome.MEMBERSHIP_MOVED);
        return tx.write(dynamo).orElse(Outcome.FULFILLED);
    }

    /**
     * Marks a PENDING purchase FAILED together with the event id; false when the event was seen or the purchase is not
     * PENDING.
     */
    public boolean fail(String eventId, String eventType, String sessionId, Instant now) {
        Transaction<Outcome> tx = new Transaction<Outcome>()
                .guard(eventItem(eventId, eventType, sessionId, now), Outcome.EVENT_SEEN)
                .guard(
                        TransactWriteItem.builder()
                                .update(Update.builder()
                                        .tableName(t.purchases())
                                        .key(Map.of("sessionId", s(sessionId)))
                                        .updateExpression("SET #s = :failed, failedAt = :at")
                                        .conditionExpression("#s = :pending")
                                        .expressionAttributeNames(Map.of("#s", "status"))
                                        .expressionAttributeValues(Map.of(
                                                ":failed",
                                                s("FAILED"),
                                                ":pending",
                                                s("PENDING"),
                                                ":at",
                                                s(now.toString())))
                                        .build())
                                .build(),
                        Outcome.ALREADY_SETTLED);
        return tx.write(dynamo).isEmpty();
    }

    private TransactWriteItem eventItem(String eventId, String eventType, String sessionId, Instant now) {
        return TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(t.events())
                        .item(Map.of(
                                "eventId",
                                s(eventId),
                                "type",
                                s(eventType),
                                "sessionId",
                                s(sessionId),
                                "receivedAt",
                                s(now.toString()),
                                "expiresAt",
                                n(now.getEpochSecond() + EVENT_TTL_SECONDS)))
                        .conditionExpression("attribute_not_exists(eventId)")
                        .build())
                .build();
    }

    static Purchase purchase(Map<String, AttributeValue> i) {
        return new Purchase(
                str(i, "sessionId"),
                str(i, "userId"),
                str(i, "planId"),
                str(i, "planName"),
                num(i, "days"),
                Long.parseLong(i.get("amount").n()),
                str(i, "currency"),
                str(i, "status"),
                str(i, "createdAt"),
                str(i, "paidAt"),
                str(i, "expiresAt"),
                str(i, "checkoutUrl"));
    }
}
