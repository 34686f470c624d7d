package dev.suite.payment.domain;

import dev.suite.payment.domain.PaymentRules.Outcome;
import dev.suite.payment.provider.Vnpay;
import dev.suite.payment.store.Payments;
import dev.suite.payment.store.Payments.Attempt;
import dev.suite.shared.Ids;
import dev.suite.shared.Log;
import dev.suite.shared.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Reconciliation with VNPAY's querydr. A row is checked when its next attempt is due (first at the end of its
 * payment window), then again with backoff while it stays unsettled: PENDING rows, and EXPIRED rows until
 * {@code lateWindow} after their window (a late payment is still credited, once). At that deadline an EXPIRED row
 * with nothing paid stops being checked and anything else goes to REVIEW. Each row is isolated: a failure is logged
 * with its id, counted (ReconcileFailures) and retried later, and the run goes on.
 */
public final class Reconciler {
    private static final Logger LOG = Log.get(Reconciler.class);
    private final Payments payments;
    private final Vnpay vnpay;
    private final String serverIp;
    private final Duration lateWindow;
    private final Clock clock;

    /** What one run did. */
    public record Summary(
            int succeeded, int failed, int expired, int stillPending, int review, int errors, boolean stoppedEarly) {}

    public Reconciler(Payments payments, Vnpay vnpay, String serverIp, Duration lateWindow, Clock clock) {
        this.payments = payments;
        this.vnpay = vnpay;
        this.serverIp = serverIp;
        this.lateWindow = lateWindow;
        this.clock = clock;
    }

    /**
     * Checks up to {@code maxRows} due rows, earliest due first, and takes no further row once
     * {@code remainingMillis} is below {@code reserveMillis} (one querydr, bounded by its call timeout, plus a margin).
     */
    public Summary run(LongSupplier remainingMillis, long reserveMillis, int maxRows) {
        int[] counts = new int[6];
        boolean stoppedEarly = false;
        List<PaymentRecord> due = payments.due(Instant.now(clock), maxRows);
        for (PaymentRecord p : due) {
            if (remainingMillis.getAsLong() < reserveMillis) {
                stoppedEarly = true;
                LOG.warn(
                        "reconciliation stops with {} due rows left: the invocation is running out of time",
                        due.size() - sum(counts));
                break;
            }
            try {
                String status = check(p);
                counts[
                        switch (status) {
                            case PaymentRecord.SUCCEEDED -> 0;
                            case PaymentRecord.FAILED -> 1;
                            case PaymentRecord.EXPIRED -> 2;
                            case PaymentRecord.REVIEW -> 4;
                            default -> 3;
                        }]++;
            } catch (RuntimeException e) {
                counts[5]++;
                LOG.error("reconciling payment {} failed: {}", p.transactionId(), e.toString());
                Metrics.count(Metrics.RECONCILE_FAILURES, 1);
                deferAfterFailure(p, e);
            }
        }
        return new Summary(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], stoppedEarly);
    }

    private static int sum(int[] counts) {
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    private void deferAfterFailure(PaymentRecord p, RuntimeException cause) {
        try {
            Instant now = Instant.now(clock);
            Instant giveUp = giveUpAt(p);
            if (!now.isBefore(giveUp)) {
                payments.review(
                        p.transactionId(),
                        "reconciliation kept failing: " + cause.getClass().getSimpleName(),
                        now);
            } else {
                payments.retryLater(
                        p.transactionId(),
                        p.status(),
                        new Attempt(
                                p.attempts() + 1,
                                PaymentRules.nextAttempt(p.attempts() + 1, now, giveUp),
                                p.lastStatus()),
                        now);
            }
        } catch (RuntimeException e) {
            LOG.error("payment {} could not be rescheduled; it stays due: {}", p.transactionId(), e.toString());
        }
    }

    private Instant giveUpAt(PaymentRecord p) {
        return Instant.parse(p.expiresAt()).plus(lateWindow);
    }

    /**
     * Asks VNPAY about one row and settles on the exactly-once paths: paid with the right amount → SUCCEEDED and
     * credited; a final failure → FAILED; nothing paid after the window → EXPIRED; otherwise unchanged and due again
     * later. Returns the row's status after the check. Store failures throw.
     */
    public String check(PaymentRecord p) {
        Instant now = Instant.now(clock);
        Instant giveUp = giveUpAt(p);
        Vnpay.QueryResult q = null;
        try {
            q = vnpay.queryDr(
                    Ids.at(now).substring(0, 26),
                    p.transactionId(),
                    p.vnpCreateDate(),
                    "Query " + p.transactionId(),
                    serverIp,
                    now);
        } catch (Vnpay.QueryFailed e) {
            LOG.warn("querydr for {} failed: {}", p.transactionId(), e.getMessage());
        }
        boolean amountMatches = q != null && q.amount() == p.amountVnd() * 100;
        Outcome outcome = q == null
                ? Outcome.PENDING
                : PaymentRules.querydr(
                        q.responseCode(),
                        q.transactionStatus(),
                        amountMatches,
                        !now.isBefore(Instant.parse(p.expiresAt())));
        if (q != null && q.paid() && !amountMatches) {
            LOG.error(
                    "querydr for {} reports amount {} but the order is {} VND: not credited",
                    p.transactionId(),
                    q.amount(),
                    p.amountVnd());
        }
        switch (outcome) {
            case SUCCEEDED:
                return payments.settlePaid(p, q.transactionNo(), q.bankCode(), q.payDate(), now)
                        ? PaymentRecord.SUCCEEDED
                        : payments.get(p.transactionId())
                                .map(PaymentRecord::status)
                                .orElse(p.status());
            case FAILED:
                return payments.markFailed(p.transactionId(), q.transactionStatus(), now)
                        ? PaymentRecord.FAILED
                        : payments.get(p.transactionId())
                                .map(PaymentRecord::status)
                                .orElse(p.status());
            default:
                break;
        }
        String lastStatus = q == null
                ? p.lastStatus()
                : "00".equals(q.responseCode())
                        ? q.transactionStatus()
                        : "91".equals(q.responseCode()) ? "91" : p.lastStatus();
        String responseCode =
                q == null ? null : "00".equals(q.responseCode()) ? q.transactionStatus() : q.responseCode();
        boolean expires = outcome == Outcome.EXPIRED && PaymentRecord.PENDING.equals(p.status());
        String status = expires ? PaymentRecord.EXPIRED : p.status();
        if (!now.isBefore(giveUp)) {
            String end = PaymentRules.atDeadline(status, lastStatus);
            if (end == null) {
                if (expires) {
                    payments.expire(
                            p.transactionId(), responseCode, new Attempt(p.attempts() + 1, now, lastStatus), now);
                }
                payments.close(p.transactionId(), now);
                return PaymentRecord.EXPIRED;
            }
            String reason = lastStatus == null || lastStatus.isEmpty()
                    ? "no definite answer from querydr by the deadline"
                    : "vnp_TransactionStatus " + lastStatus + " at the deadline";
            return payments.review(p.transactionId(), reason, now) ? PaymentRecord.REVIEW : status;
        }
        Attempt next =
                new Attempt(p.attempts() + 1, PaymentRules.nextAttempt(p.attempts() + 1, now, giveUp), lastStatus);
        if (expires) {
            payments.expire(p.transactionId(), responseCode, next, now);
        } else {
            payments.retryLater(p.transactionId(), p.status(), next, now);
        }
        return status;
    }
}
