package dev.suite.shared;

import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Business metrics as CloudWatch EMF lines through Powertools v2's functional API (namespace from
 * POWERTOOLS_METRICS_NAMESPACE): images generated and failed, credits bought, payments failed, messages sent,
 * fan-out latency. Each is flushed at once, so a metric is never lost with a handler that throws.
 */
public final class Metrics {
    public static final String IMAGES_GENERATED = "ImagesGenerated";
    public static final String IMAGES_FAILED = "ImagesFailed";
    public static final String CREDITS_BOUGHT = "CreditsBought";
    public static final String PAYMENTS_FAILED = "PaymentsFailed";
    public static final String MESSAGES_SENT = "MessagesSent";
    public static final String FANOUT_LATENCY = "FanoutLatency";
    public static final String PAYMENTS_FOR_REVIEW = "PaymentsForReview";
    /** Payments the reconciler could not process in a run (logged with the transactionId; retried with backoff). */
    public static final String RECONCILE_FAILURES = "ReconcileFailures";

    private static final String NAMESPACE = Config.fromSystem().get("POWERTOOLS_METRICS_NAMESPACE", "Suite");

    private Metrics() {}

    public static void count(String name, double value) {
        emit(name, value, MetricUnit.COUNT);
    }

    public static void millis(String name, double value) {
        emit(name, value, MetricUnit.MILLISECONDS);
    }

    private static void emit(String name, double value, MetricUnit unit) {
        try {
            MetricsFactory.getMetricsInstance().flushSingleMetric(name, value, unit, NAMESPACE);
        } catch (RuntimeException e) {
            // a metric must never fail the request it describes
            Log.get(Metrics.class)
                    .warn("metric {} not emitted: {}", name, e.getClass().getSimpleName());
        }
    }
}
