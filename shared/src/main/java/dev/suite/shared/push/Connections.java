package dev.suite.shared.push;

import dev.suite.shared.Config;
import dev.suite.shared.Times;
import dev.suite.shared.data.Dynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Open WebSocket connections: who is behind each, until when (API Gateway closes them after 2 hours). The table holds
 * two kinds of items, both keyed by {@code connectionId}:
 * <ul>
 *   <li>one row per connection ({@code connectionId} as API Gateway names it): {@code userId}, {@code connectedAt},
 *       {@code expiresAt} (the table's TTL);</li>
 *   <li>one item per user ({@code user#<userId>}; API Gateway's ids never hold {@code #}): {@code connections}, a map of
 *       the user's connection ids to their {@code expiresAt}; no TTL of its own (the purge removes it once every entry
 *       has expired).</li>
 * </ul>
 * The user item is kept in step with conditional updates on open, close and purge, so a fan-out reads the connections of
 * 100 users in one BatchGetItem instead of one query each. Readers skip entries past their expiry, so an entry whose row
 * DynamoDB's TTL removed before the purge ran is never used.
 */
public final class Connections {
    public static final Duration LIFETIME = Duration.ofHours(2);
    static final String USER_PREFIX = "user#";
    static final int OPEN_ATTEMPTS = 3;
    private final DynamoDbClient dynamo;
    private final String table;

    public Connections(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static Connections from(DynamoDbClient dynamo, Config config) {
        return new Connections(dynamo, config.require("CONNECTIONS_TABLE"));
    }

    /** Records a connection, then adds it to its user's item (creating the item for the user's first connection). */
    public void open(String connectionId, String userId, Instant now) {
        AttributeValue expires =
                AttributeValue.fromN(Long.toString(now.plus(LIFETIME).getEpochSecond()));
        dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(
                        "connectionId", AttributeValue.fromS(connectionId),
                        "userId", AttributeValue.fromS(userId),
                        "connectedAt", AttributeValue.fromS(Times.iso(now)),
                        "expiresAt", expires)));
        Map<String, AttributeValue> key = userKey(userId);
        for (int attempt = 1; ; attempt++) {
            try {
                // the map exists: add this connection to it
                dynamo.updateItem(b -> b.tableName(table)
                        .key(key)
                        .updateExpression("SET connections.#id = :exp")
                        .conditionExpression("attribute_exists(connections)")
                        .expressionAttributeNames(Map.of("#id", connectionId))
                        .expressionAttributeValues(Map.of(":exp", expires)));
                return;
            } catch (ConditionalCheckFailedException noMap) {
                try {
                    // no map yet: create it with this connection, unless another open just did
                    dynamo.updateItem(b -> b.tableName(table)
                            .key(key)
                            .updateExpression("SET connections = :m")
                            .conditionExpression("attribute_not_exists(connections)")
                            .expressionAttributeValues(
                                    Map.of(":m", AttributeValue.fromM(Map.of(connectionId, expires)))));
                    return;
                } catch (ConditionalCheckFailedException created) {
                    if (attempt >= OPEN_ATTEMPTS) {
                        throw created;
                    }
                }
            }
        }
    }

    /** For SnapStart priming: the writes of {@link #open}, refused by their condition ({@link Dynamo#refusedWrite}): nothing written. */
    public void primeOpen() {
        Dynamo.refusedWrite(dynamo, Dynamo.Write.PUT, table, "connectionId");
        Dynamo.refusedWrite(dynamo, Dynamo.Write.UPDATE, table, "connectionId");
    }

    /** Forgets a connection: its row, and its entry in its user's item. */
    public void close(String connectionId) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table)
                        .key(Map.of("connectionId", AttributeValue.fromS(connectionId)))
                        .returnValues(ReturnValue.ALL_OLD))
                .attributes();
        AttributeValue userId = old == null ? null : old.get("userId");
        if (userId != null) {
            try {
                dynamo.updateItem(b -> b.tableName(table)
                        .key(userKey(userId.s()))
                        .updateExpression("REMOVE connections.#id")
                        .conditionExpression("attribute_exists(connections)")
                        .expressionAttributeNames(Map.of("#id", connectionId)));
            } catch (ConditionalCheckFailedException gone) {
                // the user's item expired or was purged: nothing to remove
            }
        }
    }

    /** Live connection ids of a user (entries past their TTL are skipped even before the purge removes them). */
    public List<String> ofUser(String userId, Instant now) {
        return ofUsers(List.of(userId), now);
    }

    /** Live connection ids of the given users: one BatchGetItem per 100 users. */
    public List<String> ofUsers(Collection<String> userIds, Instant now) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String userId : new LinkedHashSet<>(userIds)) {
            keys.add(userKey(userId));
        }
        List<String> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : Dynamo.batchGet(dynamo, table, keys)) {
            item.getOrDefault("connections", AttributeValue.fromM(Map.of())).m().forEach((id, expires) -> {
                if (Long.parseLong(expires.n()) > now.getEpochSecond()) {
                    out.add(id);
                }
            });
        }
        return out;
    }

    /** Whether any item is past its TTL (one page of the purge's own scan, read only: what priming warms). */
    public boolean anyExpired(Instant now) {
        return dynamo.scan(b -> b.tableName(table)
                        .filterExpression("expiresAt < :now")
                        .limit(1)
                        .expressionAttributeValues(
                                Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())))))
                .hasItems();
    }

    /**
     * Removes what is past its TTL: connection rows (and their entries in their users' items), and expired entries left in
     * users' items (their rows removed by DynamoDB's TTL first); a user item left with no entry is deleted. Each change is
     * conditional on the item being as scanned, so a connection opened meanwhile stays. Returns how many rows it removed.
     */
    public int purgeExpired(Instant now) {
        int removed = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse r = dynamo.scan(b -> b.tableName(table)
                    .filterExpression("expiresAt < :now OR begins_with(connectionId, :user)")
                    .expressionAttributeValues(Map.of(
                            ":now",
                            AttributeValue.fromN(Long.toString(now.getEpochSecond())),
                            ":user",
                            AttributeValue.fromS(USER_PREFIX)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> i : r.items()) {
                String id = i.get("connectionId").s();
                if (id.startsWith(USER_PREFIX)) {
                    prune(i, now);
                } else {
                    close(id);
                    removed++;
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return removed;
    }

    /** Removes a user item's expired entries, or the item when none is left, unless it changed since it was read. */
    private void prune(Map<String, AttributeValue> item, Instant now) {
        AttributeValue map = item.getOrDefault("connections", AttributeValue.fromM(Map.of()));
        List<String> expired = new ArrayList<>();
        map.m().forEach((id, expires) -> {
            if (Long.parseLong(expires.n()) <= now.getEpochSecond()) {
                expired.add(id);
            }
        });
        Map<String, AttributeValue> key = Map.of("connectionId", item.get("connectionId"));
        try {
            if (expired.size() == map.m().size()) {
                dynamo.deleteItem(b -> b.tableName(table)
                        .key(key)
                        .conditionExpression("attribute_not_exists(connections) OR connections = :m")
                        .expressionAttributeValues(Map.of(":m", map)));
            } else if (!expired.isEmpty()) {
                Map<String, String> names = new LinkedHashMap<>();
                Map<String, AttributeValue> values = new LinkedHashMap<>();
                List<String> conditions = new ArrayList<>();
                for (int e = 0; e < expired.size(); e++) {
                    names.put("#e" + e, expired.get(e));
                    values.put(":e" + e, map.m().get(expired.get(e)));
                    conditions.add("connections.#e" + e + " = :e" + e);
                }
                dynamo.updateItem(b -> b.tableName(table)
                        .key(key)
                        .updateExpression("REMOVE "
                                + String.join(
                                        ", ",
                                        names.keySet().stream()
                                                .map(n -> "connections." + n)
                                                .toList()))
                        .conditionExpression(String.join(" AND ", conditions))
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values));
            }
        } catch (ConditionalCheckFailedException changed) {
            // the user opened or closed a connection since the scan: the next purge looks again
        }
    }

    private static Map<String, AttributeValue> userKey(String userId) {
        return Map.of("connectionId", AttributeValue.fromS(USER_PREFIX + userId));
    }
}
