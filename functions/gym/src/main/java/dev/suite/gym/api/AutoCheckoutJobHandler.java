package dev.suite.gym.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.suite.gym.domain.AutoCheckout;
import dev.suite.gym.store.CheckinStore;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The scheduled job: closes visits open longer than VISIT_MAX_HOURS and keeps occupancy equal to the members inside. */
public final class AutoCheckoutJobHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final AutoCheckout job;

    public AutoCheckoutJobHandler() {
        this(Config.fromSystem());
    }

    public AutoCheckoutJobHandler(Config config) {
        this(CheckinStore.from(Clients.dynamo(config), config), Duration.ofHours(config.getInt("VISIT_MAX_HOURS", 6)), Clock.systemUTC());
    }

    /** Priming reads one presence row through the store the job uses: no side effects. */
    public AutoCheckoutJobHandler(CheckinStore door, Duration maxVisit, Clock clock) {
        this.job = new AutoCheckout(door, maxVisit, clock);
        Priming.register("AutoCheckoutJobHandler", () -> door.presence("priming"), () -> { });
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.around(context, context == null ? null : context.getAwsRequestId(), job::run);
    }
}
