package dev.suite.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.emulators.CognitoLocal;
import dev.suite.shared.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The local console at /_local/: static pages (classpath console/), JSON under /_local/api/ and a server-sent event
 * stream at /_local/events. It reads through the emulators' own clients, the ones the functions use, and changes data
 * only on an explicit action, each through a real route or an emulator's API. Served on the loopback port only; its
 * actions refuse other origins.
 */
final class Console implements AutoCloseable {
    static final String ROOT = "/_local/";
    static final String EVENTS = "/_local/events";
    private static final String API = "/_local/api/";
    private static final String ASSETS = "/_local/console/";
    private static final Pattern ASSET = Pattern.compile("^[a-z]{1,20}\\.(js|css|html)$");
    private static final Map<String, String> TYPES = Map.of(
            "js",
            "text/javascript; charset=utf-8",
            "css",
            "text/css; charset=utf-8",
            "html",
            "text/html; charset=utf-8");
    private static final Map<String, Object> CONSOLE_ADMIN = Map.of(
            "sub",
            "local-console",
            "email",
            "console@localhost",
            "cognito:groups",
            "Admin",
            "role",
            "Admin",
            "name",
            "Local console");
    private static final String STOP = "";

    private final LocalRuntime rt;
    private final Invocations invocations;
    private final List<BlockingQueue<String>> subscribers = new CopyOnWriteArrayList<>();

    Console(LocalRuntime rt, Invocations invocations) {
        this.rt = rt;
        this.invocations = invocations;
        invocations.onInvocation(i -> publish("request", i.summary()));
        rt.emulators().cognitoLocal().onCode(c -> publish("mail", mail(c)));
    }

    static boolean serves(String path) {
        return path.equals("/_local")
                || path.equals(ROOT)
                || path.startsWith(API)
                || path.startsWith(ASSETS)
                || path.equals(EVENTS);
    }

    // ---- live updates

    private void publish(String type, Object data) {
        String frame = "event: " + type + "\ndata: " + Json.write(data) + "\n\n";
        subscribers.forEach(q -> q.offer(frame));
    }

    /**
     * Writes server-sent events to one browser until it goes away (or the runtime stops); a comment every 15 s keeps it
     * open.
     */
    void stream(OutputStream out) throws IOException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(10_000);
        subscribers.add(queue);
        try {
            out.write("retry: 1000\n: console\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                String frame = queue.poll(15, TimeUnit.SECONDS);
                if (frame != null && frame.isEmpty()) {
                    return;
                }
                out.write((frame == null ? ": ping\n\n" : frame).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            subscribers.remove(queue);
        }
    }

    @Override
    public void close() {
        subscribers.forEach(q -> q.offer(STOP));
    }

    // ---- requests

    RestGateway.HttpResponse handle(
            String method, String path, Map<String, String> query, String origin, String contentType, byte[] body) {
        try {
            if (path.equals("/_local") || path.equals(ROOT)) {
                return asset("index.html");
            }
            if (path.startsWith(ASSETS)) {
                return asset(path.substring(ASSETS.length()));
            }
            String api = path.substring(API.length());
            if (method.equals("GET")) {
                return get(api, query);
            }
            if (!method.equals("POST")) {
                return json(405, Map.of("message", "GET or POST"));
            }
            if (origin != null && !origin.equals(rt.baseUrl()) && !origin.equals("http://localhost:" + rt.port())) {
                return json(403, Map.of("message", "the console's actions answer its own page only"));
            }
            if (contentType == null || !contentType.startsWith("application/json")) {
                return json(415, Map.of("message", "actions take application/json"));
            }
            return post(api, body.length == 0 ? Json.EVENTS.createObjectNode() : Json.EVENTS.readTree(body));
        } catch (IllegalArgumentException e) {
            return json(404, Map.of("message", String.valueOf(e.getMessage())));
        } catch (Exception e) {
            return json(500, Map.of("message", String.valueOf(e)));
        }
    }

    private RestGateway.HttpResponse get(String api, Map<String, String> q) throws IOException {
        Matcher m;
        if (api.equals("overview")) {
            return json(200, overview());
        }
        if (api.equals("mail")) {
            List<CognitoLocal.Code> codes =
                    new ArrayList<>(rt.emulators().cognitoLocal().codes());
            codes.sort(Comparator.comparing(CognitoLocal.Code::at).reversed());
            return json(200, Map.of("items", codes.stream().map(Console::mail).toList()));
        }
        if (api.equals("users")) {
            return json(200, Map.of("items", users()));
        }
        m = match("users/([^/]+)", api);
        if (m != null) {
            return json(200, user(m.group(1)));
        }
        if (api.equals("requests")) {
            int limit = Math.min(Invocations.KEPT, Integer.parseInt(q.getOrDefault("limit", "200")));
            return json(
                    200,
                    Map.of(
                            "items",
                            invocations.recent(limit).stream()
                                    .map(Invocations.Invocation::summary)
                                    .toList()));
        }
        m = match("requests/(\\d+)", api);
        if (m != null) {
            Invocations.Invocation i = invocations.get(Long.parseLong(m.group(1)));
            if (i == null) {
                throw new IllegalArgumentException(
                        "no such request (the console keeps the last " + Invocations.KEPT + ")");
            }
            Map<String, Object> out = i.summary();
            out.put("request", i.request());
            out.put("response", i.response());
            out.put("error", i.error());
            out.put("logs", invocations.lines(i.correlationId()));
            return json(200, out);
        }
        if (api.equals("tables")) {
            return json(200, Map.of("items", tables()));
        }
        m = match("tables/([A-Za-z0-9]+)", api);
        if (m != null) {
            return json(
                    200,
                    scan(
                            m.group(1),
                            q.get("eq"),
                            Math.min(500, Integer.parseInt(q.getOrDefault("limit", "25"))),
                            q.get("cursor")));
        }
        if (api.equals("bucket")) {
            return json(200, bucket(q.get("cursor")));
        }
        if (api.equals("bucket/object")) {
            ResponseBytes<GetObjectResponse> o =
                    rt.emulators().s3().getObjectAsBytes(b -> b.bucket(bucket()).key(q.get("key")));
            String type = o.response().contentType() == null
                    ? "application/octet-stream"
                    : o.response().contentType();
            return new RestGateway.HttpResponse(
                    200, Map.of("Content-Type", type, "Cache-Control", "max-age=60"), o.asByteArray());
        }
        if (api.equals("connections")) {
            return json(200, Map.of("items", rt.ws().connections()));
        }
        if (api.equals("schedules")) {
            return json(200, Map.of("items", schedules()));
        }
        m = match("payments/([^/]+)/page", api);
        if (m != null) {
            Map<String, Object> t = item("TransactionsTable", "transactionId", m.group(1));
            return json(
                    200,
                    Map.of(
                            "url",
                            vnpay().payUrl(
                                            m.group(1),
                                            ((Number) t.get("amountVnd")).longValue(),
                                            "Console: " + m.group(1))));
        }
        throw new IllegalArgumentException("no console route " + api);
    }

    private RestGateway.HttpResponse post(String api, JsonNode body) throws Exception {
        Matcher m;
        m = match("users/([^/]+)/confirm", api);
        if (m != null) {
            String username = m.group(1);
            rt.emulators()
                    .cognito()
                    .adminConfirmSignUp(
                            b -> b.userPoolId(rt.emulators().userPoolId()).username(username));
            return json(200, Map.of("confirmed", true, "username", username));
        }
        m = match("users/([^/]+)/role", api);
        if (m != null) {
            // the real admin route, the console standing in as an Admin caller
            RestGateway.HttpResponse r = rt.rest()
                    .handleAs(
                            new RestGateway.HttpRequest(
                                    "PUT",
                                    "/admin/users/" + m.group(1) + "/role",
                                    Map.of("Content-Type", List.of("application/json")),
                                    Map.of(),
                                    Json.write(Map.of("role", body.path("role").asText()))
                                            .getBytes(StandardCharsets.UTF_8),
                                    "127.0.0.1"),
                            CONSOLE_ADMIN);
            return new RestGateway.HttpResponse(r.status(), Map.of("Content-Type", "application/json"), r.body());
        }
        m = match("schedules/([A-Za-z0-9]+)", api);
        if (m != null) {
            String result = rt.fire(m.group(1));
            return json(200, Map.of("function", m.group(1), "result", result));
        }
        if (api.equals("chat/send")) {
            String frame =
                    body.path("frame").isTextual() ? body.path("frame").asText() : Json.write(body.path("frame"));
            boolean sent = rt.ws().receive(body.path("connectionId").asText(), frame);
            return json(sent ? 200 : 410, Map.of("sent", sent));
        }
        m = match("payments/([^/]+)/ipn", api);
        if (m != null) {
            Map<String, Object> t = item("TransactionsTable", "transactionId", m.group(1));
            Map<String, String> order = new LinkedHashMap<>();
            order.put("vnp_Amount", Long.toString(((Number) t.get("amountVnd")).longValue() * 100));
            order.put("vnp_BankCode", "NCB");
            order.put("vnp_OrderInfo", "Console replay " + m.group(1));
            order.put("vnp_TmnCode", VnpayStandIn.TMN);
            order.put("vnp_TxnRef", m.group(1));
            VnpayStandIn.Notified n =
                    vnpay().notify(order, !"cancel".equals(body.path("result").asText("pay")));
            return json(200, Map.of("ipn", Json.EVENTS.readTree(n.ipnAnswer())));
        }
        throw new IllegalArgumentException("no console action " + api);
    }

    private VnpayStandIn vnpay() {
        if (rt.vnpay() == null) {
            throw new IllegalStateException(
                    "VNPAY is the real sandbox (VNPAY_TMN_CODE is set): replay and the stand-in page need the stand-in");
        }
        return rt.vnpay();
    }

    private static Matcher match(String regex, String path) {
        Matcher m = Pattern.compile(regex).matcher(path);
        return m.matches() ? m : null;
    }

    // ---- what the pages read

    private Map<String, Object> overview() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("restUrl", rt.baseUrl());
        o.put("wsUrl", rt.wsUrl());
        o.put("userPoolId", rt.emulators().userPoolId());
        o.put("clientId", rt.emulators().clientId());
        o.put("bucket", bucket());
        o.put("vnpayStandIn", rt.vnpay() != null);
        o.put("functions", rt.functions().keySet());
        o.put("tables", tableIds());
        return o;
    }

    private static Map<String, Object> mail(CognitoLocal.Code c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", c.at().toString());
        m.put("to", c.destination());
        m.put("code", c.code());
        return m;
    }

    private List<Map<String, Object>> users() {
        Map<String, Map<String, Object>> profiles = new LinkedHashMap<>();
        for (Map<String, Object> p : scanAll("UsersTable", null)) {
            profiles.put(String.valueOf(p.get("userId")), p);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        String token = null;
        do {
            String from = token;
            var page = rt.emulators()
                    .cognito()
                    .listUsers(b ->
                            b.userPoolId(rt.emulators().userPoolId()).limit(60).paginationToken(from));
            for (UserType u : page.users()) {
                Map<String, Object> row = cognitoUser(
                        u.username(),
                        u.attributes(),
                        u.userStatusAsString(),
                        u.enabled(),
                        String.valueOf(u.userCreateDate()));
                Map<String, Object> p = profiles.get(String.valueOf(row.get("userId")));
                row.put("role", p == null ? null : p.get("role"));
                row.put("credits", p == null ? null : p.get("credits"));
                out.add(row);
            }
            token = page.paginationToken();
        } while (token != null);
        out.sort(Comparator.comparing((Map<String, Object> u) -> String.valueOf(u.get("createdAt")))
                .reversed());
        return out;
    }

    private static Map<String, Object> cognitoUser(
            String username, List<AttributeType> attributes, String status, Boolean enabled, String created) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("username", username);
        attributes.forEach(a -> {
            if (a.name().equals("sub")) {
                row.put("userId", a.value());
            } else if (a.name().equals("email") || a.name().equals("name")) {
                row.put(a.name(), a.value());
            }
        });
        row.putIfAbsent("userId", username);
        row.put("status", status);
        row.put("enabled", enabled);
        row.put("createdAt", created);
        return row;
    }

    private Map<String, Object> user(String userId) {
        Map<String, Object> out = new LinkedHashMap<>();
        var cognito = rt.emulators()
                .cognito()
                .adminGetUser(b -> b.userPoolId(rt.emulators().userPoolId()).username(userId));
        out.put(
                "account",
                cognitoUser(
                        cognito.username(),
                        cognito.userAttributes(),
                        cognito.userStatusAsString(),
                        cognito.enabled(),
                        String.valueOf(cognito.userCreateDate())));
        Map<String, Object> profile;
        try {
            profile = item("UsersTable", "userId", userId);
        } catch (IllegalArgumentException none) {
            profile = null; // not confirmed yet, or PostConfirmation failed: the first call to /auth/me makes it
        }
        out.put("profile", profile);
        List<Map<String, Object>> ledger = new ArrayList<>(scanAll("CreditLedgerTable", "userId:" + userId));
        ledger.sort(Comparator.comparing(e -> String.valueOf(e.get("entryId"))));
        out.put("ledger", ledger);
        out.put("images", scanAll("ImagesTable", "userId:" + userId));
        out.put("payments", scanAll("TransactionsTable", "userId:" + userId));
        out.put("rooms", scanAll("RoomMembersTable", "userId:" + userId));
        out.put(
                "connections",
                rt.ws().connections().stream()
                        .filter(c -> userId.equals(c.get("userId")))
                        .toList());
        return out;
    }

    private List<String> tableIds() {
        return new ArrayList<>(rt.emulators()
                .template()
                .resourcesOfType("AWS::DynamoDB::Table")
                .keySet());
    }

    private List<Map<String, Object>> tables() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : tableIds()) {
            var d = rt.emulators()
                    .dynamo()
                    .describeTable(b -> b.tableName(rt.emulators().ref(id)))
                    .table();
            out.add(Map.of(
                    "logicalId",
                    id,
                    "name",
                    d.tableName(),
                    "items",
                    d.itemCount(),
                    "key",
                    d.keySchema().stream().map(k -> k.attributeName()).toList()));
        }
        return out;
    }

    private String table(String logicalId) {
        if (!tableIds().contains(logicalId)) {
            throw new IllegalArgumentException("no table " + logicalId + " in the template");
        }
        return rt.emulators().ref(logicalId);
    }

    /** One page of a table, optionally only items whose attribute equals a value ({@code eq=attr:value}). */
    private Map<String, Object> scan(String logicalId, String eq, int limit, String cursor) {
        ScanRequest.Builder req =
                ScanRequest.builder().tableName(table(logicalId)).limit(limit);
        if (eq != null && eq.contains(":")) {
            req.filterExpression("#a = :v")
                    .expressionAttributeNames(Map.of("#a", eq.substring(0, eq.indexOf(':'))))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(eq.substring(eq.indexOf(':') + 1))));
        }
        if (cursor != null && !cursor.isEmpty()) {
            req.exclusiveStartKey(decodeKey(cursor));
        }
        ScanResponse r = rt.emulators().dynamo().scan(req.build());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", r.items().stream().map(Console::plain).toList());
        out.put(
                "nextCursor",
                r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? encodeKey(r.lastEvaluatedKey()) : null);
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> scanAll(String logicalId, String eq) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = scan(logicalId, eq, 500, cursor);
            all.addAll((List<Map<String, Object>>) page.get("items"));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null && all.size() < 5000);
        return all;
    }

    private Map<String, Object> item(String logicalId, String key, String value) {
        var r = rt.emulators()
                .dynamo()
                .getItem(b -> b.tableName(table(logicalId)).key(Map.of(key, AttributeValue.fromS(value))));
        if (!r.hasItem() || r.item().isEmpty()) {
            throw new IllegalArgumentException("no " + key + " " + value + " in " + logicalId);
        }
        return plain(r.item());
    }

    private static String encodeKey(Map<String, AttributeValue> key) {
        Map<String, List<String>> k = new LinkedHashMap<>();
        key.forEach((name, v) -> k.put(name, v.n() != null ? List.of("N", v.n()) : List.of("S", v.s())));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Json.write(k).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decodeKey(String cursor) {
        try {
            JsonNode k = Json.EVENTS.readTree(Base64.getUrlDecoder().decode(cursor));
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            k.fields()
                    .forEachRemaining(f -> key.put(
                            f.getKey(),
                            f.getValue().path(0).asText().equals("N")
                                    ? AttributeValue.fromN(f.getValue().path(1).asText())
                                    : AttributeValue.fromS(f.getValue().path(1).asText())));
            return key;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("a cursor this console did not give");
        }
    }

    /** A DynamoDB item as plain JSON values. */
    static Map<String, Object> plain(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.put(e.getKey(), plain(e.getValue())));
        return out;
    }

    private static Object plain(AttributeValue v) {
        return switch (v.type()) {
            case S -> v.s();
            case N -> new BigDecimal(v.n());
            case BOOL -> v.bool();
            case NUL -> null;
            case M -> plain(v.m());
            case L -> v.l().stream().map(Console::plain).toList();
            case SS -> v.ss();
            case NS -> v.ns().stream().map(BigDecimal::new).toList();
            case B -> Base64.getEncoder().encodeToString(v.b().asByteArray());
            case BS ->
                v.bs().stream()
                        .map(b -> Base64.getEncoder().encodeToString(b.asByteArray()))
                        .toList();
            default -> String.valueOf(v);
        };
    }

    private String bucket() {
        return rt.emulators().template().resourcesOfType("AWS::S3::Bucket").keySet().stream()
                .findFirst()
                .map(rt.emulators()::ref)
                .orElse(null);
    }

    private Map<String, Object> bucket(String cursor) {
        ListObjectsV2Response r = rt.emulators()
                .s3()
                .listObjectsV2(b -> b.bucket(bucket())
                        .maxKeys(100)
                        .continuationToken(cursor == null || cursor.isEmpty() ? null : cursor));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", bucket());
        // S3Proxy's filesystem store lists its directories too ("images/"): objects only
        out.put(
                "items",
                r.contents().stream()
                        .filter(o -> !o.key().endsWith("/"))
                        .map(o -> Map.of(
                                "key",
                                o.key(),
                                "size",
                                o.size(),
                                "lastModified",
                                String.valueOf(o.lastModified()),
                                "image",
                                o.key().matches("(?i).*\\.(png|jpe?g|webp|gif)$")))
                        .toList());
        out.put("nextCursor", r.nextContinuationToken());
        return out;
    }

    private List<Map<String, Object>> schedules() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LocalRuntime.Schedule s : rt.schedules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("function", s.function());
            m.put("event", s.event());
            m.put("expression", s.expression());
            m.put(
                    "next",
                    rt.schedulesRunning()
                            ? Schedules.next(s.expression(), ZonedDateTime.now(ZoneOffset.UTC))
                                    .toInstant()
                                    .toString()
                            : null);
            LocalRuntime.Run last = rt.lastRun(s.function());
            m.put("lastRun", last == null ? null : last.at().toString());
            m.put("lastDurationMs", last == null ? null : last.millis());
            m.put("lastResult", last == null ? null : last.result());
            out.add(m);
        }
        return out;
    }

    // ---- answers

    private static RestGateway.HttpResponse json(int status, Object body) {
        return new RestGateway.HttpResponse(
                status,
                Map.of("Content-Type", "application/json", "Cache-Control", "no-store"),
                Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static RestGateway.HttpResponse asset(String name) throws IOException {
        if (!ASSET.matcher(name).matches()) {
            throw new IllegalArgumentException("no asset " + name);
        }
        try (InputStream in = Console.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no asset " + name);
            }
            return new RestGateway.HttpResponse(
                    200,
                    Map.of(
                            "Content-Type",
                            TYPES.get(name.substring(name.lastIndexOf('.') + 1)),
                            "Cache-Control",
                            "no-cache",
                            "X-Frame-Options",
                            "SAMEORIGIN"),
                    in.readAllBytes());
        }
    }
}
