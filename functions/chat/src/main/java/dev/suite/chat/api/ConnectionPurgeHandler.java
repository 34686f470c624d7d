package dev.suite.chat.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import dev.suite.shared.push.Connections;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Removes connection rows past their TTL (DynamoDB's own TTL does it too, but late), so fan-out lists stay clean. */
public final class ConnectionPurgeHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final Connections connections;
    private final Clock clock;

    public ConnectionPurgeHandler() {
        this(Config.fromSystem());
    }

    public ConnectionPurgeHandler(Config config) {
        this(Connections.from(Clients.dynamo(config), config), Clock.systemUTC());
    }

    public ConnectionPurgeHandler(Connections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
        Priming.register("ConnectionPurgeHandler", () -> connections.anyExpired(Instant.EPOCH), () -> {});
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.around(
                context,
                context == null ? null : context.getAwsRequestId(),
                () -> Map.of("removed", connections.purgeExpired(Instant.now(clock))));
    }
}
