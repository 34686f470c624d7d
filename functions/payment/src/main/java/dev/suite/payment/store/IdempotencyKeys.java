package dev.suite.payment.store;

import dev.suite.shared.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Idempotency keys of POST /user/pay-vnpay in the Idempotency table ({@code id}, TTL {@code expiresAt} in epoch
 * seconds): a key is claimed in the same transaction as the payment row it created, with what the first call
 * answered, so a retry finds that answer and never a second row.
 */
public final class IdempotencyKeys {
    static final Duration KEEP = Duration.ofHours(24);
    private final DynamoDbClient dynamo;
    private final String table;

    /** What the first call with a key asked ({@code fingerprint}) and answered. */
    public record Claim(String fingerprint, String transactionId, String paymentUrl, String expiresAt) {}

    public IdempotencyKeys(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static IdempotencyKeys from(DynamoDbClient dynamo, Config config) {
        return new IdempotencyKeys(dynamo, config.require("IDEMPOTENCY_TABLE"));
    }

    /** The item claiming {@code id}, conditioned on no earlier claim, for the caller's transaction. */
    public TransactWriteItem claim(String id, Claim claim, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS(id));
        item.put("fingerprint", AttributeValue.fromS(claim.fingerprint()));
        item.put("transactionId", AttributeValue.fromS(claim.transactionId()));
        item.put("paymentUrl", AttributeValue.fromS(claim.paymentUrl()));
        item.put("paymentExpiresAt", AttributeValue.fromS(claim.expiresAt()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(KEEP).getEpochSecond())));
        return TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(table)
                        .item(item)
                        .conditionExpression("attribute_not_exists(id)")
                        .build())
                .build();
    }

    public Optional<Claim> get(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                        .key(Map.of("id", AttributeValue.fromS(id)))
                        .consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Claim(
                item.get("fingerprint").s(),
                item.get("transactionId").s(),
                item.get("paymentUrl").s(),
                item.get("paymentExpiresAt").s()));
    }
}
