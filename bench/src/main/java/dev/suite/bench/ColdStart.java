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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Cold start of every function of the template against the plain baseline ({@code bench/baseline}), loaded as Lambda's
 * java17 managed runtime loads them ({@link RuntimeShim}): a fresh JVM per start with Lambda's flags, against DynamoDB
 * Local, S3Proxy and cognito-local started here, each function with its environment from the template. Rounds alternate
 * baseline and function (B, F), unpinned and pinned to one core ({@code taskset -c 0}); the ratio is the median of the
 * per-round ratios F / B. The priming check counts the classes the first request loads after the function's CRaC hooks ran.
 */
final class ColdStart implements AutoCloseable {
    /** Lambda's java17 flags (its own CDS archive aside: -Xshare:auto uses the JDK's default archive). */
    static final List<String> FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");
    static final String BASELINE_HANDLER = "dev.suite.baseline.MeHandler";
    static final String BASELINE_JAR = "bench/baseline/target/bench-baseline-lambda.jar";
    static final String CALLER = "11111111-2222-3333-4444-555555555555";
    static final String ROOM = "gr-01JB8Z4X5Y6Z7A8B9C0D1E2F3G";

    /** The event each function answers: a real route, trigger or schedule that does I/O (reads, or idempotent writes on seeded data). */
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

    /** One function's rounds: baseline and function first-response times, in round order. */
    record Result(String function, String event, boolean pinned, List<Double> baselineMs, List<Double> functionMs) {
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

    /** Classes loaded by the first request, without and after priming; what the primed one loaded, by package. */
    record PrimingCheck(String function, long unprimed, long primed, Map<String, Integer> primedPackages) {
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
        classPath = String.join(":", codeSource(RuntimeShim.class), codeSource(RequestHandler.class), codeSource(LambdaEventSerializers.class));
    }

    static ColdStart start() throws Exception {
        ColdStart c = new ColdStart();
        c.seed();
        return c;
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** The data a deployed stack would have for the sample events: their caller, a pool user, a room the caller is in. */
    private void seed() throws Exception {
        String now = Times.iso(Instant.now());
        Users.from(emu.dynamo(), emu.functionConfig("AuthFunction")).create(CALLER, "ana@example.com", "Ana", "User", 5, Instant.now());
        emu.dynamo().putItem(b -> b.tableName(emu.ref("RoomsTable")).item(Map.of("roomId", AttributeValue.fromS(ROOM),
                "type", AttributeValue.fromS("group"), "name", AttributeValue.fromS("bench"), "createdBy", AttributeValue.fromS(CALLER),
                "createdAt", AttributeValue.fromS(now), "lastActivityAt", AttributeValue.fromS(now))));
        emu.dynamo().putItem(b -> b.tableName(emu.ref("RoomMembersTable")).item(Map.of("roomId", AttributeValue.fromS(ROOM),
                "userId", AttributeValue.fromS(CALLER), "role", AttributeValue.fromS("owner"), "joinedAt", AttributeValue.fromS(now))));
        // PostConfirmation needs a real pool user; the $connect authorizer a real ID token of one
        String email = "cold" + System.nanoTime() + "@example.com";
        String sub = emu.cognito().signUp(b -> b.clientId(emu.clientId()).username(email).password("Passw0rdOk")
                .userAttributes(AttributeType.builder().name("email").value(email).build())).userSub();
        emu.cognito().adminConfirmSignUp(b -> b.userPoolId(emu.userPoolId()).username(sub));
        String idToken = emu.cognito().initiateAuth(b -> b.clientId(emu.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", "Passw0rdOk"))).authenticationResult().idToken();
        for (Map.Entry<String, String> e : EVENTS.entrySet()) {
            events.put(e.getKey(), root.resolve("events/" + e.getValue() + ".json"));
        }
        var confirm = (ObjectNode) Json.EVENTS.readTree(Files.readString(events.get("PostConfirmationFunction")));
        confirm.put("userPoolId", emu.userPoolId());
        confirm.put("userName", sub);
        ((ObjectNode) confirm.get("request").get("userAttributes")).put("sub", sub).put("email", email);
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

    /** For each function: {@code rounds} rounds of baseline then function, unpinned and pinned; two results per function. */
    List<Result> run(int rounds, Set<String> only, PrintStream log) throws Exception {
        List<Result> results = new ArrayList<>();
        Launch baseline = new Launch(BASELINE_HANDLER, root.resolve(BASELINE_JAR), events.get("AuthFunction"), env("AuthFunction"));
        for (String fn : functions(only)) {
            Launch function = launch(fn);
            for (boolean pinned : new boolean[] {false, true}) {
                List<Double> b = new ArrayList<>();
                List<Double> f = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    b.add(baseline.firstResponseMs(pinned, null, null));
                    f.add(function.firstResponseMs(pinned, null, null));
                }
                Result r = new Result(fn, EVENTS.get(fn), pinned, b, f);
                results.add(r);
                if (!pinned) {
                    log.printf("  %s answered %s with: %s%n", fn, EVENTS.get(fn), function.answer);
                }
                log.printf("  %-28s %-8s baseline p50 %6.0f ms   function p50 %6.0f ms   ratio %.2f%n", fn, pinned ? "pinned" : "unpinned",
                        r.baselineP50(), r.functionP50(), r.ratio());
            }
        }
        return results;
    }

    /** For each function: classes loaded by its first request without priming, and after its CRaC priming hooks ran. */
    List<PrimingCheck> primingCheck(Set<String> only, PrintStream log) throws Exception {
        List<PrimingCheck> out = new ArrayList<>();
        for (String fn : functions(only)) {
            Launch l = launch(fn);
            Path unprimedLog = Files.createTempFile("class-load", ".log");
            Path primedLog = Files.createTempFile("class-load-primed", ".log");
            l.firstResponseMs(false, "unprimed", unprimedLog);
            l.firstResponseMs(false, "prime", primedLog);
            List<String> unprimed = firstRequestClasses(unprimedLog);
            List<String> primed = firstRequestClasses(primedLog);
            Files.delete(unprimedLog);
            Files.delete(primedLog);
            PrimingCheck c = new PrimingCheck(fn, unprimed.size(), primed.size(), byPackage(primed));
            out.add(c);
            log.printf("  %-28s first request loads %4d classes unprimed, %4d after priming %s%n", fn, c.unprimed(), c.primed(),
                    c.primedPackages().isEmpty() ? "" : c.primedPackages());
        }
        return out;
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
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).limit(5)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private Launch launch(String fn) {
        Map<String, Object> props = template.properties(fn);
        return new Launch(String.valueOf(props.get("Handler")).split("::")[0], root.resolve(String.valueOf(props.get("CodeUri"))),
                events.get(fn), env(fn));
    }

    /** The function's environment from the template, its clients pointed at the emulators, outside providers given bench keys. */
    private Map<String, String> env(String fn) {
        Map<String, String> env = new LinkedHashMap<>(emu.functionConfig(fn, Map.of(
                "WEBSOCKET_MANAGEMENT_ENDPOINT", "http://127.0.0.1:" + management.getAddress().getPort(),
                "CLIPDROP_API_KEY", "bench", "VNPAY_TMN_CODE", "BENCH", "VNPAY_HASH_SECRET", "bench-secret",
                "VNPAY_RETURN_URL", "http://localhost/payment/vnpay-return", "CHECKIN_TOKEN_KEY", "bench-checkin-key-of-at-least-32-chars",
                "STRIPE_SECRET_KEY", "sk_test_bench", "STRIPE_WEBHOOK_SECRET", "whsec_bench",
                "USER_POOL_ID", emu.userPoolId(), "USER_POOL_CLIENT_ID", emu.clientId())).asMap());
        env.put("POWERTOOLS_LOG_LEVEL", "WARN");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        return env;
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

        /** Milliseconds from spawn to the first answer; with a check ({@code prime}, {@code unprimed}), the class-load log goes to {@code classLog}. */
        double firstResponseMs(boolean pinned, String check, Path classLog) throws Exception {
            List<String> cmd = new ArrayList<>();
            if (pinned) {
                cmd.addAll(List.of("taskset", "-c", "0"));
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(FLAGS);
            if (classLog != null) {
                cmd.add("-Xlog:class+load=info:file=" + classLog);
            }
            cmd.addAll(List.of("-cp", classPath, RuntimeShim.class.getName(), handler, jar.toString(), event.toString()));
            if (check != null) {
                cmd.add(check);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().put("PATH", System.getenv("PATH"));
            pb.environment().putAll(env);
            long start = System.nanoTime();
            Process p = pb.start();
            double done = -1;
            StringBuilder output = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("DONE")) {
                        done = (System.nanoTime() - start) / 1e6;
                        answer = line.substring(4).trim();
                    } else if (!line.equals("READY") && !line.startsWith("LOADED")) {
                        output.append(line).append('\n');
                    }
                }
            }
            if (p.waitFor() != 0 || done < 0) {
                throw new IllegalStateException(handler + " did not answer:\n" + output);
            }
            return done;
        }
    }

    @Override
    public void close() {
        management.stop(0);
        emu.close();
    }
}
