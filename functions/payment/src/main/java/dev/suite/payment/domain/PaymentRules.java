package dev.suite.payment.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What VNPAY's answers mean for a payment, with no I/O: the IPN's and querydr's codes, and the reconciler's
 * backoff. vnp_TransactionStatus (VNPAY 2.1.0): 00 success; 01 not completed yet; 02 failed; 04 reversed (the bank
 * debited the customer but VNPAY did not complete); 05 VNPAY is processing a refund; 06 a refund was sent to the
 * bank; 07 held as suspected fraud; 09 refund rejected. Only 02 is a final failure: the others may still become a
 * success or need a person, so they never make a row terminal. querydr's vnp_ResponseCode: 00 the query answered;
 * 91 VNPAY has no such transaction; anything else (94 duplicate, 97 checksum, 99 ...) is an error worth a retry.
 */
public final class PaymentRules {
    /** What an answer does to a payment that is not yet final. */
    public enum Outcome {
        /** Paid, with the ordered amount: credit it (once). */
        SUCCEEDED,
        /** A final failure. */
        FAILED,
        /** Nothing was paid and the window closed: EXPIRED, still checked until the late deadline. */
        EXPIRED,
        /** No conclusion yet: keep the row as it is and ask again later. */
        PENDING
    }

    public static final String PAID = "00";
    public static final String NOT_COMPLETED = "01";
    public static final String FAILED_STATUS = "02";
    /** Statuses where VNPAY holds or moves the money back: never terminal; at the deadline a person reviews them. */
    public static final Set<String> HELD = Set.of("04", "05", "06", "07", "09");

    static final Duration FIRST_RETRY = Duration.ofMinutes(5);
    static final Duration LONGEST_RETRY = Duration.ofHours(2);

    private PaymentRules() {}

    /** Success only when vnp_ResponseCode and vnp_TransactionStatus are both 00. */
    public static boolean paid(String responseCode, String transactionStatus) {
        return PAID.equals(responseCode) && PAID.equals(transactionStatus);
    }

    /** A notification (IPN) whose signature, order and amount were checked. */
    public static Outcome ipn(String responseCode, String transactionStatus) {
        if (paid(responseCode, transactionStatus)) {
            return Outcome.SUCCEEDED;
        }
        return FAILED_STATUS.equals(transactionStatus) ? Outcome.FAILED : Outcome.PENDING;
    }

    /**
     * A signed querydr answer. {@code amountMatches}: VNPAY's amount is the order's; {@code windowClosed}: the
     * payment window is over. A success with a wrong amount is never credited (it stays for review).
     */
    public static Outcome querydr(
            String responseCode, String transactionStatus, boolean amountMatches, boolean windowClosed) {
        if ("91".equals(responseCode)) {
            return windowClosed ? Outcome.EXPIRED : Outcome.PENDING;
        }
        if (!PAID.equals(responseCode)) {
            return Outcome.PENDING;
        }
        if (PAID.equals(transactionStatus)) {
            return amountMatches ? Outcome.SUCCEEDED : Outcome.PENDING;
        }
        if (FAILED_STATUS.equals(transactionStatus)) {
            return Outcome.FAILED;
        }
        if (NOT_COMPLETED.equals(transactionStatus)) {
            return windowClosed ? Outcome.EXPIRED : Outcome.PENDING;
        }
        return Outcome.PENDING;
    }

    /**
     * When a row left unsettled after its {@code attempts}-th check is due again: 5 minutes doubling to at most
     * 2 hours, but never after the give-up deadline (the last check happens at it).
     */
    public static Instant nextAttempt(int attempts, Instant now, Instant giveUpAt) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 10));
        Instant next = now.plus(wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait);
        return next.isAfter(giveUpAt) && now.isBefore(giveUpAt) ? giveUpAt : next;
    }

    /**
     * What becomes of a row still unsettled at its give-up deadline: an EXPIRED row whose last word from VNPAY was
     * "nothing paid" simply stops being checked (null); anything else (still PENDING, money held, errors) is REVIEW.
     */
    public static String atDeadline(String status, String lastStatus) {
        boolean nothingPaid = lastStatus == null
                || lastStatus.isEmpty()
                || NOT_COMPLETED.equals(lastStatus)
                || "91".equals(lastStatus);
        return PaymentRecord.EXPIRED.equals(status) && nothingPaid ? null : PaymentRecord.REVIEW;
    }
}
