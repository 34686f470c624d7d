package dev.suite.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.suite.emulators.Emulators;
import dev.suite.emulators.Paths;
import dev.suite.emulators.Template;
import dev.suite.shared.Json;
import dev.suite.shared.Times;
import dev.suite.shared.data.Users;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Starts of every function of the template in fresh JVMs, loaded as Lambda's {@code java25} managed runtime loads them
 * ({@link RuntimeShim}), against DynamoDB Local, S3Proxy and cognito-local started here, each function with its
 * environment from the template (its {@code JAVA_TOOL_OPTIONS} included, as Lambda passes it).
 * <ul>
 *   <li>{@link #snapStart}: init, the function's CRaC hooks run through org.crac's compat property as SnapStart runs them,
 *   then the first request (classes loaded, time) against the same JVM's warm p50; the plain baseline the same way, for
 *   its heap and metaspace at the checkpoint.</li>
 *   <li>{@link #fresh}: no SnapStart; rounds alternate baseline and function (B, F), unpinned and pinned to one core
 *   ({@code taskset -c 0}); the ratio is the median of the per-round ratios F / B.</li>
 * </ul>
 */
final class ColdStart implements AutoCloseable {
    /**
     * The bench's JVM flags; the rest is the template's {@code JAVA_TOOL_OPTIONS} (today {@code -XX:+TieredCompilation
     * -XX:TieredStopAtLevel=1}: the java25 runtime stops at C1 by default only without SnapStart, so the template asks for
     * it). Serial GC is what the JVM's ergonomics pick at Lambda's sizes (under 2 vCPUs or 1,792 MB) and what Lambda's
     * Java runtimes use; {@code -Xshare:auto} uses the JDK's default CDS archive where Lambda uses its own.
     */
    static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xshare:auto");
    /** The package of the bench's CRaC implementation, given to org.crac as {@code -Dorg.crac.Core.Compat}. */
    static final String COMPAT = dev.suite.bench.crac.Core.class.getPackageName();

    static final String BASELINE = "plain baseline";
    static final String BASELINE_HANDLER = "dev.suite.baseline.MeHandler";
    static final String BASELINE_JAR = "bench/baseline/target/bench-baseline-lambda.jar";
    static final String CALLER = "11111111-2222-3333-4444-555555555555";
    static final String ROOM = "gr-01JB8Z4X5Y6Z7A8B9C0D1E2F3G";
    static final int FIRST_REQUEST_CLASSES_GOAL = 50;
    static final double FIRST_REQUEST_RATIO_GOAL = 1.5;
    static final double FRESH_RATIO_GOAL = 1.5;

    /**
     * The event each function answers: a real route, trigger or schedule that does I/O (reads, or idempotent writes on
     * seeded data).
     */
    static final Map<String, String> EVENTS = new LinkedHashMap<>();

    static {
        EVENTS.put("AuthFunction", "auth-me");
        EVENTS.put("PostConfirmationFunction", "cognito-post-confirmation");
        EVENTS.put("PreTokenGenerationFunction", "cognito-pre-token-generation");
        EVENTS.put("AdminFunction", "admin-list-users");
        EVENTS.put("ImageFunction", "user-credits");
        EVENTS.put("PaymentFunction", "payment-transactions");
        EVENTS.put("ChatRoomsFunction", "chat-list-rooms");
        EVENTS.put("ChatConnectionFunction", "ws-connect");
        EVENTS.put("ChatMessagesFunction", "ws-send-message");
        EVENTS.put("ChatAuthorizerFunction", "ws-authorizer");
        EVENTS.put("ConnectionPurgeFunction", "schedule-connection-purge");
        EVENTS.put("PaymentReconcileFunction", "schedule-payment-reconcile");
        EVENTS.put("PendingImagesSweepFunction", "schedule-pending-images-sweep");
        EVENTS.put("GymFunction", "gym-list-gyms");
        EVENTS.put("StripeWebhookFunction", "gym-stripe-webhook");
        EVENTS.put("GymAutoCheckoutFunction", "schedule-gym-auto-checkout");
        EVENTS.put("CoachingFunction", "coaching-summary");
        EVENTS.put("CoachingAtRiskFunction", "schedule-coaching-at-risk");
    }

    /**
     * One function's fresh-JVM rounds: baseline and function first-response times, in round order; or why it failed.
     */
    record Fresh(
            String function,
            String event,
            boolean pinned,
            List<Double> baselineMs,
            List<Double> functionMs,
            String error) {
        double baselineP50() {
            return Stats.percentile(baselineMs, 50);
        }

        double functionP50() {
            return Stats.percentile(functionMs, 50);
        }

        /** The median of the per-round ratios function / baseline. */
        double ratio() {
            List<Double> r = new ArrayList<>();
            for (int i = 0; i < functionMs.size(); i++) {
                r.add(functionMs.get(i) / baselineMs.get(i));
            }
            return Stats.percentile(r, 50);
        }
    }

    /**
     * One SnapStart start of one JVM: the shim's {@code key=value} results, and the packages its first request loaded.
     */
    record Round(Map<String, String> values, Map<String, Integer> packages) {
        double get(String key) {
            return Double.parseDouble(values.get(key));
        }

        double ratio() {
            return get("firstMs") / get("warmP50Ms");
        }
    }

    /** One function's SnapStart rounds, unpinned and pinned; or why it failed. */
    record SnapStart(String function, String event, List<Round> unpinned, List<Round> pinned, String error) {
        double median(String key) {
            return Stats.percentile(unpinned.stream().map(r -> r.get(key)).toList(), 50);
        }

        double ratio() {
            return Stats.percentile(unpinned.stream().map(Round::ratio).toList(), 50);
        }

        double pinnedRatio() {
            return Stats.percentile(pinned.stream().map(Round::ratio).toList(), 50);
        }

        /** The packages of the round whose first request loaded the most classes. */
        Map<String, Integer> packages() {
            return unpinned.stream()
                    .max(Comparator.comparingDouble(r -> r.get("firstClasses")))
                    .map(Round::packages)
                    .orElse(Map.of());
        }

        /** What missed the goals, empty when both are met (unpinned and pinned). */
        List<String> misses() {
            List<String> out = new ArrayList<>();
            if (error != null) {
                return List.of("failed");
            }
            if (median("firstClasses") > FIRST_REQUEST_CLASSES_GOAL) {
                out.add(String.format("%.0f classes > %d", median("firstClasses"), FIRST_REQUEST_CLASSES_GOAL));
            }
            if (ratio() > FIRST_REQUEST_RATIO_GOAL) {
                out.add(String.format("%.2fx > %.1fx", ratio(), FIRST_REQUEST_RATIO_GOAL));
            }
            if (!pinned.isEmpty() && pinnedRatio() > FIRST_REQUEST_RATIO_GOAL) {
                out.add(String.format("pinned %.2fx > %.1fx", pinnedRatio(), FIRST_REQUEST_RATIO_GOAL));
            }
            return out;
        }
    }

    private final Path root = Paths.root();
    private final Template template = Template.repo();
    private final Emulators emu;
    private final HttpServer management;
    private final Map<String, Path> events = new LinkedHashMap<>();
    private final String classPath;

    private ColdStart() throws Exception {
        emu = Emulators.start(template, Emulators.Options.inMemory());
        // what the WebSocket functions post to: the @connections API, answering 200
        management = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        management.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        management.start();
        // the runtime's class path: the shim and the runtime's own libraries, nothing of the function's
        classPath = runtimeClassPath();
    }

    static ColdStart start() throws Exception {
        ColdStart c = new ColdStart();
        c.seed();
        return c;
    }

    /**
     * The class path of every started JVM: the shim with the bench's CRaC implementation, and the runtime's own
     * libraries.
     */
    static String runtimeClassPath() throws Exception {
        return String.join(
                ":",
                codeSource(RuntimeShim.class),
                codeSource(RequestHandler.class),
                codeSource(LambdaEventSerializers.class));
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }

    /**
     * The data a deployed stack would have for the sample events: their caller, a pool user, a room the caller is in.
     */
    private void seed() throws Exception {
        String now = Times.iso(Instant.now());
        Users.from(emu.dynamo(), emu.functionConfig("AuthFunction"))
                .create(CALLER, "ana@example.com", "Ana", "User", 5, Instant.now());
        emu.dynamo()
                .putItem(b -> b.tableName(emu.ref("RoomsTable"))
                        .item(Map.of(
                                "roomId",
                                AttributeValue.fromS(ROOM),
                                "type",
                                AttributeValue.fromS("group"),
                                "name",
                                AttributeValue.fromS("bench"),
                                "createdBy",
                                AttributeValue.fromS(CALLER),
                                "createdAt",
                                AttributeValue.fromS(now),
                                "lastActivityAt",
                                AttributeValue.fromS(now))));
        emu.dynamo()
                .putItem(b -> b.tableName(emu.ref("RoomMembersTable"))
                        .item(Map.of(
                                "roomId",
                                AttributeValue.fromS(ROOM),
                                "userId",
                                AttributeValue.fromS(CALLER),
                                "role",
                                AttributeValue.fromS("owner"),
                                "joinedAt",
                                AttributeValue.fromS(now))));
        // PostConfirmation needs a real pool user; the $connect authorizer a real ID token of one
        String email = "cold" + System.nanoTime() + "@example.com";
        String sub = emu.cognito()
                .signUp(b -> b.clientId(emu.clientId())
                        .username(email)
                        .password("Passw0rdOk")
                        .userAttributes(AttributeType.builder()
                                .name("email")
                                .value(email)
                                .build()))
                .userSub();
        emu.cognito().adminConfirmSignUp(b -> b.userPoolId(emu.userPoolId()).username(sub));
        String idToken = emu.cognito()
                .initiateAuth(b -> b.clientId(emu.clientId())
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", email, "PASSWORD", "Passw0rdOk")))
                .authenticationResult()
                .idToken();
        for (Map.Entry<String, String> e : EVENTS.entrySet()) {
            events.put(e.getKey(), root.resolve("events/" + e.getValue() + ".json"));
        }
        var confirm = (ObjectNode) Json.EVENTS.readTree(Files.readString(events.get("PostConfirmationFunction")));
        confirm.put("userPoolId", emu.userPoolId());
        confirm.put("userName", sub);
        ((ObjectNode) confirm.get("request").get("userAttributes"))
                .put("sub", sub)
                .put("email", email);
        events.put("PostConfirmationFunction", write("post-confirmation", confirm.toString()));
        var authorize = (ObjectNode) Json.EVENTS.readTree(Files.readString(events.get("ChatAuthorizerFunction")));
        ((ObjectNode) authorize.get("queryStringParameters")).put("token", idToken);
        events.put("ChatAuthorizerFunction", write("ws-authorizer", authorize.toString()));
    }

    private static Path write(String name, String json) throws Exception {
        Path p = Files.createTempFile(name, ".json");
        p.toFile().deleteOnExit();
        Files.writeString(p, json);
        return p;
    }

    /** Every function of the template, in template order, restricted to {@code only} when not empty. */
    List<String> functions(Set<String> only) {
        List<String> out = new ArrayList<>();
        for (String fn : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            if (!EVENTS.containsKey(fn)) {
                throw new IllegalStateException(fn + " has no cold-start event in ColdStart.EVENTS");
            }
            if (only.isEmpty() || only.contains(fn)) {
                out.add(fn);
            }
        }
        return out;
    }

    /**
     * Without SnapStart: for each function, {@code rounds} rounds of baseline then function, unpinned and pinned; two
     * results per function.
     */
    List<Fresh> fresh(int rounds, Set<String> only, PrintStream log) throws Exception {
        List<Fresh> results = new ArrayList<>();
        Launch baseline = baseline();
        for (String fn : functions(only)) {
            Launch function = launch(fn);
            for (boolean pinned : new boolean[] {false, true}) {
                List<Double> b = new ArrayList<>();
                List<Double> f = new ArrayList<>();
                String error = null;
                try {
                    for (int i = 0; i < rounds; i++) {
                        b.add(baseline.freshMs(pinned));
                        f.add(function.freshMs(pinned));
                    }
                } catch (IllegalStateException e) {
                    error = e.getMessage();
                    log.printf("  %s failed: %s%n", fn, error);
                }
                Fresh r = new Fresh(fn, EVENTS.get(fn), pinned, b, f, error);
                results.add(r);
                if (error != null) {
                    continue;
                }
                if (!pinned) {
                    log.printf("  %s answered %s with: %s%n", fn, EVENTS.get(fn), function.answer);
                }
                log.printf(
                        "  %-28s %-8s baseline p50 %6.0f ms   function p50 %6.0f ms   ratio %.2f%n",
                        fn, pinned ? "pinned" : "unpinned", r.baselineP50(), r.functionP50(), r.ratio());
            }
        }
        return results;
    }

    /** SnapStart: the plain baseline first, then every function; {@code rounds} JVMs each, unpinned and pinned. */
    List<SnapStart> snapStart(int rounds, Set<String> only, PrintStream log) throws Exception {
        List<SnapStart> out = new ArrayList<>();
        out.add(snapStart(BASELINE, "auth-me", baseline(), rounds, log));
        for (String fn : functions(only)) {
            out.add(snapStart(fn, EVENTS.get(fn), launch(fn), rounds, log));
        }
        return out;
    }

    private SnapStart snapStart(String name, String event, Launch launch, int rounds, PrintStream log)
            throws Exception {
        List<Round> unpinned = new ArrayList<>();
        List<Round> pinned = new ArrayList<>();
        try {
            for (int i = 0; i < rounds; i++) {
                unpinned.add(launch.snapStart(false));
                pinned.add(launch.snapStart(true));
            }
        } catch (IllegalStateException e) {
            log.printf("  %s failed: %s%n", name, e.getMessage());
            return new SnapStart(name, event, unpinned, pinned, e.getMessage());
        }
        SnapStart s = new SnapStart(name, event, unpinned, pinned, null);
        log.printf(
                "  %s answered %s with: %s%n",
                name, event, unpinned.get(0).values().get("answer"));
        log.printf(
                "  %-28s %2.0f hooks, init %5.0f ms, beforeCheckpoint %5.0f ms, heap %5.1f MB, metaspace %5.1f MB; first request %4.0f classes"
                        + " %6.2f ms (JIT %3.0f ms), second %6.2f ms, warm p50 %6.2f ms: %.2fx (pinned %.2fx) %s%n",
                name,
                s.median("hooks"),
                s.median("initMs"),
                s.median("beforeCheckpointMs"),
                s.median("heapBytes") / 1048576,
                s.median("metaspaceBytes") / 1048576,
                s.median("firstClasses"),
                s.median("firstMs"),
                s.median("firstJitMs"),
                s.median("secondMs"),
                s.median("warmP50Ms"),
                s.ratio(),
                s.pinnedRatio(),
                name.equals(BASELINE)
                        ? ""
                        : s.misses().isEmpty() ? "goals met" : "MISSED " + s.misses() + " " + s.packages());
        return s;
    }

    /** Class names logged between the two marker classes the shim loads around the first request. */
    static List<String> firstRequestClasses(Path classLoadLog) throws Exception {
        List<String> out = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(classLoadLog)) {
            int start = line.indexOf("] ", line.indexOf("[class,load]"));
            if (start < 0) {
                continue;
            }
            String name = line.substring(start + 2).split(" ", 2)[0];
            if (name.equals(RuntimeShim.STARTS)) {
                inside = true;
            } else if (name.equals(RuntimeShim.ENDS)) {
                return out;
            } else if (inside) {
                out.add(name);
            }
        }
        throw new IllegalStateException("no first-request markers in " + classLoadLog);
    }

    /** The packages of the given classes with their counts, largest first (the five largest). */
    static Map<String, Integer> byPackage(List<String> classes) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String c : classes) {
            int dot = c.lastIndexOf('.');
            counts.merge(dot < 0 ? "" : c.substring(0, dot), 1, Integer::sum);
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(5)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private Launch baseline() {
        return new Launch(
                BASELINE_HANDLER, root.resolve(BASELINE_JAR), events.get("AuthFunction"), env("AuthFunction"));
    }

    private Launch launch(String fn) {
        Map<String, Object> props = template.properties(fn);
        return new Launch(
                String.valueOf(props.get("Handler")).split("::")[0],
                root.resolve(String.valueOf(props.get("CodeUri"))),
                events.get(fn),
                env(fn));
    }

    /**
     * The function's environment from the template, its clients pointed at the emulators, outside providers given bench
     * keys; with what Lambda sets besides: {@code JAVA_TOOL_OPTIONS} from the template (the emulators' configuration
     * leaves it out), the execution environment of the template's runtime, the function's name and memory.
     */
    private Map<String, String> env(String fn) {
        Map<String, String> env = new LinkedHashMap<>(emu.functionConfig(
                        fn,
                        Map.of(
                                "WEBSOCKET_MANAGEMENT_ENDPOINT",
                                "http://127.0.0.1:" + management.getAddress().getPort(),
                                "CLIPDROP_API_KEY",
                                "bench",
                                "VNPAY_TMN_CODE",
                                "BENCH",
                                "VNPAY_HASH_SECRET",
                                "bench-secret",
                                "VNPAY_RETURN_URL",
                                "http://localhost/payment/vnpay-return",
                                "CHECKIN_TOKEN_KEY",
                                "bench-checkin-key-of-at-least-32-chars",
                                "STRIPE_SECRET_KEY",
                                "sk_test_bench",
                                "STRIPE_WEBHOOK_SECRET",
                                "whsec_bench",
                                "USER_POOL_ID",
                                emu.userPoolId(),
                                "USER_POOL_CLIENT_ID",
                                emu.clientId()))
                .asMap());
        env.put("POWERTOOLS_LOG_LEVEL", "WARN");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + setting(fn, "Runtime", "java25"));
        String toolOptions = javaToolOptions(fn);
        if (toolOptions != null) {
            env.put("JAVA_TOOL_OPTIONS", toolOptions);
        }
        return env;
    }

    /**
     * The function's {@code JAVA_TOOL_OPTIONS}: its own environment's, else the Globals'; null when neither sets it.
     */
    String javaToolOptions(String fn) {
        String value = null;
        for (Map<String, Object> props : List.of(template.globalsFunction(), template.properties(fn))) {
            Map<String, Object> environment = Template.cast(props.getOrDefault("Environment", Map.of()));
            Map<String, Object> vars = Template.cast(environment.getOrDefault("Variables", Map.of()));
            if (vars.containsKey("JAVA_TOOL_OPTIONS")) {
                value = emu.resolver().string(vars.get("JAVA_TOOL_OPTIONS"));
            }
        }
        return value;
    }

    /** A plain property of the function, else of the Globals, else {@code otherwise}. */
    private String setting(String fn, String property, String otherwise) {
        Object v = template.properties(fn)
                .getOrDefault(property, template.globalsFunction().get(property));
        return v == null ? otherwise : String.valueOf(v);
    }

    /**
     * The event as Stripe would send it now: an API Gateway event with a {@code Stripe-Signature} header gets a fresh
     * one (HMAC-SHA256 of {@code <t>.<body>} with the function's {@code STRIPE_WEBHOOK_SECRET}), since the sample's was
     * made with another secret and a signature is accepted only within minutes of its time; other events are as they are.
     */
    static Path signed(Path event, Map<String, String> env) throws Exception {
        String secret = env.get("STRIPE_WEBHOOK_SECRET");
        var json = (ObjectNode) Json.EVENTS.readTree(Files.readString(event));
        if (secret == null || !json.path("headers").has("Stripe-Signature")) {
            return event;
        }
        long t = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "t=" + t + ",v1="
                + HexFormat.of()
                        .formatHex(
                                mac.doFinal((t + "." + json.path("body").asText()).getBytes(StandardCharsets.UTF_8)));
        ((ObjectNode) json.get("headers")).put("Stripe-Signature", signature);
        if (json.path("multiValueHeaders").has("Stripe-Signature")) {
            ((ObjectNode) json.get("multiValueHeaders"))
                    .putArray("Stripe-Signature")
                    .add(signature);
        }
        return write("stripe-signed", json.toString());
    }

    /** One handler in one jar with one event and environment, started in fresh JVMs. */
    private final class Launch {
        private final String handler;
        private final Path jar;
        private final Path event;
        private final Map<String, String> env;
        private String answer;

        Launch(String handler, Path jar, Path event, Map<String, String> env) {
            this.handler = handler;
            this.jar = jar;
            this.event = event;
            this.env = env;
        }

        private ProcessBuilder process(
                boolean pinned, List<String> jvmFlags, String initializationType, String... shimArgs) throws Exception {
            List<String> cmd = new ArrayList<>();
            if (pinned) {
                cmd.addAll(List.of("taskset", "-c", "0"));
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(FLAGS);
            cmd.addAll(jvmFlags);
            cmd.addAll(List.of(
                    "-cp",
                    classPath,
                    RuntimeShim.class.getName(),
                    handler,
                    jar.toString(),
                    signed(event, env).toString()));
            cmd.addAll(List.of(shimArgs));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().put("PATH", System.getenv("PATH"));
            pb.environment().putAll(env);
            pb.environment().put("AWS_LAMBDA_INITIALIZATION_TYPE", initializationType);
            return pb;
        }

        /** Without SnapStart: milliseconds from spawn to the first answer. */
        double freshMs(boolean pinned) throws Exception {
            ProcessBuilder pb = process(pinned, List.of(), "on-demand", "fresh");
            long start = System.nanoTime();
            Process p = pb.start();
            double done = -1;
            StringBuilder output = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(RuntimeShim.DONE)) {
                        done = (System.nanoTime() - start) / 1e6;
                        answer = line.substring(RuntimeShim.DONE.length()).trim();
                    } else {
                        output.append(line).append('\n');
                    }
                }
            }
            if (p.waitFor() != 0 || done < 0) {
                throw new IllegalStateException(handler + " did not answer:\n" + output);
            }
            return done;
        }

        /** With SnapStart's hooks through org.crac: one JVM's results, and what its first request loaded by package. */
        Round snapStart(boolean pinned) throws Exception {
            Path classLog = Files.createTempFile("class-load", ".log");
            Path result = Files.createTempFile("snapstart", ".properties");
            Path output = Files.createTempFile("snapstart", ".out");
            try {
                Process p = process(
                                pinned,
                                List.of("-Dorg.crac.Core.Compat=" + COMPAT, "-Xlog:class+load=info:file=" + classLog),
                                "snap-start",
                                "snapstart",
                                result.toString())
                        .redirectOutput(output.toFile())
                        .start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(
                            handler + " did not finish in 5 minutes:\n" + Files.readString(output));
                }
                if (p.exitValue() != 0 || Files.size(result) == 0) {
                    throw new IllegalStateException(handler + " failed:\n" + Files.readString(output));
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (String line : Files.readAllLines(result)) {
                    int eq = line.indexOf('=');
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
                return new Round(values, byPackage(firstRequestClasses(classLog)));
            } finally {
                Files.deleteIfExists(classLog);
                Files.deleteIfExists(result);
                Files.deleteIfExists(output);
            }
        }
    }

    @Override
    public void close() {
        management.stop(0);
        emu.close();
    }
}
