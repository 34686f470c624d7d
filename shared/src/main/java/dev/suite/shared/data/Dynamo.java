package dev.suite.shared.data;

import dev.suite.shared.http.Page;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The two DynamoDB idioms every store uses: reading every page of a query, and telling a failed condition apart. */
public final class Dynamo {
    static final int BATCH_ATTEMPTS = 6;
    static final long BATCH_BACKOFF_MS = 20;

    private Dynamo() {}

    /** Items of every page (from the given start key, null for the first page), up to {@code max}. */
    public static List<Map<String, AttributeValue>> queryAll(
            Function<Map<String, AttributeValue>, QueryResponse> page, int max) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse r = page.apply(start);
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && out.size() < max);
        return out.size() > max ? out.subList(0, max) : out;
    }

    /**
     * Every item of the given keys of one table, read with BatchGetItem in chunks of 100. Keys DynamoDB leaves
     * unprocessed (throttling, the 16 MB limit) are asked again with exponential backoff, up to
     * {@code BATCH_ATTEMPTS} times; then the read fails as throttled, so the route answers 503, never a partial list.
     */
    public static List<Map<String, AttributeValue>> batchGet(
            DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i += 100) {
            Map<String, KeysAndAttributes> request = Map.of(
                    table,
                    KeysAndAttributes.builder()
                            .keys(keys.subList(i, Math.min(keys.size(), i + 100)))
                            .build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                if (attempt > BATCH_ATTEMPTS) {
                    throw ProvisionedThroughputExceededException.builder()
                            .statusCode(400)
                            .message("BatchGetItem left keys unprocessed after " + BATCH_ATTEMPTS + " attempts")
                            .awsErrorDetails(AwsErrorDetails.builder()
                                    .serviceName("DynamoDb")
                                    .errorCode("ProvisionedThroughputExceededException")
                                    .build())
                            .build();
                }
                if (attempt > 1) {
                    pause(BATCH_BACKOFF_MS << (attempt - 2));
                }
                Map<String, KeysAndAttributes> ask = request;
                BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(ask));
                out.addAll(r.responses().getOrDefault(table, List.of()));
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
            }
        }
        return out;
    }

    /** The write operations {@link #refusedWrite} sends. */
    public enum Write {
        PUT,
        UPDATE,
        DELETE,
        TRANSACT_PUT,
        TRANSACT_UPDATE
    }

    /**
     * For SnapStart priming: sends one write of the given kind that DynamoDB refuses, so the SDK loads the operation's
     * marshalling and its refusal without anything written. The key is one that cannot exist (every key attribute
     * {@code priming#<random UUID>}) and the write is conditional on that item existing ({@code attribute_exists}), so
     * the condition fails; the transactions go through {@link Transaction}, as the stores' do. Needs the
     * function's permission for the operation on the table (PutItem / UpdateItem / DeleteItem; in a transaction, the
     * item's action).
     */
    public static void refusedWrite(DynamoDbClient dynamo, Write write, String table, String... keyNames) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String k : keyNames) {
            key.put(k, AttributeValue.fromS("priming#" + UUID.randomUUID()));
        }
        Map<String, String> names = Map.of("#k", keyNames[0]);
        String exists = "attribute_exists(#k)";
        try {
            switch (write) {
                case PUT ->
                    dynamo.putItem(b -> b.tableName(table)
                            .item(key)
                            .conditionExpression(exists)
                            .expressionAttributeNames(names));
                case UPDATE ->
                    dynamo.updateItem(b -> b.tableName(table)
                            .key(key)
                            .updateExpression("REMOVE #p")
                            .conditionExpression(exists)
                            .expressionAttributeNames(Map.of("#k", keyNames[0], "#p", "priming")));
                case DELETE ->
                    dynamo.deleteItem(b -> b.tableName(table)
                            .key(key)
                            .conditionExpression(exists)
                            .expressionAttributeNames(names));
                case TRANSACT_PUT ->
                    new Transaction<Write>()
                            .guard(
                                    TransactWriteItem.builder()
                                            .put(p -> p.tableName(table)
                                                    .item(key)
                                                    .conditionExpression(exists)
                                                    .expressionAttributeNames(names))
                                            .build(),
                                    write)
                            .write(dynamo);
                case TRANSACT_UPDATE ->
                    new Transaction<Write>()
                            .guard(
                                    TransactWriteItem.builder()
                                            .update(u -> u.tableName(table)
                                                    .key(key)
                                                    .updateExpression("REMOVE #p")
                                                    .conditionExpression(exists)
                                                    .expressionAttributeNames(
                                                            Map.of("#k", keyNames[0], "#p", "priming")))
                                            .build(),
                                    write)
                            .write(dynamo);
                default -> throw new IllegalArgumentException(write.name());
            }
        } catch (ConditionalCheckFailedException refused) {
            // what priming asked for: nothing was written
        }
    }

    /** Sleeps for a backoff; an interrupt ends it with an IllegalStateException. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    /** One page of a user's rows from a user + createdAt index, newest first. */
    public static Page<Map<String, AttributeValue>> newestFirst(
            DynamoDbClient dynamo,
            String table,
            String index,
            Set<String> pageKeys,
            String userId,
            int limit,
            String cursor) {
        Map<String, AttributeValue> start = Cursor.decode(cursor, pageKeys, Map.of("userId", userId));
        QueryResponse r = dynamo.query(b -> b.tableName(table)
                .indexName(index)
                .keyConditionExpression("userId = :u")
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)))
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(start));
        return new Page<>(r.items(), r.hasLastEvaluatedKey() ? Cursor.encode(r.lastEvaluatedKey()) : null);
    }

    /** Rows of a sparse index keyed by {@code pending = "1"} whose sort key is below the cutoff. */
    public static List<Map<String, AttributeValue>> pendingBefore(
            DynamoDbClient dynamo, String table, String index, String sortKey, String cutoff, int max) {
        return queryAll(
                from -> dynamo.query(b -> b.tableName(table)
                        .indexName(index)
                        .keyConditionExpression("pending = :p AND " + sortKey + " < :c")
                        .expressionAttributeValues(
                                Map.of(":p", AttributeValue.fromS("1"), ":c", AttributeValue.fromS(cutoff)))
                        .exclusiveStartKey(from)
                        .limit(100)),
                max);
    }

    /** Why {@link #transact} wrote nothing: the condition on its first item failed. */
    private enum FirstGuard {
        FAILED
    }

    /**
     * Writes the items in one transaction. Returns false, having written nothing, when the condition on the first
     * item failed (the guard every caller puts first: "not yet written", "still PENDING", "balance covers it"); a
     * failed condition on any other item is a bug (IllegalStateException).
     */
    public static boolean transact(DynamoDbClient dynamo, Collection<TransactWriteItem> items) {
        Transaction<FirstGuard> tx = new Transaction<>();
        int i = 0;
        for (TransactWriteItem item : items) {
            if (i++ == 0) {
                tx.guard(item, FirstGuard.FAILED);
            } else {
                tx.add(item);
            }
        }
        return tx.write(dynamo).isEmpty();
    }
}
