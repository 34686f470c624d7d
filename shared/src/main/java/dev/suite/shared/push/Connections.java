package dev.suite.shared.push;

import dev.suite.shared.Config;
import dev.suite.shared.Times;
import dev.suite.shared.data.Dynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** Open WebSocket connections: who is behind each, until when (API Gateway closes them after 2 hours). */
public final class Connections {
    public static final String BY_USER = "user-index";
    public static final Duration LIFETIME = Duration.ofHours(2);
    private final DynamoDbClient dynamo;
    private final String table;

    public Connections(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static Connections from(DynamoDbClient dynamo, Config config) {
        return new Connections(dynamo, config.require("CONNECTIONS_TABLE"));
    }

    public void open(String connectionId, String userId, Instant now) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "connectionId", AttributeValue.fromS(connectionId),
                "userId", AttributeValue.fromS(userId),
                "connectedAt", AttributeValue.fromS(Times.iso(now)),
                "expiresAt", AttributeValue.fromN(Long.toString(now.plus(LIFETIME).getEpochSecond())))));
    }

    public void close(String connectionId) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("connectionId", AttributeValue.fromS(connectionId))));
    }

    /** Live connection ids of a user (rows past their TTL are skipped even before the purge removes them). */
    public List<String> ofUser(String userId, Instant now) {
        List<String> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : Dynamo.queryAll(from -> dynamo.query(b -> b.tableName(table).indexName(BY_USER)
                .keyConditionExpression("userId = :u")
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)))
                .exclusiveStartKey(from)), Integer.MAX_VALUE)) {
            AttributeValue exp = i.get("expiresAt");
            if (exp == null || Long.parseLong(exp.n()) > now.getEpochSecond()) {
                out.add(i.get("connectionId").s());
            }
        }
        return out;
    }

    /** Whether any row is past its TTL (one page of the purge's own scan, read only: what priming warms). */
    public boolean anyExpired(Instant now) {
        return dynamo.scan(b -> b.tableName(table).filterExpression("expiresAt < :now").limit(1)
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))).hasItems();
    }

    /** Deletes rows past their TTL; returns how many. */
    public int purgeExpired(Instant now) {
        int removed = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse r = dynamo.scan(b -> b.tableName(table).filterExpression("expiresAt < :now")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> i : r.items()) {
                close(i.get("connectionId").s());
                removed++;
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return removed;
    }
}
