package dev.suite.chat.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import java.util.Map;
import java.util.UUID;

/** Synthetic WebSocket events for priming. */
final class WebSocketEvents {
    private WebSocketEvents() {}

    static APIGatewayV2WebSocketEvent synthetic(String routeKey, String body) {
        APIGatewayV2WebSocketEvent.RequestContext ctx = new APIGatewayV2WebSocketEvent.RequestContext();
        ctx.setRouteKey(routeKey);
        ctx.setConnectionId("priming-" + UUID.randomUUID());
        ctx.setRequestId("priming");
        ctx.setDomainName("priming.invalid");
        ctx.setStage("priming");
        ctx.setAuthorizer(Map.of("userId", "priming-" + UUID.randomUUID()));
        APIGatewayV2WebSocketEvent e = new APIGatewayV2WebSocketEvent();
        e.setRequestContext(ctx);
        e.setBody(body);
        return e;
    }
}
