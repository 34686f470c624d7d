package dev.suite.gym.store;

import static dev.suite.shared.data.Items.s;
import static dev.suite.shared.data.Items.str;

import dev.suite.shared.Config;
import dev.suite.shared.data.Cursor;
import dev.suite.shared.data.UserRecord;
import dev.suite.shared.data.Users;
import dev.suite.shared.http.Page;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Which Staff accounts work at which gym (one row per gym and user), and the profiles the door shows. */
public final class StaffStore {
    private final DynamoDbClient dynamo;
    private final String staff;
    private final String users;

    /** One assignment: the staff member, their name when assigned, and who assigned them when. */
    public record Assignment(String gymId, String userId, String name, String assignedAt, String assignedBy) {}

    public StaffStore(DynamoDbClient dynamo, String staff, String users) {
        this.dynamo = dynamo;
        this.staff = staff;
        this.users = users;
    }

    public static StaffStore from(DynamoDbClient dynamo, Config config) {
        return new StaffStore(dynamo, config.require("GYM_STAFF_TABLE"), config.require("USERS_TABLE"));
    }

    /** Writes (or rewrites) the assignment. */
    public void assign(Assignment a) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put("gymId", s(a.gymId()));
        i.put("userId", s(a.userId()));
        if (a.name() != null) {
            i.put("name", s(a.name()));
        }
        i.put("assignedAt", s(a.assignedAt()));
        i.put("assignedBy", s(a.assignedBy()));
        dynamo.putItem(b -> b.tableName(staff).item(i));
    }

    /** Removes the assignment; false when there was none. */
    public boolean unassign(String gymId, String userId) {
        try {
            dynamo.deleteItem(
                    b -> b.tableName(staff).key(key(gymId, userId)).conditionExpression("attribute_exists(userId)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Whether the user works at the gym, read consistently (an unassignment counts at once). */
    public boolean assigned(String gymId, String userId) {
        Map<String, AttributeValue> i = dynamo.getItem(
                        b -> b.tableName(staff).key(key(gymId, userId)).consistentRead(true))
                .item();
        return i != null && !i.isEmpty();
    }

    public Page<Assignment> ofGym(String gymId, int limit, String cursor) {
        Map<String, AttributeValue> start = Cursor.decode(cursor, Set.of("gymId", "userId"), Map.of("gymId", gymId));
        QueryResponse r = dynamo.query(b -> b.tableName(staff)
                .keyConditionExpression("gymId = :g")
                .expressionAttributeValues(Map.of(":g", s(gymId)))
                .limit(limit)
                .exclusiveStartKey(start));
        return new Page<>(
                r.items().stream()
                        .map(i -> new Assignment(
                                str(i, "gymId"),
                                str(i, "userId"),
                                str(i, "name"),
                                str(i, "assignedAt"),
                                str(i, "assignedBy")))
                        .toList(),
                r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                        ? Cursor.encode(r.lastEvaluatedKey())
                        : null);
    }

    /** A user's profile (name and role), read consistently. */
    public Optional<UserRecord> user(String userId) {
        Map<String, AttributeValue> i = dynamo.getItem(
                        b -> b.tableName(users).key(Map.of("userId", s(userId))).consistentRead(true))
                .item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(Users.toRecord(i));
    }

    private static Map<String, AttributeValue> key(String gymId, String userId) {
        return Map.of("gymId", s(gymId), "userId", s(userId));
    }
}
