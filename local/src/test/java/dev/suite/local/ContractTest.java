package dev.suite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.emulators.Emulators;
import dev.suite.emulators.Paths;
import dev.suite.emulators.Template;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import dev.suite.shared.http.Router;
import dev.suite.testkit.Contract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml and asyncapi.yaml cannot drift from the code: the route sets of template.yaml, the routers and
 * openapi.yaml are one set; public routes are the template's unauthorized ones; events/ samples are valid requests
 * and are the spec's examples; the WebSocket routes and the frames the chat module emits are asyncapi.yaml's.
 * (Every answer of the handler and end-to-end tests is validated by testkit's Contract as it is produced.)
 */
class ContractTest {
    static final Template T = Template.repo();

    static Set<String> templateRoutes() {
        Set<String> out = new TreeSet<>();
        T.apiRoutes().forEach(r -> out.add(r.key()));
        return out;
    }

    static Set<String> routerRoutes() throws Exception {
        Emulators emu = Emulators.shared();
        Set<String> out = new TreeSet<>();
        Set<String> functions = new TreeSet<>();
        T.apiRoutes().forEach(r -> functions.add(r.function()));
        for (String fn : functions) {
            String handler = String.valueOf(T.properties(fn).get("Handler")).split("::")[0];
            Object h = Class.forName(handler).getConstructor(Config.class).newInstance(emu.functionConfig(fn));
            out.addAll(((Router) h.getClass().getMethod("router").invoke(h)).routes());
        }
        return out;
    }

    static String diff(String a, Set<String> left, String b, Set<String> right) {
        Set<String> onlyLeft = new TreeSet<>(left);
        onlyLeft.removeAll(right);
        Set<String> onlyRight = new TreeSet<>(right);
        onlyRight.removeAll(left);
        return "only in " + a + ": " + onlyLeft + "; only in " + b + ": " + onlyRight;
    }

    @Test
    void templateRoutersAndOpenApiHaveTheSameRoutes() throws Exception {
        Set<String> template = templateRoutes();
        Set<String> routers = routerRoutes();
        Set<String> spec = Contract.routes();
        assertFalse(spec.isEmpty());
        assertEquals(template, spec, diff("template.yaml", template, "openapi.yaml", spec));
        assertEquals(routers, spec, diff("the routers", routers, "openapi.yaml", spec));
    }

    @Test
    void publicRoutesAreTheTemplatesUnauthorizedOnesAndEveryOtherNeedsTheIdToken() {
        JsonNode api = Contract.openapi();
        assertEquals(
                "bearer",
                api.at("/components/securitySchemes/CognitoIdToken/scheme").asText());
        assertTrue(api.path("security").toString().contains("CognitoIdToken"), "the bearer token is the default");
        for (Template.ApiRoute r : T.apiRoutes()) {
            JsonNode op = Contract.operation(r.method(), r.path());
            assertNotNull(op, r.key());
            JsonNode security = op.get("security");
            boolean open = security != null && security.isArray() && security.isEmpty();
            assertEquals(
                    !r.authorized(), open, r.key() + ": security [] exactly when the template's authorizer is NONE");
            if (!open) {
                assertTrue(op.path("responses").has("401"), r.key() + " needs a token, so it declares 401");
            }
        }
    }

    @Test
    void everyOperationHasAnIdASummaryAndOnlyDocumentedErrorCodes() throws Exception {
        String docs = Docs.all();
        Set<String> unknown = new TreeSet<>();
        for (String route : Contract.routes()) {
            String[] mr = route.split(" ", 2);
            JsonNode op = Contract.operation(mr[0], mr[1]);
            assertFalse(op.path("operationId").asText().isEmpty(), route);
            assertFalse(op.path("summary").asText().isEmpty(), route);
            for (Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> r = it.next();
                JsonNode response = r.getValue().has("$ref")
                        ? Contract.openapi()
                                .at(r.getValue().get("$ref").asText().substring(1))
                        : r.getValue();
                Set<String> codes = Contract.codes(response.path("description").asText());
                if (Integer.parseInt(r.getKey()) >= 400) {
                    assertFalse(
                            codes.isEmpty(),
                            route + " " + r.getKey() + ": an error response lists its codes in backticks");
                }
                for (String code : codes) {
                    if (!docs.contains("`" + code + "`")) {
                        unknown.add(code);
                    }
                }
            }
        }
        assertTrue(unknown.isEmpty(), "codes in openapi.yaml that README.md and docs/ do not list: " + unknown);
    }

    @Test
    void everySampleEventBodyIsAValidRequestAndIsTheSpecsExample() throws Exception {
        Set<String> sampled = new TreeSet<>();
        try (Stream<Path> files = Files.list(Paths.root().resolve("events"))) {
            for (Path f : files.sorted().toList()) {
                JsonNode e = Json.EVENTS.readTree(f.toFile());
                if (!e.has("httpMethod")
                        || e.path("body").isNull()
                        || e.path("body").asText().isEmpty()) {
                    continue;
                }
                String method = e.get("httpMethod").asText();
                String resource = e.get("resource").asText();
                String body = e.get("body").asText();
                Contract.requestBody(method, resource, body);
                JsonNode example =
                        Contract.operation(method, resource).at("/requestBody/content/application~1json/example");
                assertEquals(
                        Json.EVENTS.readTree(body),
                        example,
                        f.getFileName() + ": openapi.yaml's request example is this sample's body");
                sampled.add(method + " " + resource);
            }
        }
        Set<String> withBodies = new TreeSet<>();
        for (String route : Contract.routes()) {
            String[] mr = route.split(" ", 2);
            if (Contract.operation(mr[0], mr[1]).has("requestBody")) {
                withBodies.add(route);
            }
        }
        assertEquals(withBodies, sampled, "every route with a body has a sample in events/ that is its example");
    }

    @Test
    void theValidatorRejectsWhatTheSpecDoesNotSay() {
        String ok =
                "{\"userId\":\"u\",\"email\":\"a@b.co\",\"name\":\"A\",\"role\":\"User\",\"credits\":5,\"createdAt\":\"2026-01-01T00:00:00Z\"}";
        Contract.response("GET", "/auth/me", 200, Map.of("Content-Type", "application/json"), ok);
        assertThrows(
                AssertionError.class,
                () -> Contract.response(
                        "GET",
                        "/auth/me",
                        200,
                        Map.of("Content-Type", "application/json"),
                        ok.replace("\"credits\":5", "\"credits\":\"5\"")),
                "a mistyped field");
        assertThrows(
                AssertionError.class,
                () -> Contract.response(
                        "GET",
                        "/auth/me",
                        200,
                        Map.of("Content-Type", "application/json"),
                        ok.replace("}", ",\"secret\":1}")),
                "an undeclared field");
        assertThrows(
                AssertionError.class,
                () -> Contract.response("GET", "/auth/me", 418, Map.of("Content-Type", "application/json"), "{}"),
                "an undeclared status");
        String error = "{\"error\":{\"code\":\"%s\",\"message\":\"m\",\"requestId\":\"r\"}}";
        Contract.response(
                "GET",
                "/auth/me",
                404,
                Map.of("Content-Type", "application/json"),
                error.formatted("PROFILE_NOT_FOUND"));
        assertThrows(
                AssertionError.class,
                () -> Contract.response(
                        "GET",
                        "/auth/me",
                        404,
                        Map.of("Content-Type", "application/json"),
                        error.formatted("IMAGE_PENDING")),
                "a code the response does not list");
        assertThrows(
                AssertionError.class,
                () -> Contract.response(
                        "POST",
                        "/image/generate-image",
                        429,
                        Map.of("Content-Type", "application/json"),
                        error.formatted("TOO_MANY_REQUESTS")),
                "a missing Retry-After");
        assertThrows(
                AssertionError.class,
                () -> Contract.response("DELETE", "/images/{imageId}", 204, Map.of(), "{}"),
                "a body on a 204");
        Contract.frame("{\"type\":\"typing\",\"roomId\":\"r\",\"userId\":\"u\"}");
        assertThrows(
                AssertionError.class,
                () -> Contract.frame("{\"type\":\"typing\",\"roomId\":\"r\"}"),
                "a frame missing a field");
        assertThrows(AssertionError.class, () -> Contract.frame("{\"type\":\"dance\"}"), "an unknown frame type");
        assertThrows(
                AssertionError.class, Contract::assertNoFrameViolations, "violations are kept for the test thread");
        Contract.assertNoFrameViolations();
    }

    @Test
    void theWebSocketRoutesOfTheTemplateAreAsyncApisClientFramesPlusConnectDisconnectAndDefault() {
        Set<String> keys = new TreeSet<>();
        T.resourcesOfType("AWS::ApiGatewayV2::Route")
                .keySet()
                .forEach(id -> keys.add(String.valueOf(T.properties(id).get("RouteKey"))));
        JsonNode spec = Contract.asyncapi();
        Set<String> actions = new TreeSet<>();
        for (Iterator<JsonNode> ops = spec.path("operations").elements(); ops.hasNext(); ) {
            JsonNode op = ops.next();
            if ("send".equals(op.path("action").asText())) {
                for (JsonNode ref : op.path("messages")) {
                    String name = ref.path("$ref").asText().replaceAll(".*/", "");
                    String schema = spec.at("/components/messages/" + name + "/payload/$ref")
                            .asText()
                            .replaceAll(".*/", "");
                    actions.add(spec.at("/components/schemas/" + schema + "/properties/action/const")
                            .asText());
                }
            }
        }
        Set<String> expected = new TreeSet<>(actions);
        expected.addAll(Set.of("$connect", "$disconnect", "$default"));
        assertEquals(expected, keys, "template RouteKeys vs asyncapi.yaml's client frames");
        assertTrue(
                spec.at("/channels/chat/bindings/ws/query/required").toString().contains("token"),
                "$connect takes ?token=");
        String source = T.resourcesOfType("AWS::ApiGatewayV2::Authorizer").keySet().stream()
                .map(id -> String.valueOf(T.properties(id).get("IdentitySource")))
                .findFirst()
                .orElse("");
        assertTrue(source.contains("route.request.querystring.token"), source);
    }

    @Test
    void theFramesTheCodeSendsAreAsyncApisServerMessages() throws Exception {
        // a frame's type as the code sets it: put("type", "ack") into a map, or new Views.Ack("ack", ...) as a record,
        // the formatter free to break the line after the parenthesis
        Pattern type = Pattern.compile(
                "(?:put\\(\\s*\"type\",\\s*|new (?:Views\\.)?(?:Message|Ack|Typing|[A-Za-z]*Frame)\\(\\s*)\"([a-z-]+)\"");
        Set<String> emitted = new TreeSet<>();
        for (String dir : new String[] {"functions", "shared/src/main/java/dev/suite/shared/push"}) {
            try (Stream<Path> files = Files.walk(Paths.root().resolve(dir))) {
                for (Path f : files.filter(p ->
                                p.toString().endsWith(".java") && p.toString().contains("src/main/java"))
                        .toList()) {
                    Matcher m = type.matcher(Files.readString(f));
                    while (m.find()) {
                        emitted.add(m.group(1));
                    }
                }
            }
        }
        Set<String> declared = new TreeSet<>(Contract.serverMessages().keySet());
        assertEquals(declared, emitted, "frame types the code sends vs the server messages of asyncapi.yaml");
        assertTrue(emitted.containsAll(Set.of("ack", "error", "message", "typing")), emitted.toString());
        for (String t : emitted) {
            assertNotNull(Contract.serverMessage(t), t + " is a server message of asyncapi.yaml");
        }
    }
}
