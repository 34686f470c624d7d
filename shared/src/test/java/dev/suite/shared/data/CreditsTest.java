package dev.suite.shared.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** The credit arithmetic as written into a transaction: plain objects, no emulator. */
class CreditsTest {
    static final Credits CREDITS = new Credits("Users", "CreditLedger");
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void spendingTakesTheAmountOnlyWhileTheBalanceCoversIt() {
        List<TransactWriteItem> items = CREDITS.spend("u1", 3, "generation", "img-1", NOW);
        assertEquals(2, items.size(), "the balance update and its ledger entry, together");
        Update u = items.get(0).update();
        assertEquals("Users", u.tableName());
        assertEquals("SET credits = credits + :d, updatedAt = :t", u.updateExpression());
        assertEquals("credits >= :n", u.conditionExpression(), "never below zero");
        assertEquals("-3", u.expressionAttributeValues().get(":d").n());
        assertEquals("3", u.expressionAttributeValues().get(":n").n());
        var ledger = items.get(1).put();
        assertEquals("CreditLedger", ledger.tableName());
        assertEquals("-3", ledger.item().get("delta").n(), "the ledger records the same delta");
        assertEquals("generation", ledger.item().get("reason").s());
        assertEquals("img-1", ledger.item().get("ref").s());
        assertEquals("attribute_not_exists(entryId)", ledger.conditionExpression(), "an entry is written once");
    }

    @Test
    void grantingAddsToAnExistingProfileOnly() {
        List<TransactWriteItem> items = CREDITS.grant("u1", 50, "purchase", "txn-1", NOW);
        Update u = items.get(0).update();
        assertEquals("attribute_exists(userId)", u.conditionExpression(), "no balance appears for an unknown user");
        assertEquals("50", u.expressionAttributeValues().get(":d").n());
        assertNull(u.expressionAttributeValues().get(":n"));
        assertEquals("50", items.get(1).put().item().get("delta").n());
    }

    @Test
    void aLedgerEntryWithoutReferenceHasNoRefAttribute() {
        var put = CREDITS.ledgerPut("u1", 5, "signup", null, NOW).put();
        assertNull(put.item().get("ref"));
        assertNotNull(put.item().get("entryId").s());
        assertEquals("2026-11-23T10:00:00.000Z", put.item().get("createdAt").s());
    }
}
