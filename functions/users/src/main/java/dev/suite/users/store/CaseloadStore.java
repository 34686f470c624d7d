package dev.suite.users.store;

import static dev.suite.shared.data.Items.s;
import static dev.suite.shared.data.Items.str;

import dev.suite.shared.Config;
import dev.suite.shared.Ids;
import dev.suite.shared.Times;
import dev.suite.shared.data.Dynamo;
import dev.suite.shared.data.Notifications;
import dev.suite.shared.data.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A coach's caseload as the admin function sees it: the coaching CoachClients rows (client {@code userId}, {@code coachId},
 * {@code roomId}) found on its coach index, and the Notifications table where each client is told that it ended.
 */
public final class CaseloadStore {
    private static final String COACH_INDEX = "coach-index";

    /** Why an assignment was not ended: it no longer names this coach. */
    private enum Refusal {
        NO_LONGER_THIS_COACH
    }

    private final DynamoDbClient dynamo;
    private final String clientsTable;
    private final String notificationsTable;
    private final Duration notificationTtl;

    public CaseloadStore(
            DynamoDbClient dynamo, String clientsTable, String notificationsTable, Duration notificationTtl) {
        this.dynamo = dynamo;
        this.clientsTable = clientsTable;
        this.notificationsTable = notificationsTable;
        this.notificationTtl = notificationTtl;
    }

    public static CaseloadStore from(DynamoDbClient dynamo, Config config) {
        return new CaseloadStore(
                dynamo,
                config.require("COACH_CLIENTS_TABLE"),
                config.require("NOTIFICATIONS_TABLE"),
                Duration.ofDays(config.getInt("NOTIFICATION_TTL_DAYS", 90)));
    }

    /**
     * Ends every assignment of {@code coachId}: each row removed only while it still names this coach, in one transaction
     * with an unread {@code coach-ended} notification to its client. Answers how many ended; none when there were none.
     */
    public int end(String coachId, Instant now) {
        List<Map<String, AttributeValue>> rows = Dynamo.queryAll(
                from -> dynamo.query(b -> b.tableName(clientsTable)
                        .indexName(COACH_INDEX)
                        .keyConditionExpression("coachId = :c")
                        .expressionAttributeValues(Map.of(":c", s(coachId)))
                        .exclusiveStartKey(from)),
                Integer.MAX_VALUE);
        int ended = 0;
        for (Map<String, AttributeValue> row : rows) {
            String clientId = str(row, "userId");
            TransactWriteItem delete = TransactWriteItem.builder()
                    .delete(d -> d.tableName(clientsTable)
                            .key(Map.of("userId", s(clientId)))
                            .conditionExpression("coachId = :c")
                            .expressionAttributeValues(Map.of(":c", s(coachId))))
                    .build();
            Map<String, AttributeValue> notice = Notifications.unread(
                    clientId,
                    Ids.at(now),
                    "coach-ended",
                    "Your coach is no longer coaching; an admin can assign you a new one",
                    null,
                    str(row, "roomId"),
                    Times.iso(now),
                    now.plus(notificationTtl).getEpochSecond());
            TransactWriteItem tell = TransactWriteItem.builder()
                    .put(p -> p.tableName(notificationsTable).item(notice))
                    .build();
            // refused: the client was reassigned or unassigned meanwhile, and is told nothing
            if (new Transaction<Refusal>()
                    .guard(delete, Refusal.NO_LONGER_THIS_COACH)
                    .add(tell)
                    .write(dynamo)
                    .isEmpty()) {
                ended++;
            }
        }
        return ended;
    }
}
