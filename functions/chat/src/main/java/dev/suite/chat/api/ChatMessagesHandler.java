package dev.suite.chat.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.chat.domain.Attachments;
import dev.suite.chat.domain.Messaging;
import dev.suite.chat.store.ChatStore;
import dev.suite.shared.Clients;
import dev.suite.shared.Config;
import dev.suite.shared.Log;
import dev.suite.shared.Priming;
import dev.suite.shared.SyntheticContext;
import dev.suite.shared.http.ApiException;
import dev.suite.shared.http.Body;
import dev.suite.shared.push.Connections;
import dev.suite.shared.push.Push;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** WebSocket message routes: sendMessage, typing, and $default (an error frame; the connection stays open). */
public final class ChatMessagesHandler
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private static final Logger LOG = Log.get(ChatMessagesHandler.class);
    private final Messaging messaging;
    private final Push push;

    public ChatMessagesHandler() {
        this(Config.fromSystem());
    }

    public ChatMessagesHandler(Config config) {
        this(config, Clients.dynamo(config));
    }

    private ChatMessagesHandler(Config config, DynamoDbClient dynamo) {
        this(config, dynamo, new Push(config, Connections.from(dynamo, config)));
    }

    private ChatMessagesHandler(Config config, DynamoDbClient dynamo, Push push) {
        this(
                new Messaging(
                        ChatStore.from(dynamo, config),
                        Attachments.from(config, Clock.systemUTC()),
                        push,
                        Clock.systemUTC()),
                push);
    }

    /** The collaborators, for tests and the local runtime. */
    public ChatMessagesHandler(Messaging messaging, Push push) {
        this.messaging = messaging;
        this.push = push;
        // Priming: a typing frame from nobody to no room: JSON, membership read, an error frame to a connection
        // that does not exist (410), which deletes nothing. Then the DynamoDB operations of a sent message, refused.
        Priming.register(
                "ChatMessagesHandler",
                () -> {
                    handleRequest(
                            WebSocketEvents.synthetic("typing", "{\"action\":\"typing\",\"roomId\":\"priming\"}"),
                            new SyntheticContext("priming"));
                    messaging.primeSend();
                },
                () -> {});
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        var ctx = event.getRequestContext();
        return Log.around(context, ctx.getRequestId(), () -> {
            String userId = userId(ctx.getAuthorizer());
            Messaging.Origin origin = new Messaging.Origin(
                    userId, ctx.getConnectionId(), push.client(ctx.getDomainName(), ctx.getStage()));
            Log.user(userId);
            try {
                if (userId == null) {
                    throw ApiException.unauthorized("this connection has no verified user");
                }
                String route = ctx.getRouteKey();
                byte[] frame = frame(event.getBody());
                switch (route) {
                    case "sendMessage" -> messaging.send(origin, Body.read(frame, Messaging.Send.class));
                    case "typing" -> messaging.typing(origin, Body.read(frame, Messaging.Typing.class));
                    default -> {
                        Body.read(frame, ObjectNode.class); // a frame that is not a JSON object is malformed first
                        throw ApiException.badRequest(
                                "UNKNOWN_ACTION",
                                "unknown action; send {\"action\":\"sendMessage\",...} or {\"action\":\"typing\",\"roomId\":...}");
                    }
                }
            } catch (ApiException e) {
                // a frame that is not JSON is a malformed frame, whatever the body parser calls it
                messaging.error(
                        origin, "MALFORMED_JSON".equals(e.code()) ? "MALFORMED_FRAME" : e.code(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("message route failed", e);
                messaging.error(origin, "INTERNAL", "the message could not be handled; retry");
            }
            APIGatewayV2WebSocketResponse ok = new APIGatewayV2WebSocketResponse();
            ok.setStatusCode(200);
            return ok;
        });
    }

    static String userId(Map<String, Object> authorizer) {
        if (authorizer == null) {
            return null;
        }
        Object id = authorizer.get("userId");
        if (id == null) {
            id = authorizer.get("principalId");
        }
        return id == null ? null : id.toString();
    }

    /** The frame's bytes, at most 32 KiB; its JSON is read by the same strict parser as REST bodies. */
    private static byte[] frame(String body) {
        if (body == null || body.length() > 32 * 1024) {
            throw ApiException.badRequest("MALFORMED_FRAME", "frames are JSON objects of at most 32 KiB");
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
