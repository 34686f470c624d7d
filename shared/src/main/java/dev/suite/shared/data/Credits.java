package dev.suite.shared.data;

import dev.suite.shared.Config;
import dev.suite.shared.Ids;
import dev.suite.shared.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The only way credits move: each change is an Update of Users.credits with a condition plus a CreditLedger
 * Put, both items of the caller's one TransactWriteItems, so the balance always equals the ledger's sum.
 */
public final class Credits {
    private final String usersTable;
    private final String ledgerTable;

    public Credits(String usersTable, String ledgerTable) {
        this.usersTable = usersTable;
        this.ledgerTable = ledgerTable;
    }

    public static Credits from(Config config) {
        return new Credits(config.require("USERS_TABLE"), config.require("CREDIT_LEDGER_TABLE"));
    }

    public String usersTable() {
        return usersTable;
    }

    public String ledgerTable() {
        return ledgerTable;
    }

    /** Take {@code amount} credits only if the balance covers them, and record it. */
    public List<TransactWriteItem> spend(String userId, long amount, String reason, String ref, Instant now) {
        return move(userId, -amount, "credits >= :n", reason, ref, now);
    }

    /** Add {@code amount} credits to an existing user, and record it. */
    public List<TransactWriteItem> grant(String userId, long amount, String reason, String ref, Instant now) {
        return move(userId, amount, "attribute_exists(userId)", reason, ref, now);
    }

    private List<TransactWriteItem> move(
            String userId, long delta, String condition, String reason, String ref, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":d", AttributeValue.fromN(Long.toString(delta)));
        values.put(":t", AttributeValue.fromS(Times.iso(now)));
        if (condition.contains(":n")) {
            values.put(":n", AttributeValue.fromN(Long.toString(-delta)));
        }
        Update update = Update.builder()
                .tableName(usersTable)
                .key(Map.of("userId", AttributeValue.fromS(userId)))
                .updateExpression("SET credits = credits + :d, updatedAt = :t")
                .conditionExpression(condition)
                .expressionAttributeValues(values)
                .build();
        List<TransactWriteItem> items = new ArrayList<>(2);
        items.add(TransactWriteItem.builder().update(update).build());
        items.add(ledgerPut(userId, delta, reason, ref, now));
        return items;
    }

    /** A ledger entry for a balance written in the same transaction (for example a new user's starting credits). */
    public TransactWriteItem ledgerPut(String userId, long delta, String reason, String ref, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("userId", AttributeValue.fromS(userId));
        item.put("entryId", AttributeValue.fromS(Ids.at(now)));
        item.put("delta", AttributeValue.fromN(Long.toString(delta)));
        item.put("reason", AttributeValue.fromS(reason));
        if (ref != null) {
            item.put("ref", AttributeValue.fromS(ref));
        }
        item.put("createdAt", AttributeValue.fromS(Times.iso(now)));
        return TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(ledgerTable)
                        .item(item)
                        .conditionExpression("attribute_not_exists(entryId)")
                        .build())
                .build();
    }

    public List<LedgerEntry> latest(DynamoDbClient dynamo, String userId, int limit) {
        QueryResponse r = dynamo.query(QueryRequest.builder()
                .tableName(ledgerTable)
                .keyConditionExpression("userId = :u")
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)))
                .scanIndexForward(false)
                .limit(limit)
                .build());
        return r.items().stream().map(Credits::entry).toList();
    }

    /** The sum of every ledger entry of a user: equal to the balance at all times. */
    public long ledgerSum(DynamoDbClient dynamo, String userId) {
        return Dynamo.queryAll(
                        from -> dynamo.query(QueryRequest.builder()
                                .tableName(ledgerTable)
                                .keyConditionExpression("userId = :u")
                                .consistentRead(true)
                                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)))
                                .exclusiveStartKey(from)
                                .build()),
                        Integer.MAX_VALUE)
                .stream()
                .mapToLong(i -> Long.parseLong(i.get("delta").n()))
                .sum();
    }

    static LedgerEntry entry(Map<String, AttributeValue> item) {
        return new LedgerEntry(
                item.get("entryId").s(),
                Long.parseLong(item.get("delta").n()),
                item.get("reason").s(),
                item.containsKey("ref") ? item.get("ref").s() : null,
                item.get("createdAt").s());
    }
}
