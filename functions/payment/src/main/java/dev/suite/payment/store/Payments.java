package dev.suite.payment.store;

import static dev.suite.shared.data.Items.str;

import dev.suite.payment.domain.PaymentRecord;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Metrics;
import dev.suite.shared.Times;
import dev.suite.shared.data.Credits;
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
import org.slf4j.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The Transactions table and the one exactly-once path that credits a purchase: PENDING (or EXPIRED, when the
 * customer paid after our deadline, or REVIEW) to SUCCEEDED together with the balance and the ledger entry, in one
 * conditional transaction. IPN, return page and reconciliation all settle through here.
 */
public final class Payments {
    private static final Set<String> PAGE_KEYS = Set.of("transactionId", "userId", "createdAt");
    private static final Logger LOG = Log.get(Payments.class);
    public static final String BY_USER = "user-createdAt-index";
    /** Sparse: rows carry {@code pending} while the reconciler owes them a check, sorted by when it is due. */
    public static final String RECONCILE_INDEX = "pending-next-attempt-index";

    private static final String ATTEMPT_SET = "attempts = :n, nextAttemptAt = :next, lastStatus = :ls";
    private final DynamoDbClient dynamo;
    private final Credits credits;
    private final String table;

    /** The reconciler's bookkeeping after a check that settled nothing. */
    public record Attempt(int attempts, Instant next, String lastStatus) {}

    public Payments(DynamoDbClient dynamo, Credits credits, String table) {
        this.dynamo = dynamo;
        this.credits = credits;
        this.table = table;
    }

    public static Payments from(DynamoDbClient dynamo, Config config) {
        return new Payments(dynamo, Credits.from(config), config.require("TRANSACTIONS_TABLE"));
    }

    public void create(PaymentRecord p) {
        Put row = newRow(p);
        dynamo.putItem(
                b -> b.tableName(row.tableName()).item(row.item()).conditionExpression(row.conditionExpression()));
    }

    /** Why a claimed create wrote nothing. */
    public enum ClaimRefusal {
        KEY_CLAIMED,
        TRANSACTION_EXISTS
    }

    /**
     * The row and the claim of an idempotency key in one transaction. Empty when both were written, else why nothing
     * was; a transaction conflict with a concurrent claim throws.
     */
    public Optional<ClaimRefusal> createClaimed(PaymentRecord p, TransactWriteItem claim) {
        return new Transaction<ClaimRefusal>()
                .guard(claim, ClaimRefusal.KEY_CLAIMED)
                .guard(TransactWriteItem.builder().put(newRow(p)).build(), ClaimRefusal.TRANSACTION_EXISTS)
                .write(dynamo);
    }

    /** A new PENDING row, on the reconcile index from the end of its window (nextAttemptAt = expiresAt). */
    private Put newRow(PaymentRecord p) {
        Map<String, AttributeValue> item = new HashMap<>();
        put(item, "transactionId", p.transactionId());
        put(item, "userId", p.userId());
        put(item, "packageId", p.packageId());
        item.put("credits", AttributeValue.fromN(Long.toString(p.credits())));
        item.put("amountVnd", AttributeValue.fromN(Long.toString(p.amountVnd())));
        put(item, "status", PaymentRecord.PENDING);
        put(item, "pending", "1");
        put(item, "createdAt", p.createdAt());
        put(item, "expiresAt", p.expiresAt());
        put(item, "vnpCreateDate", p.vnpCreateDate());
        put(item, "orderInfo", p.orderInfo());
        put(item, "ipAddr", p.ipAddr());
        put(item, "nextAttemptAt", p.expiresAt());
        return Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(transactionId)")
                .build();
    }

    public Optional<PaymentRecord> get(String transactionId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                        .key(Map.of("transactionId", AttributeValue.fromS(transactionId)))
                        .consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(record(item));
    }

    /**
     * Credits the purchase once. Returns true when this call settled it, false when it was already final
     * (another IPN, the return page or the reconciler got there first).
     */
    public boolean settlePaid(PaymentRecord p, String vnpTransactionNo, String bankCode, String payDate, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":ok", AttributeValue.fromS(PaymentRecord.SUCCEEDED));
        values.put(":pending", AttributeValue.fromS(PaymentRecord.PENDING));
        values.put(":expired", AttributeValue.fromS(PaymentRecord.EXPIRED));
        values.put(":review", AttributeValue.fromS(PaymentRecord.REVIEW));
        values.put(":no", AttributeValue.fromS(nz(vnpTransactionNo)));
        values.put(":bank", AttributeValue.fromS(nz(bankCode)));
        values.put(":paid", AttributeValue.fromS(nz(payDate)));
        values.put(":rc", AttributeValue.fromS("00"));
        values.put(":t", AttributeValue.fromS(Times.iso(now)));
        Update settle = Update.builder()
                .tableName(table)
                .key(Map.of("transactionId", AttributeValue.fromS(p.transactionId())))
                .updateExpression(
                        "SET #s = :ok, vnpTransactionNo = :no, bankCode = :bank, payDate = :paid, responseCode = :rc, "
                                + "settledAt = :t REMOVE pending")
                .conditionExpression("#s IN (:pending, :expired, :review)")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(values)
                .build();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(settle).build());
        items.addAll(credits.grant(p.userId(), p.credits(), "purchase", p.transactionId(), now));
        if (!Dynamo.transact(dynamo, items)) {
            return false;
        }
        LOG.info("payment {} settled: {} credits", p.transactionId(), p.credits());
        Metrics.count(Metrics.CREDITS_BOUGHT, p.credits());
        return true;
    }

    /** PENDING or EXPIRED to FAILED (a final failure) with VNPAY's response code; false when it was not in either. */
    public boolean markFailed(String transactionId, String responseCode, Instant now) {
        Map<String, AttributeValue> v = values(now);
        v.put(":to", AttributeValue.fromS(PaymentRecord.FAILED));
        v.put(":rc", AttributeValue.fromS(nz(responseCode)));
        boolean failed = update(
                transactionId,
                "SET #s = :to, responseCode = :rc, settledAt = :t REMOVE pending",
                "#s IN (:pending, :expired)",
                v);
        if (failed) {
            Metrics.count(Metrics.PAYMENTS_FAILED, 1);
        }
        return failed;
    }

    /**
     * PENDING to EXPIRED (the window closed with nothing paid). The row stays on the reconcile index, due again at
     * {@code next}, so a late payment is still found; false when it was no longer PENDING.
     */
    public boolean expire(String transactionId, String responseCode, Attempt attempt, Instant now) {
        Map<String, AttributeValue> v = attemptValues(attempt, now);
        v.put(":to", AttributeValue.fromS(PaymentRecord.EXPIRED));
        v.put(":rc", AttributeValue.fromS(nz(responseCode)));
        return update(
                transactionId, "SET #s = :to, responseCode = :rc, settledAt = :t, " + ATTEMPT_SET, "#s = :pending", v);
    }

    /** One more unsettled check: the row keeps its status and is due again at {@code attempt.next}. */
    public boolean retryLater(String transactionId, String status, Attempt attempt, Instant now) {
        Map<String, AttributeValue> v = attemptValues(attempt, now);
        v.put(":was", AttributeValue.fromS(status));
        return update(transactionId, "SET " + ATTEMPT_SET, "#s = :was AND attribute_exists(pending)", v);
    }

    /**
     * A notification that decides nothing yet (VNPAY holds or is still processing the payment): remember what it said.
     */
    public boolean noteStatus(String transactionId, String transactionStatus, Instant now) {
        Map<String, AttributeValue> v = values(now);
        v.put(":ls", AttributeValue.fromS(nz(transactionStatus)));
        return update(transactionId, "SET lastStatus = :ls", "#s IN (:pending, :expired)", v);
    }

    /** PENDING or EXPIRED to REVIEW: the reconciler gives up and a person settles it; counted as PaymentsForReview. */
    public boolean review(String transactionId, String reason, Instant now) {
        Map<String, AttributeValue> v = values(now);
        v.put(":to", AttributeValue.fromS(PaymentRecord.REVIEW));
        v.put(":why", AttributeValue.fromS(reason));
        boolean review = update(
                transactionId,
                "SET #s = :to, reviewReason = :why, settledAt = :t REMOVE pending",
                "#s IN (:pending, :expired)",
                v);
        if (review) {
            LOG.error("payment {} handed over for review: {}", transactionId, reason);
            Metrics.count(Metrics.PAYMENTS_FOR_REVIEW, 1);
        }
        return review;
    }

    /** An EXPIRED row whose late window ended with nothing paid: no longer checked (IPN can still credit it). */
    public boolean close(String transactionId, Instant now) {
        return update(transactionId, "SET settledAt = :t REMOVE pending", "#s = :expired", values(now));
    }

    private boolean update(
            String transactionId, String expression, String condition, Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("transactionId", AttributeValue.fromS(transactionId)))
                    .updateExpression(expression)
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(used(expression + " " + condition, values)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> used(String expressions, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> out = new HashMap<>();
        values.forEach((k, v) -> {
            if (expressions.matches("(?s).*" + k + "\\b.*")) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<String, AttributeValue> values(Instant now) {
        Map<String, AttributeValue> v = new HashMap<>();
        v.put(":pending", AttributeValue.fromS(PaymentRecord.PENDING));
        v.put(":expired", AttributeValue.fromS(PaymentRecord.EXPIRED));
        v.put(":t", AttributeValue.fromS(Times.iso(now)));
        return v;
    }

    private static Map<String, AttributeValue> attemptValues(Attempt attempt, Instant now) {
        Map<String, AttributeValue> v = values(now);
        v.put(":n", AttributeValue.fromN(Integer.toString(attempt.attempts())));
        v.put(":next", AttributeValue.fromS(Times.iso(attempt.next())));
        v.put(":ls", AttributeValue.fromS(nz(attempt.lastStatus())));
        return v;
    }

    /** A user's payments, newest first; the cursor cannot reach another user's rows. */
    public Page<PaymentRecord> page(String userId, int limit, String cursor) {
        return Dynamo.newestFirst(dynamo, table, BY_USER, PAGE_KEYS, userId, limit, cursor)
                .map(Payments::record);
    }

    /**
     * Rows the reconciler owes a check (PENDING, or EXPIRED inside the late window) whose next attempt is due,
     * earliest due first: a row that keeps failing backs off behind newer ones instead of starving them.
     */
    public List<PaymentRecord> due(Instant now, int max) {
        return Dynamo.pendingBefore(dynamo, table, RECONCILE_INDEX, "nextAttemptAt", Times.iso(now), max).stream()
                .map(Payments::record)
                .toList();
    }

    public static PaymentRecord record(Map<String, AttributeValue> i) {
        return new PaymentRecord(
                str(i, "transactionId"),
                str(i, "userId"),
                str(i, "packageId"),
                n(i, "credits"),
                n(i, "amountVnd"),
                str(i, "status"),
                str(i, "createdAt"),
                str(i, "expiresAt"),
                str(i, "vnpCreateDate"),
                str(i, "orderInfo"),
                str(i, "ipAddr"),
                str(i, "responseCode"),
                str(i, "vnpTransactionNo"),
                str(i, "bankCode"),
                str(i, "payDate"),
                (int) n(i, "attempts"),
                str(i, "nextAttemptAt"),
                str(i, "lastStatus"),
                str(i, "reviewReason"));
    }

    private static void put(Map<String, AttributeValue> item, String k, String v) {
        if (v != null) {
            item.put(k, AttributeValue.fromS(v));
        }
    }

    private static String nz(String v) {
        return v == null ? "" : v;
    }

    private static long n(Map<String, AttributeValue> item, String key) {
        AttributeValue v = item.get(key);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
