package dev.suite.payment.store;

import dev.suite.payment.domain.PaymentRecord;
import dev.suite.payment.provider.Vnpay;
import dev.suite.shared.Config;
import dev.suite.shared.Ids;
import dev.suite.shared.Log;
import dev.suite.shared.Metrics;
import dev.suite.shared.Times;
import dev.suite.shared.data.Credits;
import dev.suite.shared.data.Dynamo;
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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The Transactions table and the one exactly-once path that credits a purchase: PENDING (or EXPIRED, when the
 * customer paid after our deadline) to SUCCEEDED together with the balance and the ledger entry, in one
 * conditional transaction. IPN, return page and reconciliation all settle through here.
 */
public final class Payments {
    private static final Set<String> PAGE_KEYS = Set.of("transactionId", "userId", "createdAt");
    private static final Logger LOG = Log.get(Payments.class);
    public static final String BY_USER = "user-createdAt-index";
    public static final String PENDING_INDEX = "pending-expiry-index";
    private final DynamoDbClient dynamo;
    private final Credits credits;
    private final String table;

    public Payments(DynamoDbClient dynamo, Credits credits, String table) {
        this.dynamo = dynamo;
        this.credits = credits;
        this.table = table;
    }

    public static Payments from(DynamoDbClient dynamo, Config config) {
        return new Payments(dynamo, Credits.from(config), config.require("TRANSACTIONS_TABLE"));
    }

    public void create(PaymentRecord p) {
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
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(transactionId)"));
    }

    public Optional<PaymentRecord> get(String transactionId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("transactionId", AttributeValue.fromS(transactionId))).consistentRead(true)).item();
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
        values.put(":no", AttributeValue.fromS(nz(vnpTransactionNo)));
        values.put(":bank", AttributeValue.fromS(nz(bankCode)));
        values.put(":paid", AttributeValue.fromS(nz(payDate)));
        values.put(":rc", AttributeValue.fromS("00"));
        values.put(":t", AttributeValue.fromS(Times.iso(now)));
        Update settle = Update.builder().tableName(table)
                .key(Map.of("transactionId", AttributeValue.fromS(p.transactionId())))
                .updateExpression("SET #s = :ok, vnpTransactionNo = :no, bankCode = :bank, payDate = :paid, responseCode = :rc, "
                        + "settledAt = :t REMOVE pending")
                .conditionExpression("#s IN (:pending, :expired)")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(values).build();
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

    /** PENDING to FAILED with VNPAY's response code; false when already settled. */
    public boolean markFailed(String transactionId, String responseCode, Instant now) {
        boolean failed = finish(transactionId, PaymentRecord.FAILED, responseCode, now);
        if (failed) {
            Metrics.count(Metrics.PAYMENTS_FAILED, 1);
        }
        return failed;
    }

    /** PENDING to EXPIRED (reconciliation found no payment); false when already settled. */
    public boolean expire(String transactionId, String responseCode, Instant now) {
        return finish(transactionId, PaymentRecord.EXPIRED, responseCode, now);
    }

    private boolean finish(String transactionId, String status, String responseCode, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("transactionId", AttributeValue.fromS(transactionId)))
                    .updateExpression("SET #s = :to, responseCode = :rc, settledAt = :t REMOVE pending")
                    .conditionExpression("#s = :pending")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":to", AttributeValue.fromS(status), ":pending", AttributeValue.fromS(PaymentRecord.PENDING),
                            ":rc", AttributeValue.fromS(nz(responseCode)), ":t", AttributeValue.fromS(Times.iso(now)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** A user's payments, newest first; the cursor cannot reach another user's rows. */
    public Page<PaymentRecord> page(String userId, int limit, String cursor) {
        return Dynamo.newestFirst(dynamo, table, BY_USER, PAGE_KEYS, userId, limit, cursor).map(Payments::record);
    }

    /** PENDING rows whose payment window closed before {@code cutoff} (sparse index). */
    public List<PaymentRecord> pendingExpiredBefore(Instant cutoff, int max) {
        return Dynamo.pendingBefore(dynamo, table, PENDING_INDEX, "expiresAt", Times.iso(cutoff), max).stream().map(Payments::record).toList();
    }

    /**
     * Asks VNPAY (querydr) and settles on the same exactly-once path: paid with the right amount → SUCCEEDED and
     * credited; definitely unpaid and past the deadline → EXPIRED; otherwise left PENDING for the next run.
     */
    public String reconcile(PaymentRecord p, Vnpay vnpay, String serverIp, Instant now) {
        Vnpay.QueryResult q;
        try {
            q = vnpay.queryDr(Ids.at(now).substring(0, 26), p.transactionId(), p.vnpCreateDate(),
                    "Query " + p.transactionId(), serverIp, now);
        } catch (Vnpay.QueryFailed e) {
            LOG.warn("querydr for {} failed: {}", p.transactionId(), e.getMessage());
            return PaymentRecord.PENDING;
        }
        if (q.paid()) {
            if (q.amount() != p.amountVnd() * 100) {
                LOG.error("querydr for {} reports amount {} but the order is {} VND: not credited", p.transactionId(), q.amount(),
                        p.amountVnd());
                return PaymentRecord.PENDING;
            }
            settlePaid(p, q.transactionNo(), q.bankCode(), q.payDate(), now);
            return PaymentRecord.SUCCEEDED;
        }
        boolean pastDeadline = p.expiresAt() != null && p.expiresAt().compareTo(Times.iso(now)) < 0;
        boolean notPaid = "91".equals(q.responseCode())
                || ("00".equals(q.responseCode()) && !"00".equals(q.transactionStatus()) && !"01".equals(q.transactionStatus()));
        if (pastDeadline && (notPaid || "00".equals(q.responseCode()))) {
            expire(p.transactionId(), "00".equals(q.responseCode()) ? q.transactionStatus() : q.responseCode(), now);
            return PaymentRecord.EXPIRED;
        }
        return PaymentRecord.PENDING;
    }

    public static PaymentRecord record(Map<String, AttributeValue> i) {
        return new PaymentRecord(s(i, "transactionId"), s(i, "userId"), s(i, "packageId"), n(i, "credits"), n(i, "amountVnd"),
                s(i, "status"), s(i, "createdAt"), s(i, "expiresAt"), s(i, "vnpCreateDate"), s(i, "orderInfo"), s(i, "ipAddr"),
                s(i, "responseCode"), s(i, "vnpTransactionNo"), s(i, "bankCode"), s(i, "payDate"));
    }

    private static void put(Map<String, AttributeValue> item, String k, String v) {
        if (v != null) {
            item.put(k, AttributeValue.fromS(v));
        }
    }

    private static String nz(String v) {
        return v == null ? "" : v;
    }

    private static String s(Map<String, AttributeValue> item, String key) {
        AttributeValue v = item.get(key);
        return v == null ? null : v.s();
    }

    private static long n(Map<String, AttributeValue> item, String key) {
        AttributeValue v = item.get(key);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
