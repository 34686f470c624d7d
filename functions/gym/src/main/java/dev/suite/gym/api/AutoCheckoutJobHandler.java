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
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The scheduled job: closes visits open longer than VISIT_MAX_HOURS and keeps occupancy equal to the members inside.
 */
public final class AutoCheckoutJobHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final AutoCheckout job;

    public AutoCheckoutJobHandler() {
        this(Config.fromSystem());
    }

    public AutoCheckoutJobHandler(Config config) {
        this(
                CheckinStore.from(Clients.dynamo(config), config),
                Duration.ofHours(config.getInt("VISIT_MAX_HOURS", 6)),
                Clock.systemUTC());
    }

    /**
     * Priming runs the job's DynamoDB calls through the store the job uses, writing nothing: the two scans it reads,
     * then the check-out transaction and the occupancy correction of a member and a gym that cannot exist, which
     * their conditions refuse.
     */
    public AutoCheckoutJobHandler(CheckinStore door, Duration maxVisit, Clock clock) {
        this.job = new AutoCheckout(door, maxVisit, clock);
        Priming.register(
                "AutoCheckoutJobHandler",
                () -> {
                    door.everyoneInside();
                    door.occupancies();
                    Instant now = Instant.now(clock);
                    String nobody = "priming#" + UUID.randomUUID();
                    door.checkOut(new CheckinStore.Presence(nobody, nobody, nobody, now.toString()), now, "auto");
                    door.correctOccupancy(nobody, 0, 0);
                },
                () -> {});
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.around(context, context == null ? null : context.getAwsRequestId(), job::run);
    }
}
