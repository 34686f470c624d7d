package dev.suite.image.store;

import static dev.suite.shared.data.Items.str;

import dev.suite.image.domain.ImageRecord;
import dev.suite.shared.Config;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The Images table and the money around it: a generation is charged together with its PENDING row, and
 * refunded at most once, in a transaction conditioned on the row still being PENDING. While PENDING a row
 * carries {@code pending = "1"}, which puts it in the sparse pending-index the sweeper reads.
 */
public final class Images {
    private static final Set<String> PAGE_KEYS = Set.of("imageId", "userId", "createdAt");
    public static final String BY_USER = "user-createdAt-index";
    public static final String PENDING_INDEX = "pending-index";
    private final DynamoDbClient dynamo;
    private final Credits credits;
    private final String table;

    public Images(DynamoDbClient dynamo, Credits credits, String table) {
        this.dynamo = dynamo;
        this.credits = credits;
        this.table = table;
    }

    public static Images from(DynamoDbClient dynamo, Config config) {
        return new Images(dynamo, Credits.from(config), config.require("IMAGES_TABLE"));
    }

    public String table() {
        return table;
    }

    /** Takes one credit and writes the PENDING row in one transaction; false when the balance is short. */
    public boolean charge(ImageRecord image, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("imageId", AttributeValue.fromS(image.imageId()));
        item.put("userId", AttributeValue.fromS(image.userId()));
        item.put("prompt", AttributeValue.fromS(image.prompt()));
        item.put("status", AttributeValue.fromS(ImageRecord.PENDING));
        item.put("pending", AttributeValue.fromS("1"));
        item.put("s3Key", AttributeValue.fromS(image.s3Key()));
        item.put("createdAt", AttributeValue.fromS(image.createdAt()));
        List<TransactWriteItem> items =
                new ArrayList<>(credits.spend(image.userId(), 1, "generation", image.imageId(), now));
        items.add(TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(table)
                        .item(item)
                        .conditionExpression("attribute_not_exists(imageId)")
                        .build())
                .build());
        return Dynamo.transact(dynamo, items);
    }

    /**
     * Gives the credit back and marks the row FAILED, once: the transaction holds only while the row is
     * PENDING. Returns false when the row was already settled (refunded or succeeded) by someone else.
     */
    public boolean refund(String imageId, String userId, String reason, Instant now) {
        Update markFailed = Update.builder()
                .tableName(table)
                .key(Map.of("imageId", AttributeValue.fromS(imageId)))
                .updateExpression("SET #s = :failed, failureReason = :r, settledAt = :t REMOVE pending")
                .conditionExpression("#s = :pending AND userId = :u")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(
                        ":failed",
                        AttributeValue.fromS(ImageRecord.FAILED),
                        ":pending",
                        AttributeValue.fromS(ImageRecord.PENDING),
                        ":r",
                        AttributeValue.fromS(reason),
                        ":t",
                        AttributeValue.fromS(Times.iso(now)),
                        ":u",
                        AttributeValue.fromS(userId)))
                .build();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(markFailed).build());
        items.addAll(credits.grant(userId, 1, "refund", imageId, now));
        return Dynamo.transact(dynamo, items);
    }

    /** PENDING to SUCCEEDED; false when the row is no longer PENDING (the sweeper refunded it meanwhile). */
    public boolean markSucceeded(String imageId, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("imageId", AttributeValue.fromS(imageId)))
                    .updateExpression("SET #s = :ok, settledAt = :t REMOVE pending")
                    .conditionExpression("#s = :pending")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(
                            ":ok",
                            AttributeValue.fromS(ImageRecord.SUCCEEDED),
                            ":pending",
                            AttributeValue.fromS(ImageRecord.PENDING),
                            ":t",
                            AttributeValue.fromS(Times.iso(now)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<ImageRecord> get(String imageId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                        .key(Map.of("imageId", AttributeValue.fromS(imageId)))
                        .consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(record(item));
    }

    /** Deletes a settled row of its owner; false when it is missing, someone else's, or still PENDING. */
    public boolean delete(String imageId, String userId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of("imageId", AttributeValue.fromS(imageId)))
                    .conditionExpression("userId = :u AND #s <> :pending")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(
                            ":u",
                            AttributeValue.fromS(userId),
                            ":pending",
                            AttributeValue.fromS(ImageRecord.PENDING))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** A user's images, newest first; the cursor cannot reach another user's rows. */
    public Page<ImageRecord> page(String userId, int limit, String cursor) {
        return Dynamo.newestFirst(dynamo, table, BY_USER, PAGE_KEYS, userId, limit, cursor)
                .map(Images::record);
    }

    /** Rows still PENDING that were created before the cutoff (from the sparse index). */
    public List<ImageRecord> pendingBefore(Instant cutoff, int max) {
        return Dynamo.pendingBefore(dynamo, table, PENDING_INDEX, "createdAt", Times.iso(cutoff), max).stream()
                .map(Images::record)
                .toList();
    }

    public static ImageRecord record(Map<String, AttributeValue> i) {
        return new ImageRecord(
                str(i, "imageId"),
                str(i, "userId"),
                str(i, "prompt"),
                str(i, "status"),
                str(i, "s3Key"),
                str(i, "createdAt"),
                str(i, "failureReason"));
    }
}
