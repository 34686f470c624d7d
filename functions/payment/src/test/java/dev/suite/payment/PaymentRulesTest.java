package dev.suite.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.suite.payment.domain.PaymentRecord;
import dev.suite.payment.domain.PaymentRules;
import dev.suite.payment.domain.PaymentRules.Outcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The payment state machine's rules, with no emulator: which VNPAY answers settle, fail, expire or wait. */
class PaymentRulesTest {

    @Test
    void anIpnSettlesOnlyOnBothZeroesAndFailsOnlyOnStatus02() {
        assertEquals(Outcome.SUCCEEDED, PaymentRules.ipn("00", "00"));
        assertEquals(Outcome.FAILED, PaymentRules.ipn("24", "02"), "cancelled by the customer");
        assertEquals(Outcome.FAILED, PaymentRules.ipn("51", "02"), "insufficient balance");
        for (String held : new String[] {"01", "04", "05", "06", "07", "09", "", "xx"}) {
            assertEquals(Outcome.PENDING, PaymentRules.ipn("00", held), "status " + held + " is not final");
        }
        assertEquals(Outcome.PENDING, PaymentRules.ipn("07", "07"), "debited but suspected fraud: held, not final");
        assertEquals(Outcome.PENDING, PaymentRules.ipn("00", null));
        assertEquals(Outcome.PENDING, PaymentRules.ipn(null, "00"));
    }

    @Test
    void querydrAnswersMapToOutcomesInsideAndAfterTheWindow() {
        assertEquals(Outcome.SUCCEEDED, PaymentRules.querydr("00", "00", true, false));
        assertEquals(Outcome.SUCCEEDED, PaymentRules.querydr("00", "00", true, true), "late money is still money");
        assertEquals(
                Outcome.PENDING, PaymentRules.querydr("00", "00", false, true), "a wrong amount is never credited");
        assertEquals(Outcome.FAILED, PaymentRules.querydr("00", "02", true, false));
        assertEquals(Outcome.PENDING, PaymentRules.querydr("00", "01", true, false), "still inside the window");
        assertEquals(Outcome.EXPIRED, PaymentRules.querydr("00", "01", true, true));
        assertEquals(Outcome.PENDING, PaymentRules.querydr("91", "", false, false));
        assertEquals(
                Outcome.EXPIRED,
                PaymentRules.querydr("91", "", false, true),
                "VNPAY never saw it and the window closed");
        for (String held : new String[] {"04", "05", "06", "07", "09", "42"}) {
            assertEquals(
                    Outcome.PENDING,
                    PaymentRules.querydr("00", held, true, true),
                    "status " + held + " is never terminal");
        }
        for (String error : new String[] {"02", "03", "94", "97", "99"}) {
            assertEquals(
                    Outcome.PENDING,
                    PaymentRules.querydr(error, "", false, true),
                    "querydr error " + error + " is retried");
        }
    }

    @Test
    void retriesBackOffUpToTwoHoursAndNeverPastTheDeadline() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        Instant far = now.plus(Duration.ofDays(2));
        assertEquals(now.plus(Duration.ofMinutes(5)), PaymentRules.nextAttempt(1, now, far));
        assertEquals(now.plus(Duration.ofMinutes(10)), PaymentRules.nextAttempt(2, now, far));
        assertEquals(now.plus(Duration.ofMinutes(80)), PaymentRules.nextAttempt(5, now, far));
        assertEquals(now.plus(Duration.ofHours(2)), PaymentRules.nextAttempt(6, now, far));
        assertEquals(now.plus(Duration.ofHours(2)), PaymentRules.nextAttempt(60, now, far));
        Instant soon = now.plus(Duration.ofMinutes(3));
        assertEquals(soon, PaymentRules.nextAttempt(1, now, soon), "the last check happens at the deadline");
    }

    @Test
    void atTheDeadlineNothingPaidEndsAndEverythingElseIsReviewed() {
        assertNull(PaymentRules.atDeadline(PaymentRecord.EXPIRED, "01"));
        assertNull(PaymentRules.atDeadline(PaymentRecord.EXPIRED, "91"));
        assertNull(PaymentRules.atDeadline(PaymentRecord.EXPIRED, null));
        assertEquals(
                PaymentRecord.REVIEW,
                PaymentRules.atDeadline(PaymentRecord.EXPIRED, "05"),
                "a refund in progress needs a person");
        assertEquals(PaymentRecord.REVIEW, PaymentRules.atDeadline(PaymentRecord.PENDING, "07"));
        assertEquals(
                PaymentRecord.REVIEW, PaymentRules.atDeadline(PaymentRecord.PENDING, null), "never a definite answer");
    }
}
