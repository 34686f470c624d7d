package dev.suite.shared.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The two DynamoDB idioms every store uses: reading every page of a query, and telling a failed condition apart. */
public final class Dynamo {
    private Dynamo() {
    }

    /** Items of every page (from the given start key, null for the first page), up to {@code max}. */
    public static List<Map<String, AttributeValue>> queryAll(Function<Map<String, AttributeValue>, QueryResponse> page, int max) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse r = page.apply(start);
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && out.size() < max);
        return out.size() > max ? out.subList(0, max) : out;
    }

    /** One page of a user's rows from a user + createdAt index, newest first. */
    public static QueryResponse newestFirst(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo, String table, String index,
                                            String userId, int limit, Map<String, AttributeValue> start) {
        return dynamo.query(b -> b.tableName(table).indexName(index)
                .keyConditionExpression("userId = :u")
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)))
                .scanIndexForward(false).limit(limit).exclusiveStartKey(start));
    }

    /** Rows of a sparse index keyed by {@code pending = "1"} whose sort key is below the cutoff. */
    public static List<Map<String, AttributeValue>> pendingBefore(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo, String table,
                                                                  String index, String sortKey, String cutoff, int max) {
        return queryAll(from -> dynamo.query(b -> b.tableName(table).indexName(index)
                .keyConditionExpression("pending = :p AND " + sortKey + " < :c")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("1"), ":c", AttributeValue.fromS(cutoff)))
                .exclusiveStartKey(from).limit(100)), max);
    }

    /**
     * Writes the items in one transaction. Returns false, having written nothing, when the condition on the first
     * item failed (the guard every caller puts first: "not yet written", "still PENDING", "balance covers it").
     */
    public static boolean transact(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo,
                                   java.util.Collection<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> items) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            if (conditionFailed(e, 0)) {
                return false;
            }
            throw e;
        }
    }

    /** True when the transaction was cancelled because the condition of item {@code index} failed. */
    public static boolean conditionFailed(TransactionCanceledException e, int index) {
        return e.cancellationReasons().size() > index && "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }
}
