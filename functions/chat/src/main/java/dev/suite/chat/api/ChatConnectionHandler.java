package dev.suite.chat.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import dev.suite.shared.SyntheticContext;
import dev.suite.shared.push.Connections;
import java.time.Clock;
import java.time.Instant;

/** $connect (the authorizer already verified the token) stores the connection with a TTL; $disconnect deletes it. */
public final class ChatConnectionHandler
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final Connections connections;
    private final Clock clock;

    public ChatConnectionHandler() {
        this(Config.fromSystem());
    }

    public ChatConnectionHandler(Config config) {
        this(Connections.from(Clients.dynamo(config), config), Clock.systemUTC());
    }

    public ChatConnectionHandler(Connections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
        // Priming disconnects a connection that never existed (a DeleteItem of nothing), then sends $connect's writes
        // refused by their condition: nothing written.
        Priming.register(
                "ChatConnectionHandler",
                () -> {
                    handleRequest(WebSocketEvents.synthetic("$disconnect", null), new SyntheticContext("priming"));
                    connections.primeOpen();
                },
                () -> {});
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        var ctx = event.getRequestContext();
        return Log.around(context, ctx.getRequestId(), () -> {
            APIGatewayV2WebSocketResponse r = new APIGatewayV2WebSocketResponse();
            if ("$disconnect".equals(ctx.getRouteKey())) {
                connections.close(ctx.getConnectionId());
                r.setStatusCode(200);
                return r;
            }
            String userId = ChatMessagesHandler.userId(ctx.getAuthorizer());
            if (userId == null) {
                r.setStatusCode(401);
                return r;
            }
            Log.user(userId);
            connections.open(ctx.getConnectionId(), userId, Instant.now(clock));
            r.setStatusCode(200);
            return r;
        });
    }
}
