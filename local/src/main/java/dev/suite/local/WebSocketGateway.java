package dev.suite.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.emulators.IamGateway;
import dev.suite.emulators.IamPolicies;
import dev.suite.emulators.Template;
import dev.suite.shared.Json;
import dev.suite.shared.Log;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;

/**
 * API Gateway's WebSocket API as the template declares it (AWS::ApiGatewayV2 Api, Routes, Integrations,
 * Authorizer): $connect runs the REQUEST authorizer (Deny refuses the handshake), route selection on
 * $request.body.action with $default, $disconnect on close, and the @connections management API (POST, GET,
 * DELETE, 410 for a gone connection) for the SDK's ApiGatewayManagementApi client. API Gateway's limits hold: a client
 * message over {@link #MAX_MESSAGE} bytes closes the connection with 1009, an {@code @connections} POST over it answers
 * 413 {@code PayloadTooLargeException}; and every {@code @connections} call is checked as
 * {@code execute-api:ManageConnections} on {@code <api ARN>/<stage>/<METHOD>/@connections/<id>} against the calling
 * function's role ({@link IamGateway#check}).
 */
public final class WebSocketGateway {
    private static final Logger LOG = Log.get(WebSocketGateway.class);
    private static final Pattern FUNCTION = Pattern.compile("\\$\\{([A-Za-z0-9]+)\\.(Arn|Alias)}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** API Gateway's WebSocket message payload limit, 128 KB, for client messages and @connections posts. */
    static final int MAX_MESSAGE = 128 * 1024;

    private final Map<String, String> routes = new LinkedHashMap<>();
    private String authorizerFunction;
    private final String stage;
    private final Map<String, Connection> open = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(32, r -> {
        Thread t = new Thread(r, "ws-route");
        t.setDaemon(true);
        return t;
    });
    private Server server;
    private ServerConnector connector;
    private volatile Map<String, LocalFunction> functions = Map.of();
    private volatile IamGateway iam;
    private volatile String apiArn;

    private record Connection(
            String id,
            Session session,
            Map<String, Object> authorizer,
            String sourceIp,
            Instant connectedAt,
            AtomicLong framesOut) {}

    WebSocketGateway(Template template, String stage) {
        this.stage = stage;
        var apis = template.resourcesOfType("AWS::ApiGatewayV2::Api");
        if (apis.isEmpty()) {
            return;
        }
        Map<String, String> integrations = new LinkedHashMap<>();
        template.resourcesOfType("AWS::ApiGatewayV2::Integration")
                .forEach((id, r) ->
                        integrations.put(id, function(template.properties(id).get("IntegrationUri"))));
        Map<String, String> authorizers = new LinkedHashMap<>();
        template.resourcesOfType("AWS::ApiGatewayV2::Authorizer")
                .forEach((id, r) ->
                        authorizers.put(id, function(template.properties(id).get("AuthorizerUri"))));
        template.resourcesOfType("AWS::ApiGatewayV2::Route").forEach((id, r) -> {
            Map<String, Object> p = template.properties(id);
            String key = String.valueOf(p.get("RouteKey"));
            String target = String.valueOf(
                            Template.<Map<String, Object>>cast(p.get("Target")).get("Fn::Sub"))
                    .replace("integrations/", "")
                    .replace("${", "")
                    .replace("}", "");
            routes.put(key, integrations.get(target));
            if ("CUSTOM".equals(p.get("AuthorizationType"))) {
                Object ref = Template.<Map<String, Object>>cast(p.get("AuthorizerId"))
                        .get("Ref");
                authorizerFunction = authorizers.get(String.valueOf(ref));
            }
        });
    }

    private static String function(Object uri) {
        Object sub = uri instanceof Map<?, ?> m ? m.get("Fn::Sub") : uri;
        Matcher m = FUNCTION.matcher(String.valueOf(sub));
        if (!m.find()) {
            throw new IllegalStateException("cannot tell which function " + uri + " invokes");
        }
        return m.group(1);
    }

    boolean declared() {
        return !routes.isEmpty();
    }

    Map<String, String> routes() {
        return routes;
    }

    void start(int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("ws");
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofMinutes(10));
            // larger client messages close the connection with 1009 (message too big), as API Gateway closes them
            container.setMaxTextMessageSize(MAX_MESSAGE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE);
            container.addMapping("/", (request, response, callback) -> {
                String query = request.getHttpURI().getQuery();
                Map<String, String> params = VnpayStandIn.query(query);
                Map<String, String> headers = new LinkedHashMap<>();
                for (HttpField f : request.getHeaders()) {
                    headers.put(f.getName(), f.getValue());
                }
                String ip = Request.getRemoteAddr(request);
                String id = connectionId();
                Map<String, Object> authorizer = authorize(id, params, headers);
                if (authorizer == null) {
                    Response.writeError(request, response, callback, 401);
                    return null;
                }
                if (!connect(id, params, headers, authorizer, ip)) {
                    Response.writeError(request, response, callback, 403);
                    return null;
                }
                return new Endpoint(id, authorizer, ip);
            });
        });
        ws.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                management(request, response, callback);
                return true;
            }
        });
        // Host names this port on the loopback (no DNS rebinding); an upgrade may come from any page (apps connect from
        // browsers), the management API (@connections) only from tools: no Origin, no cross-site fetch.
        server.setHandler(new Handler.Wrapper(ws) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String refused = LocalGuard.host(request.getHeaders().get("Host"), port());
                if (refused == null && request.getHeaders().get("Upgrade") == null) {
                    refused = LocalGuard.caller(
                            request.getHeaders().get("Origin"),
                            request.getHeaders().get("Sec-Fetch-Site"),
                            port(),
                            false);
                }
                if (refused != null) {
                    response.setStatus(403);
                    response.getHeaders().put("Content-Type", "application/json");
                    response.write(true, ByteBuffer.wrap(LocalGuard.forbidden(refused)), callback);
                    return true;
                }
                return super.handle(request, response, callback);
            }
        });
        server.start();
    }

    void functions(Map<String, LocalFunction> functions) {
        this.functions = functions;
    }

    /** IAM for the management API: the gateway that knows the functions' keys, and the API's ARN with its stage. */
    void iam(IamGateway iam, String apiArn) {
        this.iam = iam;
        this.apiArn = apiArn;
    }

    int port() {
        return connector.getLocalPort();
    }

    private static String connectionId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The REQUEST authorizer's verdict: the context to pass on, or null for Deny. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> authorize(String connectionId, Map<String, String> query, Map<String, String> headers) {
        if (authorizerFunction == null) {
            return new LinkedHashMap<>();
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "REQUEST");
        event.put("methodArn", "arn:aws:execute-api:us-east-1:000000000000:local/" + stage + "/$connect");
        event.put("headers", headers);
        event.put("queryStringParameters", query);
        event.put(
                "requestContext",
                Map.of(
                        "routeKey",
                        "$connect",
                        "eventType",
                        "CONNECT",
                        "connectionId",
                        connectionId,
                        "stage",
                        stage,
                        "domainName",
                        "127.0.0.1",
                        "apiId",
                        "local"));
        try {
            JsonNode out = Json.EVENTS.readTree(
                    functions.get(authorizerFunction).invoke(Json.EVENTS.writeValueAsBytes(event)));
            String effect = out.at("/policyDocument/Statement/0/Effect").asText();
            if (!"Allow".equals(effect)) {
                return null;
            }
            Map<String, Object> context = new LinkedHashMap<>(Json.EVENTS.convertValue(out.path("context"), Map.class));
            context.put("principalId", out.path("principalId").asText());
            return context;
        } catch (Exception e) {
            LOG.warn("authorizer failed: {}", e.toString());
            return null;
        }
    }

    private APIGatewayV2WebSocketEvent event(
            String routeKey,
            String eventType,
            String connectionId,
            Map<String, Object> authorizer,
            String ip,
            String body) {
        APIGatewayV2WebSocketEvent.RequestContext ctx = new APIGatewayV2WebSocketEvent.RequestContext();
        ctx.setRouteKey(routeKey);
        ctx.setEventType(eventType);
        ctx.setConnectionId(connectionId);
        ctx.setDomainName("127.0.0.1");
        ctx.setStage(stage);
        ctx.setApiId("local");
        ctx.setRequestId(UUID.randomUUID().toString());
        ctx.setRequestTimeEpoch(System.currentTimeMillis());
        ctx.setAuthorizer(authorizer);
        APIGatewayV2WebSocketEvent.RequestIdentity identity = new APIGatewayV2WebSocketEvent.RequestIdentity();
        identity.setSourceIp(ip);
        ctx.setIdentity(identity);
        APIGatewayV2WebSocketEvent e = new APIGatewayV2WebSocketEvent();
        e.setRequestContext(ctx);
        e.setBody(body);
        return e;
    }

    private boolean connect(
            String id,
            Map<String, String> query,
            Map<String, String> headers,
            Map<String, Object> authorizer,
            String ip) {
        String fn = routes.get("$connect");
        if (fn == null) {
            return true;
        }
        try {
            APIGatewayV2WebSocketEvent e = event("$connect", "CONNECT", id, authorizer, ip, null);
            e.setQueryStringParameters(query);
            e.setHeaders(headers);
            APIGatewayV2WebSocketResponse r = functions.get(fn).call(e, APIGatewayV2WebSocketResponse.class);
            return r.getStatusCode() >= 200 && r.getStatusCode() < 300;
        } catch (Exception ex) {
            LOG.warn("$connect failed: {}", ex.toString());
            return false;
        }
    }

    private void route(Connection c, String text) {
        String key = "$default";
        try {
            JsonNode body = Json.EVENTS.readTree(text);
            String action =
                    body != null && body.isObject() ? body.path("action").asText(null) : null;
            if (action != null && routes.containsKey(action)) {
                key = action;
            }
        } catch (Exception notJson) {
            // $default
        }
        String fn = routes.get(key);
        if (fn == null) {
            c.session()
                    .sendText(
                            "{\"message\": \"Forbidden\", \"connectionId\":\"" + c.id() + "\"}",
                            org.eclipse.jetty.websocket.api.Callback.NOOP);
            return;
        }
        String routeKey = key;
        workers.submit(() -> {
            try {
                functions
                        .get(fn)
                        .call(
                                event(routeKey, "MESSAGE", c.id(), c.authorizer(), c.sourceIp(), text),
                                APIGatewayV2WebSocketResponse.class);
            } catch (Exception e) {
                LOG.error("route " + routeKey + " failed", e);
                c.session()
                        .sendText(
                                "{\"message\": \"Internal server error\"}",
                                org.eclipse.jetty.websocket.api.Callback.NOOP);
            }
        });
    }

    private void disconnect(Connection c) {
        open.remove(c.id());
        String fn = routes.get("$disconnect");
        if (fn != null) {
            workers.submit(() -> {
                try {
                    functions
                            .get(fn)
                            .call(
                                    event("$disconnect", "DISCONNECT", c.id(), c.authorizer(), c.sourceIp(), null),
                                    APIGatewayV2WebSocketResponse.class);
                } catch (Exception e) {
                    LOG.warn("$disconnect failed: {}", e.toString());
                }
            });
        }
    }

    /** POST / GET / DELETE /@connections/{id}, as the management API answers. */
    private void management(Request request, Response response, Callback callback) throws IOException {
        String path = request.getHttpURI().getPath().replace("%40", "@");
        int at = path.indexOf("/@connections/");
        if (at < 0) {
            reply(response, callback, 404, "{\"message\":\"Not Found\"}", null);
            return;
        }
        String id = URLDecoder.decode(path.substring(at + "/@connections/".length()), StandardCharsets.UTF_8);
        byte[] body = Content.Source.asInputStream(request).readAllBytes();
        IamGateway gate = iam;
        if (gate != null) {
            IamPolicies.Request asked = new IamPolicies.Request(
                    "execute-api:ManageConnections", apiArn + "/" + request.getMethod() + "/@connections/" + id);
            String key = IamGateway.accessKeyOf(request.getHeaders().get("Authorization"));
            Optional<String> refused =
                    key == null ? Optional.of("Missing Authentication Token") : gate.check(key, asked);
            if (refused.isPresent()) {
                reply(response, callback, 403, Json.write(Map.of("message", refused.get())), "ForbiddenException");
                return;
            }
        }
        if (request.getMethod().equals("POST") && body.length > MAX_MESSAGE) {
            reply(
                    response,
                    callback,
                    413,
                    Json.write(Map.of(
                            "message",
                            "Request entity too large: " + body.length + " bytes, the limit is " + MAX_MESSAGE)),
                    "PayloadTooLargeException");
            return;
        }
        Connection c = open.get(id);
        if (c == null || !c.session().isOpen()) {
            reply(response, callback, 410, "{\"message\":\"Gone\"}", "GoneException");
            return;
        }
        switch (request.getMethod()) {
            case "POST" -> {
                c.session()
                        .sendText(
                                new String(body, StandardCharsets.UTF_8),
                                org.eclipse.jetty.websocket.api.Callback.NOOP);
                c.framesOut().incrementAndGet();
                reply(response, callback, 200, "", null);
            }
            case "GET" ->
                reply(
                        response,
                        callback,
                        200,
                        Json.write(Map.of(
                                "ConnectedAt",
                                c.connectedAt().toString(),
                                "LastActiveAt",
                                Instant.now().toString(),
                                "Identity",
                                Map.of("SourceIp", c.sourceIp(), "UserAgent", "local"))),
                        null);
            case "DELETE" -> {
                c.session().close(1000, "closed by the backend", org.eclipse.jetty.websocket.api.Callback.NOOP);
                reply(response, callback, 204, "", null);
            }
            default -> reply(response, callback, 405, "{\"message\":\"Method Not Allowed\"}", null);
        }
    }

    private static void reply(Response response, Callback callback, int status, String body, String errorType) {
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        if (errorType != null) {
            response.getHeaders().put("x-amzn-ErrorType", errorType);
        }
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    int openConnections() {
        return open.size();
    }

    /**
     * The open connections, for the console: id, the authorizer's user, since when, frames the backend pushed to it.
     */
    List<Map<String, Object>> connections() {
        return open.values().stream()
                .sorted(Comparator.comparing(Connection::connectedAt))
                .map(c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("connectionId", c.id());
                    m.put(
                            "userId",
                            c.authorizer().getOrDefault("userId", c.authorizer().get("principalId")));
                    m.put("connectedAt", c.connectedAt().toString());
                    m.put("framesOut", c.framesOut().get());
                    return m;
                })
                .toList();
    }

    /**
     * A frame as if the client of an open connection sent it (the console's "send as this user"); false when it is
     * gone.
     */
    boolean receive(String connectionId, String frame) {
        Connection c = open.get(connectionId);
        if (c == null || !c.session().isOpen()) {
            return false;
        }
        route(c, frame);
        return true;
    }

    void stop() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (Exception ignored) {
            // stopping anyway
        }
        workers.shutdownNow();
    }

    /** One client connection. */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private final String id;
        private final Map<String, Object> authorizer;
        private final String ip;
        private Connection connection;

        Endpoint(String id, Map<String, Object> authorizer, String ip) {
            this.id = id;
            this.authorizer = authorizer;
            this.ip = ip;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            connection = new Connection(id, session, authorizer, ip, Instant.now(), new AtomicLong());
            open.put(id, connection);
        }

        @Override
        public void onWebSocketText(String message) {
            route(connection, message);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            if (connection != null) {
                disconnect(connection);
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            if (connection != null) {
                disconnect(connection);
            }
        }
    }
}
