package dev.suite.shared.data;

import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Times;
import dev.suite.shared.auth.Caller;
import dev.suite.shared.auth.Role;
import dev.suite.shared.http.ApiException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The Users table: profile, role and credit balance of every confirmed user, keyed by Cognito sub. */
public final class Users {
    /** STARTING_CREDITS' default: what PostConfirmation and {@link #ensure} give a new profile. */
    public static final long DEFAULT_STARTING_CREDITS = 5;

    private static final Logger LOG = Log.get(Users.class);
    private final DynamoDbClient dynamo;
    private final Credits credits;
    private final long startingCredits;

    public Users(DynamoDbClient dynamo, Credits credits) {
        this(dynamo, credits, DEFAULT_STARTING_CREDITS);
    }

    public Users(DynamoDbClient dynamo, Credits credits, long startingCredits) {
        this.dynamo = dynamo;
        this.credits = credits;
        this.startingCredits = startingCredits;
    }

    public static Users from(DynamoDbClient dynamo, Config config) {
        return new Users(dynamo, Credits.from(config), config.getLong("STARTING_CREDITS", DEFAULT_STARTING_CREDITS));
    }

    /**
     * The caller's profile. A confirmed Cognito user whose PostConfirmation trigger failed has none: it is created
     * here as the trigger would have (role {@code User}, STARTING_CREDITS and their ledger entry, one conditional
     * transaction), so concurrent first calls leave one row and one ledger entry. The {@code User} group membership
     * is not added here (these functions have no Cognito permission); the role claim comes from the row.
     * 404 PROFILE_NOT_FOUND only when the token carries no email to create it from.
     */
    public UserRecord ensure(Caller caller, Instant now) {
        Optional<UserRecord> existing = get(caller.userId());
        if (existing.isPresent()) {
            return existing.get();
        }
        if (caller.email() == null || caller.email().isBlank()) {
            throw profileNotFound();
        }
        try {
            if (create(
                    caller.userId(),
                    caller.email().trim().toLowerCase(Locale.ROOT),
                    caller.name(),
                    Role.User.name(),
                    startingCredits,
                    now)) {
                LOG.warn(
                        "profile of {} created on first call: its PostConfirmation trigger did not create it",
                        caller.userId());
            }
        } catch (TransactionCanceledException e) {
            // a concurrent first call is creating the same profile: read what it wrote once it commits
            for (int attempt = 1; attempt <= 5; attempt++) {
                Dynamo.pause(10L * attempt);
                Optional<UserRecord> created = get(caller.userId());
                if (created.isPresent()) {
                    return created.get();
                }
            }
            throw e;
        }
        return get(caller.userId()).orElseThrow(Users::profileNotFound);
    }

    public static ApiException profileNotFound() {
        return new ApiException(404, "PROFILE_NOT_FOUND", "no profile for this account yet; confirm the account first");
    }

    public Optional<UserRecord> get(String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                        .tableName(credits.usersTable())
                        .key(Map.of("userId", AttributeValue.fromS(userId)))
                        .consistentRead(true)
                        .build())
                .item();
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
        TransactWriteItem putUser = TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(credits.usersTable())
                        .item(item)
                        .conditionExpression("attribute_not_exists(userId)")
                        .build())
                .build();
        List<TransactWriteItem> items = startingCredits == 0
                ? List.of(putUser)
                : List.of(putUser, credits.ledgerPut(userId, startingCredits, "signup", null, now));
        return Dynamo.transact(dynamo, items);
    }

    /** For SnapStart priming: the transaction of {@link #create}, refused by its condition ({@link Dynamo#refusedWrite}): nothing written. */
    public void primeCreate() {
        Dynamo.refusedWrite(dynamo, Dynamo.Write.TRANSACT_PUT, credits.usersTable(), "userId");
    }

    public void setRole(String userId, String role, Instant now) {
        dynamo.updateItem(UpdateItemRequest.builder()
                .tableName(credits.usersTable())
                .key(Map.of("userId", AttributeValue.fromS(userId)))
                .updateExpression("SET #r = :r, updatedAt = :t")
                .conditionExpression("attribute_exists(userId)")
                .expressionAttributeNames(Map.of("#r", "role"))
                .expressionAttributeValues(
                        Map.of(":r", AttributeValue.fromS(role), ":t", AttributeValue.fromS(Times.iso(now))))
                .build());
    }

    public static UserRecord toRecord(Map<String, AttributeValue> item) {
        return new UserRecord(
                Items.str(item, "userId"),
                Items.str(item, "email"),
                Items.str(item, "name"),
                Items.str(item, "role"),
                item.containsKey("credits") ? Long.parseLong(item.get("credits").n()) : 0,
                Items.str(item, "createdAt"),
                Items.str(item, "updatedAt"));
    }
}
