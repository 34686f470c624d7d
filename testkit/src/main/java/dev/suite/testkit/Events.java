package dev.suite.testkit;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.emulators.Paths;
import dev.suite.shared.Json;
import dev.suite.shared.SyntheticContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The sample events of events/, loaded as the real event types, and a fluent way to call a handler with one. */
public final class Events {
    private Events() {}

    public static Path dir() {
        return Paths.root().resolve("events");
    }

    public static APIGatewayProxyRequestEvent api(String name) {
        try {
            return Json.EVENTS.readValue(dir().resolve(name + ".json").toFile(), APIGatewayProxyRequestEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode json(String name) {
        try {
            return (ObjectNode) Json.EVENTS.readTree(Files.readString(dir().resolve(name + ".json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Call call(String name) {
        return new Call(api(name));
    }

    /** Invokes a stream handler (Cognito triggers) with an event and returns what it wrote. */
    public static ObjectNode invoke(RequestStreamHandler handler, JsonNode event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(
                    new ByteArrayInputStream(Json.EVENTS.writeValueAsBytes(event)), out, new SyntheticContext());
            return (ObjectNode) Json.EVENTS.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A REST event from events/, adjusted per test. */
    public static final class Call {
        private final APIGatewayProxyRequestEvent event;

        Call(APIGatewayProxyRequestEvent event) {
            this.event = event;
            event.getRequestContext().setRequestId(UUID.randomUUID().toString());
        }

        public Call body(Object body) {
            event.setBody(body == null ? null : body instanceof String s ? s : Json.write(body));
            return this;
        }

        public Call header(String name, String value) {
            Map<String, String> h = new HashMap<>(event.getHeaders() == null ? Map.of() : event.getHeaders());
            if (value == null) {
                h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            } else {
                h.put(name, value);
            }
            event.setHeaders(h);
            return this;
        }

        public Call query(String name, String value) {
            Map<String, String> q = new HashMap<>(
                    event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters());
            if (value == null) {
                q.remove(name);
            } else {
                q.put(name, value);
            }
            event.setQueryStringParameters(q);
            return this;
        }

        public Call pathParam(String name, String value) {
            Map<String, String> p =
                    new HashMap<>(event.getPathParameters() == null ? Map.of() : event.getPathParameters());
            p.put(name, value);
            event.setPathParameters(p);
            String path = event.getResource();
            for (Map.Entry<String, String> e : p.entrySet()) {
                path = path.replace("{" + e.getKey() + "}", e.getValue());
            }
            event.setPath(path);
            return this;
        }

        /** The caller as API Gateway's Cognito authorizer would pass them. */
        public Call as(String userId, String email, String... groups) {
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("sub", userId);
            claims.put("email", email);
            claims.put("token_use", "id");
            if (groups.length > 0) {
                claims.put("cognito:groups", String.join(",", groups));
            }
            Map<String, Object> authorizer = new HashMap<>();
            authorizer.put("claims", claims);
            event.getRequestContext().setAuthorizer(authorizer);
            return this;
        }

        /** The source address API Gateway saw (requestContext.identity.sourceIp). */
        public Call from(String sourceIp) {
            if (event.getRequestContext().getIdentity() == null) {
                event.getRequestContext().setIdentity(new APIGatewayProxyRequestEvent.RequestIdentity());
            }
            event.getRequestContext().getIdentity().setSourceIp(sourceIp);
            return this;
        }

        public Call anonymous() {
            event.getRequestContext().setAuthorizer(null);
            header("Authorization", null);
            return this;
        }

        public APIGatewayProxyRequestEvent event() {
            return event;
        }

        /**
         * Calls the handler; the answer is checked against openapi.yaml for the event's route (an AssertionError if it
         * breaks it).
         */
        public Response invoke(RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
            APIGatewayProxyResponseEvent r = handler.handleRequest(event, new SyntheticContext());
            Map<String, String> headers = r.getHeaders() == null ? Map.of() : r.getHeaders();
            Contract.response(event.getHttpMethod(), event.getResource(), r.getStatusCode(), headers, r.getBody());
            return new Response(
                    r.getStatusCode(),
                    headers,
                    r.getBody(),
                    event.getRequestContext().getRequestId());
        }
    }

    public record Response(int status, Map<String, String> headers, String body, String requestId) {
        public JsonNode json() {
            try {
                return body == null ? null : Json.EVENTS.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String text(String field) {
            JsonNode n = json().get(field);
            return n == null || n.isNull() ? null : n.asText();
        }

        public String errorCode() {
            JsonNode e = json().get("error");
            return e == null ? null : e.get("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
