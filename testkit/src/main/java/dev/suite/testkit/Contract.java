package dev.suite.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.suite.emulators.Paths;
import dev.suite.shared.Json;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The published contract as a test oracle: every HTTP answer of a handler or end-to-end test is checked against
 * openapi.yaml (route, status, body schema, required headers, the error codes the response lists) and every
 * WebSocket frame against asyncapi.yaml. References to components are inlined, and objects that declare their
 * properties are closed ({@code additionalProperties: false}) for the check, so a field the code adds without
 * the spec fails here too. A mismatch throws {@link AssertionError} in the test that produced it.
 */
public final class Contract {
    private static final AtomicInteger RESPONSES = new AtomicInteger();
    private static final AtomicInteger FRAMES = new AtomicInteger();
    private static final ConcurrentLinkedQueue<String> VIOLATIONS = new ConcurrentLinkedQueue<>();
    private static final Pattern CODE = Pattern.compile("`([A-Z][A-Z0-9_]+)`");
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final SchemaRegistry DRAFT7 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static volatile JsonNode openapi;
    private static volatile JsonNode asyncapi;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Contract::report, "contract-report"));
    }

    private Contract() {}

    public static JsonNode openapi() {
        if (openapi == null) {
            openapi = load(Paths.root().resolve("openapi.yaml"));
        }
        return openapi;
    }

    public static JsonNode asyncapi() {
        if (asyncapi == null) {
            asyncapi = load(Paths.root().resolve("asyncapi.yaml"));
        }
        return asyncapi;
    }

    /** YAML as a JSON tree (snakeyaml's safe constructor; timestamps in the specs are quoted, so stay strings). */
    static JsonNode load(Path file) {
        try (Reader r = Files.newBufferedReader(file)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            return Json.EVENTS.valueToTree(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "METHOD /resource" for every operation of openapi.yaml. */
    public static Set<String> routes() {
        Set<String> out = new TreeSet<>();
        openapi()
                .path("paths")
                .fields()
                .forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
                    if (Set.of("get", "put", "post", "delete", "patch", "head", "options")
                            .contains(m)) {
                        out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
                    }
                }));
        return out;
    }

    /** The operation of a route, or null. */
    public static JsonNode operation(String method, String resource) {
        JsonNode op = openapi().path("paths").path(resource).get(method.toLowerCase(Locale.ROOT));
        return op == null || op.isNull() ? null : op;
    }

    public static int responses() {
        return RESPONSES.get();
    }

    public static int frames() {
        return FRAMES.get();
    }

    /**
     * Checks a handler's answer to an event of a route (the template's resource, e.g. /images/{imageId}).
     * Resources the spec does not know may only answer the router's 404 / 405 in the error contract.
     */
    public static void response(String method, String resource, int status, Map<String, String> headers, String body) {
        JsonNode op = operation(method, resource);
        String where = method + " " + resource + " -> " + status;
        if (op == null) {
            if (status != 404 && status != 405) {
                throw new AssertionError(where + ": no such operation in openapi.yaml");
            }
            validate(where, "#/components/schemas/Error", body);
        } else {
            check(where, op, status, headers, body);
        }
        RESPONSES.incrementAndGet();
    }

    /**
     * Checks an answer seen on the wire by an end-to-end test: the concrete path is matched to the spec's path
     * templates (literal segments first). Paths no route matches answer the gateway's 404 in the error contract.
     */
    public static void http(String method, String rawPath, int status, Map<String, List<String>> headers, String body) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        Map<String, String> flat = new LinkedHashMap<>();
        headers.forEach((k, v) -> flat.put(k, v.isEmpty() ? "" : v.get(0)));
        String where = method + " " + path + " -> " + status;
        String resource = match(path);
        JsonNode op = resource == null ? null : operation(method, resource);
        if (op == null) {
            // API Gateway: an unknown route or method is its MISSING_AUTHENTICATION_TOKEN response (404 here)
            if (status != 404 && status != 403 && !refusedByServer(status, flat)) {
                throw new AssertionError(where + ": no operation of openapi.yaml serves this request");
            }
            validate(where, "#/components/schemas/Error", body);
        } else if (refusedByServer(status, flat)) {
            validate(where, "#/components/schemas/Error", body);
        } else {
            check(where + " (" + resource + ")", op, status, flat, body);
        }
        RESPONSES.incrementAndGet();
    }

    /** A request the HTTP server itself could not parse (the connection is closed): it never reached a route. */
    private static boolean refusedByServer(int status, Map<String, String> headers) {
        return status == 400 && "close".equalsIgnoreCase(header(headers, "Connection"));
    }

    static String match(String path) {
        String[] parts = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (Iterator<String> it = openapi().path("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            String[] t = template.split("/", -1);
            if (t.length != parts.length) {
                continue;
            }
            int literals = 0;
            boolean ok = true;
            for (int i = 0; i < t.length && ok; i++) {
                if (t[i].startsWith("{") && t[i].endsWith("}")) {
                    ok = !parts[i].isEmpty();
                } else {
                    ok = t[i].equals(parts[i]);
                    literals++;
                }
            }
            if (ok && literals > bestLiterals) {
                best = template;
                bestLiterals = literals;
            }
        }
        return best;
    }

    private static void check(String where, JsonNode op, int status, Map<String, String> headers, String body) {
        JsonNode response = op.path("responses").get(Integer.toString(status));
        if (response == null) {
            response = op.path("responses").get("default");
        }
        if (response == null) {
            throw new AssertionError(where + ": status " + status + " is not declared in openapi.yaml; body " + body);
        }
        response = deref(openapi(), response);
        JsonNode declared = response.path("headers");
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            if (deref(openapi(), h.getValue()).path("required").asBoolean(false)
                    && header(headers, h.getKey()) == null) {
                throw new AssertionError(
                        where + ": header " + h.getKey() + " is required by openapi.yaml; got " + headers.keySet());
            }
        }
        JsonNode content = response.get("content");
        if (content == null) {
            if (body != null && !body.isEmpty()) {
                throw new AssertionError(where + ": openapi.yaml declares no body; got " + body);
            }
            return;
        }
        String type = header(headers, "Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new AssertionError(where + ": Content-Type " + type + ", openapi.yaml says application/json");
        }
        String pointer = pointer(op, status) + "/content/application~1json/schema";
        SCHEMAS.computeIfAbsent(
                pointer,
                p -> compile(
                        REGISTRY, openapi(), content.path("application/json").path("schema")));
        validate(where, pointer, body);
        Set<String> codes = codes(response.path("description").asText(""));
        if (status >= 400 && !codes.isEmpty()) {
            String code = Json.EVENTS
                    .valueToTree(parse(where, body))
                    .path("error")
                    .path("code")
                    .asText();
            if (!codes.contains(code)) {
                throw new AssertionError(
                        where + ": error code " + code + " is not among the codes openapi.yaml lists for it " + codes);
            }
        }
    }

    /** A stable cache key for a response schema: the operation's identity plus the status. */
    private static String pointer(JsonNode op, int status) {
        return "op:" + op.path("operationId").asText(Integer.toHexString(System.identityHashCode(op))) + "/responses/"
                + status;
    }

    /** The error codes a response description lists, in backticks. */
    public static Set<String> codes(String description) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = CODE.matcher(description);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Validates a JSON document against a schema of openapi.yaml named by its JSON pointer (or a cached key). */
    public static void validate(String where, String pointer, String body) {
        Schema schema = SCHEMAS.computeIfAbsent(pointer, p -> compile(REGISTRY, openapi(), at(openapi(), p)));
        fail(where, schema.validate(String.valueOf(body), InputFormat.JSON), body);
    }

    /** Validates a request body of events/ (or a test) against the route's requestBody schema. */
    public static void requestBody(String method, String resource, String body) {
        JsonNode op = operation(method, resource);
        if (op == null) {
            throw new AssertionError(method + " " + resource + ": no such operation in openapi.yaml");
        }
        JsonNode schema = deref(openapi(), op.path("requestBody"))
                .path("content")
                .path("application/json")
                .path("schema");
        if (schema.isMissingNode()) {
            throw new AssertionError(method + " " + resource + ": openapi.yaml declares no JSON request body");
        }
        String key = "op:" + op.path("operationId").asText() + "/requestBody";
        SCHEMAS.computeIfAbsent(key, k -> compile(REGISTRY, openapi(), schema));
        validate(method + " " + resource + " request", key, body);
    }

    /**
     * Checks a frame the server sent against the asyncapi.yaml message whose payload's {@code type} is the
     * frame's type. Safe on listener threads: a violation is also queued for {@link #assertNoFrameViolations()}.
     */
    public static void frame(String text) {
        try {
            JsonNode frame = parse("frame", text);
            String type = frame.path("type").asText(null);
            String key = serverMessage(type);
            if (key == null) {
                throw new AssertionError(
                        "frame of type " + type + " is not a server message of asyncapi.yaml: " + text);
            }
            Schema schema = SCHEMAS.computeIfAbsent(
                    "asyncapi:" + key,
                    k -> compile(
                            DRAFT7,
                            asyncapi(),
                            asyncapi()
                                    .path("components")
                                    .path("messages")
                                    .path(key)
                                    .path("payload")));
            fail("frame " + type, schema.validate(text, InputFormat.JSON), text);
            FRAMES.incrementAndGet();
        } catch (AssertionError e) {
            VIOLATIONS.add(e.getMessage());
            throw e;
        }
    }

    /** Fails with every frame violation seen since the last call (listener threads cannot fail a test themselves). */
    public static void assertNoFrameViolations() {
        List<String> seen = new ArrayList<>();
        for (String v; (v = VIOLATIONS.poll()) != null; ) {
            seen.add(v);
        }
        if (!seen.isEmpty()) {
            throw new AssertionError("WebSocket frames that break asyncapi.yaml:\n" + String.join("\n", seen));
        }
    }

    /** The components/messages key of the server message (of a receive operation or a reply) with this type. */
    public static String serverMessage(String type) {
        return type == null ? null : serverMessages().get(type);
    }

    /**
     * Every server message of asyncapi.yaml (receive operations and replies): its payload's type -> its
     * components/messages key.
     */
    public static Map<String, String> serverMessages() {
        JsonNode spec = asyncapi();
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<JsonNode> ops = spec.path("operations").elements(); ops.hasNext(); ) {
            JsonNode op = ops.next();
            List<JsonNode> refs = new ArrayList<>();
            if ("receive".equals(op.path("action").asText())) {
                op.path("messages").forEach(refs::add);
            }
            op.path("reply").path("messages").forEach(refs::add);
            for (JsonNode ref : refs) {
                JsonNode channelMessage = spec.path("channels")
                        .path("chat")
                        .path("messages")
                        .path(ref.path("$ref").asText().replaceAll(".*/", ""));
                JsonNode payload = deref(spec, deref(spec, channelMessage).path("payload"));
                out.put(
                        payload.path("properties").path("type").path("const").asText(),
                        channelMessage.path("$ref").asText().replaceAll(".*/", ""));
            }
        }
        return out;
    }

    private static JsonNode parse(String where, String body) {
        try {
            return Json.EVENTS.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw new AssertionError(where + ": not JSON: " + body);
        }
    }

    private static void fail(String where, List<Error> errors, String body) {
        if (!errors.isEmpty()) {
            List<String> lines = new ArrayList<>();
            errors.forEach(e -> lines.add("  " + e.getInstanceLocation() + ": " + e.getMessage()));
            throw new AssertionError(where + ": the body does not match the contract\n" + String.join("\n", lines)
                    + "\n  body: " + body);
        }
    }

    static JsonNode at(JsonNode root, String pointer) {
        JsonNode n = root.at(pointer.startsWith("#") ? pointer.substring(1) : pointer);
        if (n.isMissingNode()) {
            throw new IllegalArgumentException("no " + pointer + " in the spec");
        }
        return n;
    }

    /** Follows a local $ref (once per level) to what it names. */
    static JsonNode deref(JsonNode root, JsonNode node) {
        JsonNode n = node;
        for (int i = 0; i < 10 && n.has("$ref"); i++) {
            n = at(root, n.get("$ref").asText());
        }
        return n;
    }

    /** The schema with every $ref inlined and declared objects closed, compiled by networknt. */
    static Schema compile(SchemaRegistry registry, JsonNode root, JsonNode schema) {
        JsonNode inlined = inline(root, schema, 0);
        return registry.getSchema(Json.write(inlined), InputFormat.JSON);
    }

    private static JsonNode inline(JsonNode root, JsonNode node, int depth) {
        if (depth > 40) {
            throw new IllegalStateException("$ref too deep (a cycle?)");
        }
        if (node.isArray()) {
            ArrayNode out = Json.EVENTS.createArrayNode();
            node.forEach(e -> out.add(inline(root, e, depth + 1)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (ref.startsWith("openapi.yaml#")) {
                // asyncapi.yaml borrows shapes from openapi.yaml; refs inside them are openapi.yaml's own
                return inline(openapi(), at(openapi(), ref.substring("openapi.yaml".length())), depth + 1);
            }
            return inline(root, at(root, ref), depth + 1);
        }
        ObjectNode out = Json.EVENTS.createObjectNode();
        node.fields().forEachRemaining(e -> {
            // examples and descriptions are not assertions; leave them out of the compiled schema
            if (!Set.of("example", "examples", "description", "summary").contains(e.getKey())) {
                out.set(
                        e.getKey(),
                        "properties".equals(e.getKey())
                                ? inlineEach(root, e.getValue(), depth)
                                : inline(root, e.getValue(), depth + 1));
            }
        });
        if (out.has("properties") && !out.has("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        return out;
    }

    /** The values of a properties map are schemas; its keys are names (which may be "description" or "type"). */
    private static JsonNode inlineEach(JsonNode root, JsonNode properties, int depth) {
        ObjectNode out = Json.EVENTS.createObjectNode();
        properties.fields().forEachRemaining(e -> out.set(e.getKey(), inline(root, e.getValue(), depth + 1)));
        return out;
    }

    /** What this test JVM validated, printed at its end and written to target/contract-validations.txt. */
    private static void report() {
        if (RESPONSES.get() == 0 && FRAMES.get() == 0) {
            return;
        }
        String line = String.format(
                "contract: %d HTTP responses validated against openapi.yaml, %d WebSocket frames against asyncapi.yaml"
                        + " (%s)%n",
                RESPONSES.get(), FRAMES.get(), Path.of("").toAbsolutePath().getFileName());
        System.out.print(line);
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(
                        target.resolve("contract-validations.txt"),
                        line,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            }
        } catch (IOException ignored) {
            // the count is a report, not a check
        }
    }
}
