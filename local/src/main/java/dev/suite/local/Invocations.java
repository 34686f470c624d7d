package dev.suite.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.shared.Json;
import dev.suite.shared.Log;
import dev.suite.shared.log.LogTaps;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What the console's Requests page shows: every invocation of every function (REST, WebSocket, Cognito triggers,
 * schedules) with its redacted request and response, and the log lines each wrote under its correlation id. The
 * local runtime's one place that invokes a function ({@link LocalFunction}) reports here.
 */
final class Invocations implements AutoCloseable {
    static final int KEPT = 1000;
    /** Bodies longer than this are kept cut (the last 1,000 invocations stay within a few MB). */
    private static final int MAX_BODY = 16 * 1024;

    private static final String REDACTED = "[redacted]";
    private static final Set<String> SECRET_KEYS = Set.of(
            "password",
            "newpassword",
            "authorization",
            "token",
            "idtoken",
            "accesstoken",
            "refreshtoken",
            "x-api-key",
            "vnp_securehash",
            "stripe-signature",
            "secret",
            "cookie",
            "checkintoken",
            "code",
            "confirmationcode");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+");
    private static final Pattern QUERY_SECRET =
            Pattern.compile("(?i)((?:^|[?&])(?:token|code|vnp_SecureHash|X-Amz-Signature|X-Amz-Credential)=)[^&\"]*");

    /** One invocation; request and response are redacted JSON. */
    record Invocation(
            long id,
            Instant at,
            String function,
            String kind,
            String method,
            String route,
            int status,
            long durationMicros,
            String correlationId,
            String userId,
            JsonNode request,
            JsonNode response,
            String error) {
        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("at", at.toString());
            m.put("function", function);
            m.put("kind", kind);
            m.put("method", method);
            m.put("route", route);
            m.put("status", status);
            m.put("durationMs", durationMicros / 1000.0);
            m.put("correlationId", correlationId);
            m.put("userId", userId);
            return m;
        }
    }

    /** A log line a function wrote. */
    record Line(String at, String level, String logger, String message) {}

    private final AtomicLong ids = new AtomicLong();
    private final Deque<Invocation> recent = new ArrayDeque<>();
    private final Map<String, List<Line>> lines = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Line>> eldest) {
            return size() > KEPT * 2;
        }
    };
    private final List<Consumer<Invocation>> listeners = new CopyOnWriteArrayList<>();
    private final LogTaps.Tap capture = this::keep;

    Invocations() {
        LogTaps.add(capture);
    }

    void onInvocation(Consumer<Invocation> listener) {
        listeners.add(listener);
    }

    /** Starts timing an invocation of a function with its event (an event object or its JSON bytes). */
    Pending begin(String function, Object event, String contextRequestId) {
        return new Pending(function, tree(event), contextRequestId, System.nanoTime());
    }

    /** An invocation under way. */
    final class Pending {
        private final String function;
        private final JsonNode event;
        private final String contextRequestId;
        private final long started;
        private final Instant at = Instant.now();

        private Pending(String function, JsonNode event, String contextRequestId, long started) {
            this.function = function;
            this.event = event;
            this.contextRequestId = contextRequestId;
            this.started = started;
        }

        void end(Object output) {
            add(this, tree(output), null);
        }

        void fail(Throwable error) {
            add(this, null, String.valueOf(error));
        }
    }

    private static JsonNode tree(Object value) {
        try {
            if (value instanceof byte[] b) {
                return b.length == 0 ? null : Json.EVENTS.readTree(b);
            }
            return value == null ? null : Json.EVENTS.valueToTree(value);
        } catch (Exception e) {
            return Json.EVENTS.getNodeFactory().textNode("(not JSON)");
        }
    }

    private void add(Pending p, JsonNode output, String error) {
        long micros = (System.nanoTime() - p.started) / 1000;
        JsonNode e = p.event == null ? Json.EVENTS.createObjectNode() : p.event;
        JsonNode ctx = e.path("requestContext");
        String kind;
        String method;
        String route;
        int status = error == null ? 200 : 500;
        String correlation = ctx.path("requestId").asText(p.contextRequestId);
        String userId = null;
        JsonNode request;
        JsonNode response = output;
        if (ctx.has("httpMethod")) {
            kind = "REST";
            method = ctx.path("httpMethod").asText();
            route = e.path("resource").asText(e.path("path").asText());
            userId = text(ctx.path("authorizer").path("claims").path("sub"));
            ObjectNode r = Json.EVENTS.createObjectNode();
            r.put("path", e.path("path").asText());
            r.set("pathParameters", e.path("pathParameters"));
            r.set("query", e.path("queryStringParameters"));
            r.set("headers", e.path("headers"));
            r.set("body", body(e.path("body"), e.path("isBase64Encoded").asBoolean()));
            request = r;
            if (output != null) {
                status = output.path("statusCode").asInt(200);
                ObjectNode o = Json.EVENTS.createObjectNode();
                o.put("statusCode", status);
                o.set("headers", output.path("headers"));
                o.set(
                        "body",
                        body(output.path("body"), output.path("isBase64Encoded").asBoolean()));
                response = o;
            }
        } else if ("REQUEST".equals(e.path("type").asText()) && e.has("methodArn")) {
            kind = "WebSocket";
            method = "AUTHORIZE";
            route = e.path("requestContext").path("routeKey").asText("$connect");
            request = e;
            if (output != null) {
                status = "Allow"
                                .equals(output.at("/policyDocument/Statement/0/Effect")
                                        .asText())
                        ? 200
                        : 403;
                userId = text(output.path("principalId"));
            }
        } else if (ctx.has("routeKey")) {
            kind = "WebSocket";
            method = ctx.path("eventType").asText();
            route = ctx.path("routeKey").asText();
            JsonNode auth = ctx.path("authorizer");
            userId = text(auth.has("userId") ? auth.path("userId") : auth.path("principalId"));
            ObjectNode r = Json.EVENTS.createObjectNode();
            r.put("connectionId", ctx.path("connectionId").asText());
            r.set("query", e.path("queryStringParameters"));
            r.set("body", body(e.path("body"), false));
            request = r;
            JsonNode action = request.path("body").path("action");
            if (action.isTextual() && "$default".equals(route)) {
                route = "$default (" + action.asText() + ")";
            }
            if (output != null && output.has("statusCode")) {
                status = output.path("statusCode").asInt(200);
            }
        } else if (e.has("triggerSource")) {
            kind = "Trigger";
            method = "Cognito";
            route = e.path("triggerSource").asText();
            userId = text(e.path("request").path("userAttributes").path("sub"));
            request = e;
        } else if ("Scheduled Event".equals(e.path("detail-type").asText())) {
            kind = "Schedule";
            method = "EventBridge";
            route = e.path("resources").path(0).asText().replaceAll(".*/", "");
            request = e;
        } else {
            kind = "Invoke";
            method = "Invoke";
            route = p.function;
            request = e;
        }
        Invocation inv = new Invocation(
                ids.incrementAndGet(),
                p.at,
                p.function,
                kind,
                method,
                route,
                status,
                micros,
                correlation,
                userId,
                redact(request),
                redact(response),
                error);
        synchronized (recent) {
            recent.addFirst(inv);
            while (recent.size() > KEPT) {
                recent.removeLast();
            }
        }
        listeners.forEach(l -> l.accept(inv));
    }

    private static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    /** A body as JSON when it is JSON, else its text (binary bodies by size only). */
    private static JsonNode body(JsonNode body, boolean base64) {
        if (!body.isTextual()) {
            return body;
        }
        if (base64) {
            return Json.EVENTS.getNodeFactory().textNode("(" + body.asText().length() * 3 / 4 + " bytes, binary)");
        }
        String text = body.asText();
        if (text.length() > MAX_BODY) {
            return Json.EVENTS
                    .getNodeFactory()
                    .textNode(text.substring(0, MAX_BODY) + "... (" + text.length() + " characters in all)");
        }
        try {
            return Json.EVENTS.readTree(text);
        } catch (Exception notJson) {
            return body;
        }
    }

    /** Newest first. */
    List<Invocation> recent(int limit) {
        synchronized (recent) {
            return recent.stream().limit(limit).toList();
        }
    }

    Invocation get(long id) {
        synchronized (recent) {
            return recent.stream().filter(i -> i.id() == id).findFirst().orElse(null);
        }
    }

    List<Line> lines(String correlationId) {
        synchronized (lines) {
            List<Line> l = lines.get(correlationId);
            return l == null ? List.of() : List.copyOf(l);
        }
    }

    /**
     * A copy with every secret replaced: values of keys that name a password, token, secret, signature or confirmation
     * code, JWTs wherever they appear, and the secret parameters of URLs (presigned signatures, tokens, codes).
     */
    static JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode out = Json.EVENTS.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                boolean secret = secretKey(f.getKey())
                        && !f.getValue().isNull()
                        && !f.getValue().isContainerNode()
                        && !(f.getKey().equalsIgnoreCase("code")
                                && !f.getValue().asText().matches("\\d{4,10}"));
                out.set(f.getKey(), secret ? Json.EVENTS.getNodeFactory().textNode(REDACTED) : redact(f.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            var out = Json.EVENTS.createArrayNode();
            node.forEach(n -> out.add(redact(n)));
            return out;
        }
        if (node.isTextual()) {
            return Json.EVENTS.getNodeFactory().textNode(redact(node.asText()));
        }
        return node;
    }

    static String redact(String text) {
        return QUERY_SECRET.matcher(JWT.matcher(text).replaceAll(REDACTED)).replaceAll("$1" + REDACTED);
    }

    private static boolean secretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_KEYS.contains(k) || k.contains("password") || k.contains("secret") || k.endsWith("token");
    }

    @Override
    public void close() {
        LogTaps.remove(capture);
    }

    /** Keeps every log line written under a correlation id, by that id. */
    private void keep(LogTaps.Line written) {
        String correlation = written.context().get(Log.CORRELATION_ID);
        if (correlation == null) {
            return;
        }
        Line line = new Line(written.at().toString(), written.level(), written.logger(), redact(written.message()));
        synchronized (lines) {
            List<Line> l = lines.computeIfAbsent(correlation, k -> new ArrayList<>());
            if (l.size() < 200) {
                l.add(line);
            }
        }
    }
}
