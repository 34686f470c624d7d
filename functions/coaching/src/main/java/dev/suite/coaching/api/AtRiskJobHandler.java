package dev.suite.coaching.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.suite.coaching.domain.CoachingService;
import dev.suite.coaching.store.CoachingStore;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The daily job: notifies each coach about clients at risk (no entry for AT_RISK_IDLE_DAYS days, or a slip in 24
 * hours).
 */
public final class AtRiskJobHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final CoachingService coaching;

    public AtRiskJobHandler() {
        this(Config.fromSystem());
    }

    public AtRiskJobHandler(Config config) {
        this(config, Clients.dynamo(config));
    }

    private AtRiskJobHandler(Config config, DynamoDbClient dynamo) {
        this(CoachingHandler.service(config, dynamo), CoachingStore.from(dynamo, config));
    }

    /**
     * Priming runs what the job does for one client, for a client and coach that cannot exist, within the job's own
     * permissions: reads, and the once-a-day transaction refused by its condition (CoachingService.primeAtRisk): no side effects.
     */
    public AtRiskJobHandler(CoachingService coaching, CoachingStore store) {
        this.coaching = coaching;
        Priming.register("AtRiskJobHandler", coaching::primeAtRisk, () -> {});
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.around(context, context == null ? null : context.getAwsRequestId(), () -> {
            CoachingService.RiskRun run = coaching.atRisk();
            return Map.of("clients", run.clients(), "atRisk", run.atRisk(), "notified", run.notified());
        });
    }
}
