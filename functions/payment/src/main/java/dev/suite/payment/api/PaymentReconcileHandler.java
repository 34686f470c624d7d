package dev.suite.payment.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.suite.payment.domain.Reconciler;
import dev.suite.payment.provider.Vnpay;
import dev.suite.payment.store.Payments;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Every 5 minutes: payments whose next check is due (PENDING past their window, EXPIRED within the late window) are
 * checked with VNPAY querydr and settled through the same conditional transactions as the IPN (see {@link Reconciler}).
 * Overlapping runs are safe. A run stops taking rows when the invocation has less time left than one querydr needs.
 */
public final class PaymentReconcileHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = Log.get(PaymentReconcileHandler.class);
    static final int MAX_ROWS = 500;
    private final Reconciler reconciler;
    private final long reserveMillis;
    private final int maxRows;

    public PaymentReconcileHandler() {
        this(Config.fromSystem());
    }

    public PaymentReconcileHandler(Config config) {
        this(config, Payments.from(Clients.dynamo(config), config), Clock.systemUTC(), MAX_ROWS);
    }

    /** Tests pass their own clock and a smaller batch. */
    public PaymentReconcileHandler(Config config, Payments payments, Clock clock, int maxRows) {
        this(
                reconciler(config, payments, Vnpay.from(config), clock),
                config.getInt("VNPAY_CALL_TIMEOUT_MS", 8_000) + 2_000L,
                maxRows,
                payments);
    }

    public PaymentReconcileHandler(Reconciler reconciler, long reserveMillis, int maxRows, Payments payments) {
        this.reconciler = reconciler;
        this.reserveMillis = reserveMillis;
        this.maxRows = maxRows;
        Priming.register("PaymentReconcileHandler", () -> payments.due(Instant.EPOCH, 1), () -> {});
    }

    /**
     * The reconciler of a configuration: PAYMENT_LATE_RECONCILE_HOURS bounds how long EXPIRED rows are still checked.
     */
    public static Reconciler reconciler(Config config, Payments payments, Vnpay vnpay, Clock clock) {
        return new Reconciler(
                payments,
                vnpay,
                config.get("SERVER_IP", "127.0.0.1"),
                Duration.ofHours(config.getInt("PAYMENT_LATE_RECONCILE_HOURS", 24)),
                clock);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.around(
                context,
                context == null ? null : context.getAwsRequestId(),
                () -> reconcile(context == null ? () -> Long.MAX_VALUE : () -> context.getRemainingTimeInMillis()));
    }

    public Map<String, Object> reconcile(LongSupplier remainingMillis) {
        Reconciler.Summary s = reconciler.run(remainingMillis, reserveMillis, maxRows);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("succeeded", s.succeeded());
        out.put("failed", s.failed());
        out.put("expired", s.expired());
        out.put("stillPending", s.stillPending());
        out.put("review", s.review());
        out.put("errors", s.errors());
        out.put("stoppedEarly", s.stoppedEarly());
        if (s.succeeded() + s.failed() + s.expired() + s.stillPending() + s.review() + s.errors() > 0
                || s.stoppedEarly()) {
            LOG.info("payment reconciliation: {}", out);
        }
        return out;
    }
}
