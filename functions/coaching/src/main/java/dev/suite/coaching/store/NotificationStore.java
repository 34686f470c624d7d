package dev.suite.coaching.store;

import static dev.suite.shared.data.Items.s;
import static dev.suite.shared.data.Items.str;

import dev.suite.shared.Config;
import dev.suite.shared.data.Cursor;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.data.Notifications;
import dev.suite.shared.http.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Stored notifications, newest first per user, kept until their TTL ({@code expiresAt}). Unread ones also carry
 * {@code unreadBy} (the user id), a sparse index that counts and clears them without reading the read ones.
 */
public final class NotificationStore {
    public static final String UNREAD_INDEX = "unread-index";
    private final DynamoDbClient dynamo;
    private final String table;

    public record Notification(
            String userId,
            String notificationId,
            String type,
            String title,
            String clientId,
            String ref,
            boolean read,
            String createdAt,
            long expiresAt) {}

    public NotificationStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static NotificationStore from(DynamoDbClient dynamo, Config config) {
        return new NotificationStore(dynamo, config.require("NOTIFICATIONS_TABLE"));
    }

    /** The write of a new (unread) notification, to put alone or inside a transaction. */
    public TransactWriteItem put(Notification n) {
        Map<String, AttributeValue> i = Notifications.unread(
                n.userId(),
                n.notificationId(),
                n.type(),
                n.title(),
                n.clientId(),
                n.ref(),
                n.createdAt(),
                n.expiresAt());
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(i)).build();
    }

    public void store(Notification n) {
        Dynamo.transact(dynamo, List.of(put(n)));
    }

    public Page<Notification> list(String userId, int limit, String cursor) {
        Map<String, AttributeValue> start =
                Cursor.decode(cursor, Set.of("userId", "notificationId"), Map.of("userId", userId));
        QueryResponse r = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("userId = :u")
                .expressionAttributeValues(Map.of(":u", s(userId)))
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(start));
        return new Page<>(
                r.items().stream().map(NotificationStore::notification).toList(), CoachingStore.next(r));
    }

    /** Unread notifications of a user (at most {@code max}), newest first. */
    public List<Notification> unread(String userId, int max) {
        return Dynamo.queryAll(
                        from -> dynamo.query(b -> b.tableName(table)
                                .indexName(UNREAD_INDEX)
                                .keyConditionExpression("unreadBy = :u")
                                .expressionAttributeValues(Map.of(":u", s(userId)))
                                .scanIndexForward(false)
                                .exclusiveStartKey(from)),
                        max)
                .stream()
                .map(NotificationStore::notification)
                .toList();
    }

    /** Marks one read; false when the user has no such notification. */
    public boolean markRead(String userId, String notificationId) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("userId", s(userId), "notificationId", s(notificationId)))
                    .updateExpression("SET #r = :t REMOVE unreadBy")
                    .conditionExpression("attribute_exists(notificationId)")
                    .expressionAttributeNames(Map.of("#r", "read"))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Marks the given notifications read, {@code parallel} conditional updates at a time (DynamoDB has no batched
     * update; BatchWriteItem would put whole items back, reviving one the TTL just removed), starting none after
     * {@code budget} has passed; answers how many it marked.
     */
    public int markRead(String userId, List<String> notificationIds, int parallel, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        AtomicInteger marked = new AtomicInteger();
        int workers = Math.max(1, Math.min(parallel, notificationIds.size()));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int first = w;
                running.add(pool.submit(() -> {
                    for (int i = first; i < notificationIds.size() && System.nanoTime() < deadline; i += workers) {
                        if (markRead(userId, notificationIds.get(i))) {
                            marked.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while marking notifications read", e);
        }
        return marked.get();
    }

    private static Notification notification(Map<String, AttributeValue> i) {
        AttributeValue read = i.get("read");
        AttributeValue exp = i.get("expiresAt");
        return new Notification(
                str(i, "userId"),
                str(i, "notificationId"),
                str(i, "type"),
                str(i, "title"),
                str(i, "clientId"),
                str(i, "ref"),
                read != null && Boolean.TRUE.equals(read.bool()),
                str(i, "createdAt"),
                exp == null ? 0 : Long.parseLong(exp.n()));
    }
}
