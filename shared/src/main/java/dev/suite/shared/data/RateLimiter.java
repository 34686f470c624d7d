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

    /** Counts this call and answers 429 (with Retry-After) when it is beyond the limit of the current window. */
    public void hit(String key, int limit, Duration window, String what) {
        Window w = window(window);
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(w.key(key))
                    .updateExpression("ADD #c :one SET expiresAt = if_not_exists(expiresAt, :exp)")
                    .conditionExpression("attribute_not_exists(#c) OR #c < :limit")
                    .expressionAttributeNames(Map.of("#c", "calls"))
                    .expressionAttributeValues(Map.of(
                            ":one",
                            AttributeValue.fromN("1"),
                            ":limit",
                            AttributeValue.fromN(Integer.toString(limit)),
                            ":exp",
                            w.expires())));
        } catch (ConditionalCheckFailedException e) {
            throw w.tooMany(limit, window, what);
        }
    }

    /** Answers 429 when the key already counted {@code limit} events in the current window; counts nothing itself. */
    public void check(String key, int limit, Duration window, String what) {
        Window w = window(window);
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(table).key(w.key(key)).consistentRead(true))
                .item();
        AttributeValue calls = item == null ? null : item.get("calls");
        if (calls != null && Long.parseLong(calls.n()) >= limit) {
            throw w.tooMany(limit, window, what);
        }
    }

    /** Counts one event (a failed login, say) for the key in the current window. */
    public void count(String key, Duration window) {
        Window w = window(window);
        dynamo.updateItem(b -> b.tableName(table)
                .key(w.key(key))
                .updateExpression("ADD #c :one SET expiresAt = if_not_exists(expiresAt, :exp)")
                .expressionAttributeNames(Map.of("#c", "calls"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":exp", w.expires())));
    }

    private Window window(Duration window) {
        long now = clock.millis();
        long size = window.toMillis();
        long start = now / size * size;
        return new Window(now, start, start + size);
    }

    /** A fixed window of time: its counter's key suffix, its expiry, and the wait until it ends. */
    private record Window(long now, long start, long end) {
        Map<String, AttributeValue> key(String key) {
            return Map.of("id", AttributeValue.fromS(key + "#" + start));
        }

        AttributeValue expires() {
            return AttributeValue.fromN(Long.toString(end / 1000 + 60));
        }

        ApiException tooMany(int limit, Duration window, String what) {
            long retry = Math.max(1, (end - now + 999) / 1000);
            return ApiException.tooManyRequests(
                    "too many " + what + "; at most " + limit + " per " + window.toSeconds() + " s, retry in " + retry
                            + " s",
                    retry);
        }
    }
}
