package dev.suite.shared.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * One {@code TransactWriteItems} call whose items declare what a failed condition on each of them means: {@link
 * #guard} names the refusal an item stands for ("token already used", "gym full"), {@link #add} an item whose
 * condition (if any) must hold. {@link #write} answers the refusal of the first guard that failed, so no caller maps
 * a cancellation reason by its position. Conflicts and throttling still throw, as the SDK throws them.
 *
 * @param <R> the refusals of this transaction (usually a store's or the domain's enum)
 */
public final class Transaction<R> {
    private final List<TransactWriteItem> items = new ArrayList<>();
    private final List<R> refusals = new ArrayList<>();

    /** An item whose failed condition means {@code refusal}. */
    public Transaction<R> guard(TransactWriteItem item, R refusal) {
        if (refusal == null) {
            throw new IllegalArgumentException("a guard names its refusal");
        }
        items.add(item);
        refusals.add(refusal);
        return this;
    }

    /** An item written with the others; a failed condition on it is a bug, not an answer (IllegalStateException). */
    public Transaction<R> add(TransactWriteItem item) {
        items.add(item);
        refusals.add(null);
        return this;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * Writes every item, or nothing: empty when written, else the refusal of the first guard whose condition failed.
     */
    public Optional<R> write(DynamoDbClient dynamo) {
        if (items.isEmpty()) {
            return Optional.empty();
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
            return Optional.empty();
        } catch (TransactionCanceledException e) {
            for (int i = 0; i < e.cancellationReasons().size() && i < items.size(); i++) {
                if ("ConditionalCheckFailed"
                        .equals(e.cancellationReasons().get(i).code())) {
                    R refusal = refusals.get(i);
                    if (refusal == null) {
                        throw new IllegalStateException(
                                "the condition of an unguarded item failed: " + describe(items.get(i)), e);
                    }
                    return Optional.of(refusal);
                }
            }
            throw e;
        }
    }

    private static String describe(TransactWriteItem item) {
        if (item.put() != null) {
            return "Put on " + item.put().tableName();
        }
        if (item.update() != null) {
            return "Update on " + item.update().tableName();
        }
        if (item.delete() != null) {
            return "Delete on " + item.delete().tableName();
        }
        return item.conditionCheck() == null
                ? "item"
                : "ConditionCheck on " + item.conditionCheck().tableName();
    }
}
