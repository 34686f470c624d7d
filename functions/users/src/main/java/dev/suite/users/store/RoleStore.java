package dev.suite.users.store;

import dev.suite.shared.Times;
import dev.suite.shared.auth.Role;
import dev.suite.shared.data.Transaction;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Role changes as one conditional transaction: the profile's role (only if it is still the role the change was
 * decided on) and the count of enabled admins (never below one). The count is an item of the Users table
 * ({@code userId = "#admin-count"}), started once from the pool's enabled admins and moved by every role change and
 * by the onboarding of the first admin; two admins demoting each other at the same moment cannot both win.
 */
public final class RoleStore {
    public static final String COUNTER = "#admin-count";
    private final DynamoDbClient dynamo;
    private final String usersTable;

    public RoleStore(DynamoDbClient dynamo, String usersTable) {
        this.dynamo = dynamo;
        this.usersTable = usersTable;
    }

    /** What a role change found. */
    public enum Outcome {
        CHANGED,
        LAST_ADMIN,
        RACED
    }

    public boolean counted() {
        Map<String, AttributeValue> i = dynamo.getItem(
                        b -> b.tableName(usersTable).key(key(COUNTER)).consistentRead(true))
                .item();
        return i != null && !i.isEmpty();
    }

    /** Starts the count from the pool's enabled admins, once (a concurrent start keeps the first). */
    public void startCount(long enabledAdmins) {
        try {
            dynamo.putItem(b -> b.tableName(usersTable)
                    .item(Map.of(
                            "userId",
                            AttributeValue.fromS(COUNTER),
                            "admins",
                            AttributeValue.fromN(Long.toString(enabledAdmins))))
                    .conditionExpression("attribute_not_exists(userId)"));
        } catch (ConditionalCheckFailedException alreadyStarted) {
            // another call started it first
        }
    }

    /** A new admin that the count must include (the first admin's onboarding); nothing before the count starts. */
    public void countNewAdmin() {
        try {
            dynamo.updateItem(b -> b.tableName(usersTable)
                    .key(key(COUNTER))
                    .updateExpression("SET admins = admins + :one")
                    .conditionExpression("attribute_exists(admins)")
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        } catch (ConditionalCheckFailedException notStarted) {
            // the count starts from the pool's admins, this one included
        }
    }

    /**
     * Moves {@code userId} from role {@code from} to {@code to}. {@code hasProfile}: whether the user has a Users row
     * (an unconfirmed user has none yet; then only the count moves).
     */
    public Outcome change(String userId, boolean hasProfile, Role from, Role to, Instant now) {
        Transaction<Outcome> tx = new Transaction<>();
        if (from == Role.Admin && to != Role.Admin) {
            tx.guard(counter("admins - :one", "admins > :one"), Outcome.LAST_ADMIN);
        } else if (to == Role.Admin && from != Role.Admin) {
            tx.guard(counter("admins + :one", "attribute_exists(admins)"), Outcome.RACED);
        }
        if (hasProfile) {
            tx.guard(
                    TransactWriteItem.builder()
                            .update(u -> u.tableName(usersTable)
                                    .key(key(userId))
                                    .updateExpression("SET #r = :to, updatedAt = :t")
                                    .conditionExpression("#r = :from")
                                    .expressionAttributeNames(Map.of("#r", "role"))
                                    .expressionAttributeValues(Map.of(
                                            ":to",
                                            AttributeValue.fromS(to.name()),
                                            ":from",
                                            AttributeValue.fromS(from.name()),
                                            ":t",
                                            AttributeValue.fromS(Times.iso(now)))))
                            .build(),
                    Outcome.RACED);
        }
        return tx.write(dynamo).orElse(Outcome.CHANGED);
    }

    private TransactWriteItem counter(String expression, String condition) {
        return TransactWriteItem.builder()
                .update(u -> u.tableName(usersTable)
                        .key(key(COUNTER))
                        .updateExpression("SET admins = " + expression)
                        .conditionExpression(condition)
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))))
                .build();
    }

    private static Map<String, AttributeValue> key(String userId) {
        return Map.of("userId", AttributeValue.fromS(userId));
    }
}
