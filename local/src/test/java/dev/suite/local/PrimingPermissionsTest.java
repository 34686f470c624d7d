package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.suite.emulators.Emulators;
import dev.suite.emulators.Resolver;
import dev.suite.emulators.Template;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import dev.suite.shared.Priming;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming runs in AWS with the function's own role: every DynamoDB call a function's priming makes must be
 * allowed by that function's policy in template.yaml, or the priming fails there and warms nothing. The calls are
 * recorded by a proxy in front of DynamoDB Local and checked against the template's statements.
 */
class PrimingPermissionsTest {
    /** One DynamoDB call: the IAM action and the ARN it acts on (the table, or its index). */
    record Call(String action, String resource) {
    }

    /** Forwards to DynamoDB Local and records each call's action and table/index. */
    static final class RecordingProxy implements AutoCloseable {
        final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        final List<String> targets = new CopyOnWriteArrayList<>();
        final HttpServer server;
        final HttpClient http = HttpClient.newHttpClient();

        RecordingProxy(URI target) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                targets.add(amzTarget == null ? "" : amzTarget);
                bodies.add(Json.EVENTS.readTree(body.length == 0 ? "{}".getBytes() : body));
                HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getPath()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                for (String h : List.of("Content-Type", "X-Amz-Target", "Authorization", "X-Amz-Date")) {
                    String v = exchange.getRequestHeaders().getFirst(h);
                    if (v != null) {
                        forward.header(h, v);
                    }
                }
                try {
                    HttpResponse<byte[]> r = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                    r.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
                    r.headers().firstValue("x-amz-crc32").ifPresent(v -> exchange.getResponseHeaders().add("x-amz-crc32", v));
                    exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                    exchange.getResponseBody().write(r.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                }
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** The calls recorded since the last drain, as (action, resource ARN). */
        List<Call> drain(Map<String, String> logicalByTable, String arnPrefix) {
            List<Call> out = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                String op = targets.get(i).substring(targets.get(i).indexOf('.') + 1);
                JsonNode b = bodies.get(i);
                switch (op) {
                    case "TransactWriteItems" -> b.path("TransactItems").forEach(item -> item.fields().forEachRemaining(e -> out.add(
                            new Call("dynamodb:" + (e.getKey().equals("ConditionCheck") ? "ConditionCheckItem" : e.getKey() + "Item"),
                                    arnPrefix + logicalByTable.get(e.getValue().path("TableName").asText())))));
                    case "BatchGetItem", "BatchWriteItem" -> b.path("RequestItems").fieldNames().forEachRemaining(t ->
                            out.add(new Call("dynamodb:" + op, arnPrefix + logicalByTable.get(t))));
                    default -> {
                        String arn = arnPrefix + logicalByTable.get(b.path("TableName").asText());
                        out.add(new Call("dynamodb:" + op, b.hasNonNull("IndexName") ? arn + "/index/" + b.get("IndexName").asText() : arn));
                    }
                }
            }
            targets.clear();
            bodies.clear();
            return out;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Whether one of the function's Allow statements names the action and a resource pattern matching the ARN. */
    static boolean allowed(Template t, Resolver resolver, String fn, Call call) {
        Object policies = t.properties(fn).get("Policies");
        for (Object policy : policies instanceof List<?> l ? l : List.of()) {
            Object statements = policy instanceof Map<?, ?> m ? m.get("Statement") : null;
            for (Object s : statements instanceof List<?> l ? l : List.of()) {
                Map<?, ?> st = (Map<?, ?>) s;
                if (!"Allow".equals(st.get("Effect")) || !list(st.get("Action")).contains(call.action())) {
                    continue;
                }
                for (String resource : resources(resolver, st.get("Resource"))) {
                    if (Pattern.matches(Pattern.quote(resource).replace("*", "\\E.*\\Q"), call.resource())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static List<String> resources(Resolver resolver, Object o) {
        List<String> out = new ArrayList<>();
        for (Object r : o instanceof List<?> l ? l : List.of(o)) {
            out.add(resolver.string(r));
        }
        return out;
    }

    static List<String> list(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        } else if (o != null) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    @Test
    void everyDynamoDbCallOfPrimingIsAllowedByTheFunctionsPolicy() throws Exception {
        Emulators emu = Emulators.shared();
        Template t = Template.repo();
        Map<String, String> logicalByTable = new HashMap<>();
        for (String table : t.resourcesOfType("AWS::DynamoDB::Table").keySet()) {
            logicalByTable.put(emu.ref(table), table);
        }
        Resolver resolver = emu.resolver();
        String anyTableArn = resolver.getAtt("UsersTable", "Arn");
        String arnPrefix = anyTableArn.substring(0, anyTableArn.length() - "UsersTable".length());
        Set<String> denied = new TreeSet<>();
        int calls = 0;
        try (RecordingProxy proxy = new RecordingProxy(URI.create(emu.baseConfig().require("AWS_ENDPOINT_URL_DYNAMODB")))) {
            for (String fn : t.resourcesOfType("AWS::Serverless::Function").keySet()) {
                Map<String, String> overrides = Map.of("WEBSOCKET_MANAGEMENT_ENDPOINT", "http://127.0.0.1:1",
                        "CLIPDROP_API_KEY", "priming-key", "VNPAY_TMN_CODE", "PRIMING", "VNPAY_HASH_SECRET", "priming-secret",
                        "VNPAY_RETURN_URL", "http://localhost/payment/vnpay-return", "AWS_ENDPOINT_URL_DYNAMODB", proxy.url());
                Config config = emu.functionConfig(fn, overrides);
                int before = Priming.registered().size();
                Class.forName(String.valueOf(t.properties(fn).get("Handler")).split("::")[0]).getConstructor(Config.class).newInstance(config);
                Priming priming = Priming.registered().get(before);
                proxy.drain(logicalByTable, arnPrefix);
                priming.beforeCheckpoint(null);
                for (Call c : proxy.drain(logicalByTable, arnPrefix)) {
                    calls++;
                    if (!allowed(t, resolver, fn, c)) {
                        denied.add(fn + ": " + c.action() + " on " + c.resource());
                    }
                }
            }
        }
        assertTrue(calls > 10, "priming made DynamoDB calls through the proxy: " + calls);
        assertEquals(Set.of(), denied, "priming calls the function's policy does not allow");
    }
}
