package dev.suite.shared.data;

import dev.suite.shared.Config;
import dev.suite.shared.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Fixed-window rate limits kept in DynamoDB (one counter item per key and window, removed by TTL): a call over
 * the limit is a 429 with Retry-After up to the end of the window. Counting is one conditional UpdateItem, so
 * concurrent calls never let more than the limit through.
 */
public final class RateLimiter {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public RateLimiter(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    public static RateLimiter from(DynamoDbClient dynamo, Config config) {
        return new RateLimiter(dynamo, config.require("RATE_LIMITS_TABLE"), Clock.systemUTC());
    }

    public void hit(String key, int limit, Duration window, String what) {
        long now = clock.millis();
        long size = window.toMillis();
        long start = now / size * size;
        long end = start + size;
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("id", AttributeValue.fromS(key + "#" + start)))
                    .updateExpression("ADD #c :one SET expiresAt = if_not_exists(expiresAt, :exp)")
                    .conditionExpression("attribute_not_exists(#c) OR #c < :limit")
                    .expressionAttributeNames(Map.of("#c", "calls"))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":limit", AttributeValue.fromN(Integer.toString(limit)),
                            ":exp", AttributeValue.fromN(Long.toString(end / 1000 + 60)))));
        } catch (ConditionalCheckFailedException e) {
            long retry = Math.max(1, (end - now + 999) / 1000);
            throw ApiException.tooManyRequests("too many " + what + "; at most " + limit + " per " + window.toSeconds() + " s, retry in "
                    + retry + " s", retry);
        }
    }
}
