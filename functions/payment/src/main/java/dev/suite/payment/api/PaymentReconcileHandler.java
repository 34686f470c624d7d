package dev.suite.payment.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.suite.payment.domain.PaymentRecord;
import dev.suite.payment.provider.Vnpay;
import dev.suite.payment.store.Payments;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Every 5 minutes: PENDING payments past their window are checked with VNPAY querydr and settled as SUCCEEDED
 * (credited once, through the same conditional transaction as the IPN) or EXPIRED. Overlapping runs are safe.
 */
public final class PaymentReconcileHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = Log.get(PaymentReconcileHandler.class);
    private final Payments payments;
    private final Vnpay vnpay;
    private final String serverIp;
    private final Clock clock;

    public PaymentReconcileHandler() {
        this(Config.fromSystem());
    }

    public PaymentReconcileHandler(Config config) {
        this(Payments.from(Clients.dynamo(config), config), Vnpay.from(config), config.get("SERVER_IP", "127.0.0.1"), Clock.systemUTC());
    }

    public PaymentReconcileHandler(Payments payments, Vnpay vnpay, String serverIp, Clock clock) {
        this.payments = payments;
        this.vnpay = vnpay;
        this.serverIp = serverIp;
        this.clock = clock;
        Priming.register("PaymentReconcileHandler", () -> payments.pendingExpiredBefore(Instant.EPOCH, 1), () -> { });
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.around(context, context == null ? null : context.getAwsRequestId(), this::reconcile);
    }

    public Map<String, Object> reconcile() {
        Instant now = Instant.now(clock);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put(PaymentRecord.SUCCEEDED, 0);
        counts.put(PaymentRecord.EXPIRED, 0);
        counts.put(PaymentRecord.PENDING, 0);
        for (PaymentRecord p : payments.pendingExpiredBefore(now, 500)) {
            counts.merge(payments.reconcile(p, vnpay, serverIp, now), 1, Integer::sum);
        }
        if (counts.values().stream().mapToInt(Integer::intValue).sum() > 0) {
            LOG.info("payment reconciliation: {}", counts);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("succeeded", counts.get(PaymentRecord.SUCCEEDED));
        out.put("expired", counts.get(PaymentRecord.EXPIRED));
        out.put("stillPending", counts.get(PaymentRecord.PENDING));
        return out;
    }
}
