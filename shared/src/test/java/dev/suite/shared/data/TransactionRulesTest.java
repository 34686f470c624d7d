package dev.suite.shared.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** How a transaction's refusal is named: by the guard that declared it, never by its position. No emulator. */
class TransactionRulesTest {
    enum Refusal {
        TOKEN_USED,
        GYM_FULL
    }

    /** A DynamoDB client that cancels every transaction with the given reason codes ("None" where an item passed). */
    static DynamoDbClient cancelling(List<TransactWriteItemsRequest> seen, String... codes) {
        return new DynamoDbClient() {
            @Override
            public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
                seen.add(request);
                if (codes.length == 0) {
                    return TransactWriteItemsResponse.builder().build();
                }
                List<CancellationReason> reasons = new ArrayList<>();
                for (String c : codes) {
                    reasons.add(CancellationReason.builder().code(c).build());
                }
                throw TransactionCanceledException.builder()
                        .cancellationReasons(reasons)
                        .message("cancelled")
                        .build();
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }

    static TransactWriteItem put(String table) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(table).conditionExpression("attribute_not_exists(id)"))
                .build();
    }

    @Test
    void aWrittenTransactionAnswersNoRefusalAndSendsEveryItemInOrder() {
        List<TransactWriteItemsRequest> seen = new ArrayList<>();
        Optional<Refusal> r = new Transaction<Refusal>()
                .guard(put("Tokens"), Refusal.TOKEN_USED)
                .add(put("Visits"))
                .write(cancelling(seen));
        assertTrue(r.isEmpty());
        assertEquals(
                List.of("Tokens", "Visits"),
                seen.get(0).transactItems().stream()
                        .map(i -> i.put().tableName())
                        .toList());
    }

    @Test
    void theFailedGuardNamesItsRefusalWhereverItStands() {
        Transaction<Refusal> t = new Transaction<Refusal>()
                .add(put("Visits"))
                .guard(put("Tokens"), Refusal.TOKEN_USED)
                .guard(put("Gyms"), Refusal.GYM_FULL);
        assertEquals(
                Optional.of(Refusal.GYM_FULL),
                t.write(cancelling(new ArrayList<>(), "None", "None", "ConditionalCheckFailed")));
        assertEquals(
                Optional.of(Refusal.TOKEN_USED),
                t.write(cancelling(new ArrayList<>(), "None", "ConditionalCheckFailed", "None")));
    }

    @Test
    void anUnguardedItemsFailedConditionIsABugNotAnAnswer() {
        Transaction<Refusal> t = new Transaction<Refusal>().add(put("Visits")).guard(put("Tokens"), Refusal.TOKEN_USED);
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> t.write(cancelling(new ArrayList<>(), "ConditionalCheckFailed", "None")));
        assertTrue(e.getMessage().contains("Put on Visits"), e.getMessage());
    }

    @Test
    void aConflictIsNotARefusalAndIsThrownAsTheSdkThrewIt() {
        Transaction<Refusal> t = new Transaction<Refusal>().guard(put("Tokens"), Refusal.TOKEN_USED);
        TransactionCanceledException e = assertThrows(
                TransactionCanceledException.class,
                () -> t.write(cancelling(new ArrayList<>(), "TransactionConflict")));
        assertEquals("TransactionConflict", e.cancellationReasons().get(0).code());
    }

    @Test
    void anEmptyTransactionWritesNothing() {
        List<TransactWriteItemsRequest> seen = new ArrayList<>();
        assertTrue(new Transaction<Refusal>().write(cancelling(seen)).isEmpty());
        assertTrue(seen.isEmpty(), "DynamoDB refuses an empty TransactWriteItems: none is sent");
    }
}
