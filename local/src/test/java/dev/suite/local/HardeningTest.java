package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.emulators.IamUsage;
import dev.suite.emulators.Paths;
import dev.suite.emulators.Template;
import dev.suite.shared.Json;
import dev.suite.testkit.Contract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Hostile input and the authorization matrix on every route of template.yaml (new routes are covered as they
 * are added), through the local runtime over real HTTP.
 */
class HardeningTest {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static LocalRuntime rt;
    static String token;
    static String userId;

    @BeforeAll
    static void start() throws Exception {
        rt = LocalRuntime.start(
                LocalRuntime.Options.forTests(Files.createTempDirectory("hardening")),
                new PrintStream(new ByteArrayOutputStream()));
        String[] u = user("hard");
        userId = u[0];
        token = u[1];
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    static String[] user(String prefix) throws Exception {
        String email = prefix + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        JsonNode reg = Json.EVENTS.readTree(send(
                        "POST",
                        "/auth/register",
                        "application/json",
                        Json.write(Map.of("email", email, "password", "Passw0rdOk", "name", "H")),
                        null)
                .body());
        send(
                "POST",
                "/auth/confirm",
                "application/json",
                Json.write(Map.of(
                        "email",
                        email,
                        "code",
                        rt.emulators().cognitoLocal().latestCode(email, Duration.ofSeconds(5)))),
                null);
        JsonNode tokens = Json.EVENTS.readTree(send(
                        "POST",
                        "/auth/login",
                        "application/json",
                        Json.write(Map.of("email", email, "password", "Passw0rdOk")),
                        null)
                .body());
        return new String[] {reg.get("userId").asText(), tokens.get("idToken").asText()};
    }

    static HttpResponse<String> send(String method, String path, String contentType, String body, String bearer)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rt.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpRequest request = b.build();
        HttpResponse<String> r;
        try {
            r = HTTP.send(request, BodyHandlers.ofString());
        } catch (IOException closedUnderUs) {
            // a pooled keep-alive connection the server had closed (after a request it refused to parse): resend once
            r = HTTP.send(request, BodyHandlers.ofString());
        }
        Contract.http(
                method, request.uri().getRawPath(), r.statusCode(), r.headers().map(), r.body());
        return r;
    }

    /** The sample event of a route from events/. */
    static JsonNode sample(Template.ApiRoute r) throws Exception {
        try (Stream<Path> files = Files.list(Paths.root().resolve("events"))) {
            for (Path f : files.toList()) {
                JsonNode n = Json.EVENTS.readTree(f.toFile());
                if (r.method().equals(n.path("httpMethod").asText())
                        && r.path().equals(n.path("resource").asText())) {
                    return n;
                }
            }
        }
        throw new IllegalStateException("no sample for " + r.key());
    }

    static String path(Template.ApiRoute r, Map<String, String> params) {
        String p = r.path();
        for (Map.Entry<String, String> e : params.entrySet()) {
            p = p.replace("{" + e.getKey() + "}", e.getValue());
        }
        return p;
    }

    record Case(
            String route, String what, String method, String path, String contentType, String body, boolean invalid) {}

    static List<Case> cases(Template.ApiRoute r) throws Exception {
        JsonNode sample = sample(r);
        Map<String, String> params = new LinkedHashMap<>();
        sample.path("pathParameters")
                .fields()
                .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        String base = path(r, params);
        List<Case> out = new ArrayList<>();
        String key = r.key();
        for (String bad :
                List.of("..%2F..%2Fetc%2Fpasswd", "%27%20OR%201%3D1--", "%F0%9F%98%80", "a".repeat(300), "%00")) {
            for (String name : params.keySet()) {
                Map<String, String> p = new HashMap<>(params);
                p.put(name, bad);
                out.add(new Case(
                        key,
                        "path " + name + "=" + bad.substring(0, Math.min(12, bad.length())),
                        r.method(),
                        path(r, p),
                        "application/json",
                        sample.path("body").isNull()
                                ? null
                                : sample.path("body").asText(),
                        true));
            }
        }
        if (r.method().equals("GET")) {
            Set<String> paged = Set.of(
                    "GET /images",
                    "GET /payment/transactions",
                    "GET /chat/rooms",
                    "GET /chat/rooms/{roomId}/messages",
                    "GET /admin/users");
            boolean limited = paged.contains(key) || key.equals("GET /user/credits");
            for (String q : List.of(
                    "limit=-1",
                    "limit=99999999999999999999",
                    "limit=abc",
                    "cursor=%21%21%21",
                    "cursor=" + "A".repeat(5000),
                    "before=..%2Fx")) {
                boolean invalid = (q.startsWith("limit") && limited)
                        || (q.startsWith("cursor") && paged.contains(key))
                        || (q.startsWith("before") && key.equals("GET /chat/rooms/{roomId}/messages"))
                        || key.equals("GET /admin/users")
                        || key.equals("GET /payment/vnpay-return")
                        || key.equals("GET /payment/vnpay-ipn");
                out.add(new Case(
                        key,
                        "query " + q.substring(0, Math.min(16, q.length())),
                        "GET",
                        base + "?" + q,
                        null,
                        null,
                        invalid));
            }
            return out;
        }
        if (sample.path("body").isNull()) {
            return out;
        }
        ObjectNode body = (ObjectNode) Json.EVENTS.readTree(sample.path("body").asText());
        for (String malformed :
                List.of("{", "[1,2]", "null", "\"text\"", "{\"a\":}", "", "   ", "{\"a\":1}{\"b\":2}")) {
            out.add(new Case(key, "malformed " + malformed, r.method(), base, "application/json", malformed, true));
        }
        out.add(new Case(
                key,
                "1 MB body",
                r.method(),
                base,
                "application/json",
                "{\"x\":\"" + "a".repeat(1024 * 1024) + "\"}",
                true));
        out.add(new Case(
                key,
                "deep nesting",
                r.method(),
                base,
                "application/json",
                "{\"a\":" + "[".repeat(500) + "]".repeat(500) + "}",
                true));
        out.add(new Case(
                key,
                "extra field",
                r.method(),
                base,
                "application/json",
                body.deepCopy().put("isAdmin", true).toString(),
                true));
        out.add(new Case(key, "missing fields", r.method(), base, "application/json", "{}", true));
        out.add(new Case(key, "wrong content type", r.method(), base, "text/plain", body.toString(), true));
        out.add(new Case(key, "no content type", r.method(), base, null, body.toString(), true));
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            for (String wrong : List.of("123456789012345678901234567890", "[]", "{}", "true", "1e400")) {
                ObjectNode b = body.deepCopy();
                b.put(f, "__RAW__");
                String raw = b.toString().replace("\"__RAW__\"", wrong);
                JsonNode original = body.get(f);
                JsonNode replacement = Json.EVENTS.readTree(wrong);
                boolean sameType = original.getNodeType() == replacement.getNodeType()
                        || (original.isNumber() && replacement.isNumber());
                out.add(new Case(
                        key, "field " + f + "=" + wrong, r.method(), base, "application/json", raw, !sameType));
            }
            if (body.get(f).isTextual()) {
                for (String odd : List.of(
                        "😀🚭 Ngày thứ ba",
                        "'; DROP TABLE Users; --",
                        "<script>alert(1)</script>",
                        "${jndi:ldap://x}",
                        "a\u0000b\u001f",
                        "../../etc/passwd",
                        "x".repeat(5000))) {
                    ObjectNode b = body.deepCopy();
                    b.put(f, odd);
                    out.add(new Case(
                            key, "field " + f + " odd", r.method(), base, "application/json", b.toString(), false));
                }
            }
        }
        return out;
    }

    /** One test per case, named by route and case, so a failure names what broke. */
    @TestFactory
    List<DynamicNode> noInputBreaksAnyRouteAndInvalidInputWritesNothing() throws Exception {
        Template t = Template.repo();
        Map<String, List<Map<String, AttributeValue>>> before = tables(t);
        List<DynamicTest> invalid = new ArrayList<>();
        List<DynamicTest> odd = new ArrayList<>();
        for (Template.ApiRoute r : t.apiRoutes()) {
            String bearer = r.authorized() ? token : null;
            for (Case c : cases(r)) {
                if (c.invalid()) {
                    invalid.add(dynamicTest(c.route() + ": " + c.what(), () -> {
                        List<String> failures = new ArrayList<>();
                        check(c, send(c.method(), c.path(), c.contentType(), c.body(), bearer), failures);
                        assertEquals(List.of(), failures);
                    }));
                } else {
                    odd.add(dynamicTest(c.route() + ": " + c.what(), () -> {
                        HttpResponse<String> res = send(c.method(), c.path(), c.contentType(), c.body(), bearer);
                        assertTrue(res.statusCode() < 500, () -> res.statusCode() + " " + abbreviate(res.body()));
                    }));
                }
            }
        }
        assertTrue(invalid.size() > 300, "cases: " + invalid.size());
        System.out.printf(
                "hostile input: %d invalid cases and %d odd but valid values across %d routes%n",
                invalid.size(), odd.size(), t.apiRoutes().size());
        return List.of(
                dynamicContainer("invalid input answers a 4xx in the error contract", invalid),
                dynamicTest("invalid input wrote nothing", () -> assertEquals(before, tables(t))),
                dynamicContainer("odd but valid values never answer 5xx", odd));
    }

    private static void check(Case c, HttpResponse<String> res, List<String> failures) {
        int s = res.statusCode();
        if (c.route().equals("GET /payment/vnpay-ipn")) {
            if (s != 200 || !res.body().contains("RspCode")) {
                failures.add(c + " -> " + s + " " + res.body());
            }
            return;
        }
        if (s < 400 || s >= 500) {
            failures.add(c.route() + " " + c.what() + " -> " + s + " " + abbreviate(res.body()));
            return;
        }
        try {
            JsonNode e = Json.EVENTS.readTree(res.body()).get("error");
            if (e == null
                    || !e.hasNonNull("code")
                    || !e.hasNonNull("message")
                    || !e.hasNonNull("requestId")
                    || res.body().contains("Exception")
                    || res.body().contains("\tat ")) {
                failures.add(c.route() + " " + c.what() + " -> not the error contract: " + abbreviate(res.body()));
            }
        } catch (Exception ex) {
            failures.add(c.route() + " " + c.what() + " -> not JSON: " + abbreviate(res.body()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    static Map<String, List<Map<String, AttributeValue>>> tables(Template t) {
        Map<String, List<Map<String, AttributeValue>>> out = new TreeMap<>();
        for (String table : t.resourcesOfType("AWS::DynamoDB::Table").keySet()) {
            if (table.equals("RateLimitsTable")) {
                continue;
            }
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            rt.emulators()
                    .dynamo()
                    .scanPaginator(b -> b.tableName(rt.emulators().ref(table)))
                    .items()
                    .forEach(i -> items.add(new TreeMap<>(i)));
            items.sort((a, b) -> a.toString().compareTo(b.toString()));
            out.put(table, items);
        }
        return out;
    }

    /** An ID token signed with cognito-local's own key (so only the claims are wrong). */
    static String mint(Map<String, Object> claims, Instant exp) throws Exception {
        JsonNode jwk = Json.EVENTS
                .readTree(Paths.root()
                        .resolve("local/cognito-local/node_modules/cognito-local/lib/keys/cognitoLocal.private.json")
                        .toFile())
                .get("jwk");
        Function<String, BigInteger> n =
                f -> new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get(f).asText()));
        RSAPrivateKey key = (RSAPrivateKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new RSAPrivateCrtKeySpec(
                        n.apply("n"),
                        n.apply("e"),
                        n.apply("d"),
                        n.apply("p"),
                        n.apply("q"),
                        n.apply("dp"),
                        n.apply("dq"),
                        n.apply("qi")));
        var b = JWT.create()
                .withKeyId(jwk.get("kid").asText())
                .withExpiresAt(exp)
                .withIssuedAt(exp.minusSeconds(3600));
        claims.forEach((k, v) -> b.withClaim(k, String.valueOf(v)));
        return b.sign(Algorithm.RSA256(null, key));
    }

    @Test
    void everyProtectedRouteRefusesMissingExpiredForgedAndForeignTokens() throws Exception {
        var emu = rt.emulators();
        String issuer = emu.cognitoLocal().issuer(emu.userPoolId());
        Map<String, Object> good =
                new HashMap<>(Map.of("sub", userId, "token_use", "id", "aud", emu.clientId(), "iss", issuer));
        String expired = mint(good, Instant.now().minusSeconds(60));
        Map<String, Object> otherIssuer = new HashMap<>(good);
        otherIssuer.put("iss", "http://localhost:1/local_OtherPool");
        String otherPool = mint(otherIssuer, Instant.now().plusSeconds(3600));
        // and a real token from a second pool of the same cognito-local
        var pool = emu.cognito()
                .createUserPool(b -> b.poolName("other-" + UUID.randomUUID()).usernameAttributesWithStrings("email"))
                .userPool();
        String client = emu.cognito()
                .createUserPoolClient(b -> b.userPoolId(pool.id())
                        .clientName("other")
                        .explicitAuthFlowsWithStrings("ALLOW_USER_PASSWORD_AUTH"))
                .userPoolClient()
                .clientId();
        String email = "foreign" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        String sub = emu.cognito()
                .signUp(b -> b.clientId(client)
                        .username(email)
                        .password("Passw0rdOk")
                        .userAttributes(AttributeType.builder()
                                .name("email")
                                .value(email)
                                .build()))
                .userSub();
        // cognito-local runs its triggers for every pool: PostConfirmation's AdminAddUserToGroup on this foreign pool
        // is
        // refused by IAM (the role names the suite's pool only), as it must be; AWS would not invoke the trigger at all
        IamUsage.jvm().expect("PostConfirmationFunction", "cognito-idp:AdminAddUserToGroup");
        emu.cognito().adminConfirmSignUp(b -> b.userPoolId(pool.id()).username(sub));
        String foreign = emu.cognito()
                .initiateAuth(b -> b.clientId(client)
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", email, "PASSWORD", "Passw0rdOk")))
                .authenticationResult()
                .idToken();
        String algNone = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"alg\":\"none\",\"kid\":\"CognitoLocal\"}".getBytes())
                + "." + token.split("\\.")[1] + ".";
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("no token", null);
        bad.put("expired", expired);
        bad.put("signed for another pool", otherPool);
        bad.put("from another user pool", foreign);
        bad.put("alg none", algNone);
        bad.put("garbage", "Bearer.x.y");
        int cells = 0;
        List<String> failures = new ArrayList<>();
        for (Template.ApiRoute r : Template.repo().apiRoutes()) {
            if (!r.authorized()) {
                continue;
            }
            JsonNode sample = sample(r);
            Map<String, String> params = new LinkedHashMap<>();
            sample.path("pathParameters")
                    .fields()
                    .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            for (Map.Entry<String, String> b : bad.entrySet()) {
                cells++;
                HttpResponse<String> res = send(
                        r.method(),
                        path(r, params),
                        "application/json",
                        sample.path("body").isNull()
                                ? null
                                : sample.path("body").asText(),
                        b.getValue());
                if (res.statusCode() != 401) {
                    failures.add(r.key() + " with " + b.getKey() + " -> " + res.statusCode());
                }
            }
        }
        // a signed-in user without the role, and someone else's resources
        String[] other = user("other");
        String imageId = "01JB8Z4X5Y6Z7A8B9C0D1E2F3G";
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("GET /admin/users", 403);
        expected.put("PUT /admin/users/" + userId + "/role", 403);
        expected.put("GET /images/" + imageId, 404);
        expected.put("DELETE /images/" + imageId, 404);
        expected.put("GET /payment/transactions/" + imageId, 404);
        expected.put("GET /chat/rooms/gr-nosuchroom/messages", 404);
        expected.put("POST /chat/rooms/gr-nosuchroom/members", 404);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            String[] mp = e.getKey().split(" ", 2);
            String body = mp[0].equals("GET") || mp[0].equals("DELETE")
                    ? null
                    : mp[1].contains("role") ? "{\"role\":\"Admin\"}" : "{\"userId\":\"" + userId + "\"}";
            cells++;
            HttpResponse<String> res = send(mp[0], mp[1], body == null ? null : "application/json", body, other[1]);
            if (res.statusCode() != e.getValue()) {
                failures.add(e.getKey() + " as a plain user -> " + res.statusCode() + " " + res.body());
            }
        }
        assertEquals(List.of(), failures);
        System.out.printf("authorization matrix: %d cells checked%n", cells);
        assertTrue(cells > 100);
    }
}
