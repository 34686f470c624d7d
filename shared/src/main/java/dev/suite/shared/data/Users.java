package dev.suite.shared.data;

import dev.suite.shared.Config;
import dev.suite.shared.Times;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The Users table: profile, role and credit balance of every confirmed user, keyed by Cognito sub. */
public final class Users {
    private final DynamoDbClient dynamo;
    private final Credits credits;

    public Users(DynamoDbClient dynamo, Credits credits) {
        this.dynamo = dynamo;
        this.credits = credits;
    }

    public static Users from(DynamoDbClient dynamo, Config config) {
        return new Users(dynamo, Credits.from(config));
    }

    public Optional<UserRecord> get(String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(credits.usersTable())
                .key(Map.of("userId", AttributeValue.fromS(userId))).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRecord(item));
    }

    /**
     * Creates the user with their starting credits and the matching ledger entry in one transaction.
     * Returns false, changing nothing, when the user already exists (a retried trigger).
     */
    public boolean create(String userId, String email, String name, String role, long startingCredits, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("userId", AttributeValue.fromS(userId));
        item.put("email", AttributeValue.fromS(email));
        item.put("name", AttributeValue.fromS(name == null || name.isBlank() ? email : name));
        item.put("role", AttributeValue.fromS(role));
        item.put("credits", AttributeValue.fromN(Long.toString(startingCredits)));
        item.put("createdAt", AttributeValue.fromS(Times.iso(now)));
        item.put("updatedAt", AttributeValue.fromS(Times.iso(now)));
        TransactWriteItem putUser = TransactWriteItem.builder().put(Put.builder().tableName(credits.usersTable())
                .item(item).conditionExpression("attribute_not_exists(userId)").build()).build();
        List<TransactWriteItem> items = startingCredits == 0 ? List.of(putUser)
                : List.of(putUser, credits.ledgerPut(userId, startingCredits, "signup", null, now));
        return Dynamo.transact(dynamo, items);
    }

    public void setRole(String userId, String role, Instant now) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(credits.usersTable())
                .key(Map.of("userId", AttributeValue.fromS(userId)))
                .updateExpression("SET #r = :r, updatedAt = :t")
                .conditionExpression("attribute_exists(userId)")
                .expressionAttributeNames(Map.of("#r", "role"))
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS(role), ":t", AttributeValue.fromS(Times.iso(now))))
                .build());
    }

    public static UserRecord toRecord(Map<String, AttributeValue> item) {
        return new UserRecord(s(item, "userId"), s(item, "email"), s(item, "name"), s(item, "role"),
                item.containsKey("credits") ? Long.parseLong(item.get("credits").n()) : 0,
                s(item, "createdAt"), s(item, "updatedAt"));
    }

    private static String s(Map<String, AttributeValue> item, String key) {
        AttributeValue v = item.get(key);
        return v == null ? null : v.s();
    }
}
