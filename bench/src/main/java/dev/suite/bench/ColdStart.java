package dev.suite.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.suite.emulators.Emulators;
import dev.suite.emulators.Paths;
import dev.suite.emulators.Template;
import dev.suite.shared.Json;
import dev.suite.shared.data.Users;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;

/**
 * Cold start of every function's deployable jar: fresh JVMs with Lambda's default flags, the handler built through
 * its no-argument constructor with clients pointed at the emulators by environment, one real event from events/.
 * Each function runs tuned (our clients) and with AWS_SDK_DEFAULTS=true (the SDK's discovery and chains).
 */
public final class ColdStart {
    /** The event each function answers (reads, or an idempotent write on seeded data). */
    static final Map<String, String> EVENTS = new LinkedHashMap<>();

    static {
        EVENTS.put("AuthFunction", "auth-me");
        EVENTS.put("PostConfirmationFunction", "cognito-post-confirmation");
        EVENTS.put("PreTokenGenerationFunction", "cognito-pre-token-generation");
        EVENTS.put("AdminFunction", "admin-list-users");
        EVENTS.put("ImageFunction", "user-credits");
        EVENTS.put("PaymentFunction", "payment-packages");
        EVENTS.put("ChatRoomsFunction", "chat-list-rooms");
        EVENTS.put("ChatConnectionFunction", "ws-connect");
        EVENTS.put("ChatMessagesFunction", "ws-typing");
        EVENTS.put("ChatAuthorizerFunction", "ws-authorizer");
        EVENTS.put("PendingImagesSweepFunction", "schedule-pending-images-sweep");
        EVENTS.put("PaymentReconcileFunction", "schedule-payment-reconcile");
        EVENTS.put("ConnectionPurgeFunction", "schedule-connection-purge");
        EVENTS.put("CoachingFunction", "coaching-summary");
        EVENTS.put("GymFunction", "gym-list-gyms");
    }

    record Result(String function, String mode, List<Double> readyMs, List<Double> firstMs) {
    }

    /** Every function of {@link #EVENTS}, or those named in {@code functions} (empty: all). */
    static List<Result> run(int runs, Set<String> functions, PrintStream log) throws Exception {
        Path root = Paths.root();
        Template t = Template.repo();
        Path childClasses = root.resolve("bench/target/classes");
        try (Emulators emu = Emulators.start(t, Emulators.Options.inMemory())) {
            // the sample events' caller (11111111-...) exists, as it would in a deployed stack
            Users.from(emu.dynamo(), emu.functionConfig("AuthFunction")).create("11111111-2222-3333-4444-555555555555",
                    "ana@example.com", "Ana", "User", 5, Instant.now());
            // PostConfirmation needs a real pool and user: a copy of its sample event pointing at them
            String email = "cold" + System.nanoTime() + "@example.com";
            String sub = emu.cognito().signUp(b -> b.clientId(emu.clientId()).username(email).password("Passw0rdOk")
                    .userAttributes(AttributeType.builder()
                            .name("email").value(email).build())).userSub();
            emu.cognito().adminConfirmSignUp(b -> b.userPoolId(emu.userPoolId()).username(sub));
            var confirm = (ObjectNode) Json.EVENTS.readTree(Files.readString(Paths.root().resolve("events/cognito-post-confirmation.json")));
            confirm.put("userPoolId", emu.userPoolId());
            confirm.put("userName", sub);
            ((ObjectNode) confirm.get("request").get("userAttributes")).put("sub", sub).put("email", email);
            Path confirmEvent = Files.createTempFile("post-confirmation", ".json");
            Files.writeString(confirmEvent, confirm.toString());
            HttpServer management = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            management.createContext("/", x -> {
                x.getRequestBody().readAllBytes();
                x.sendResponseHeaders(200, -1);
                x.close();
            });
            management.start();
            List<Result> results = new ArrayList<>();
            for (Map.Entry<String, String> e : EVENTS.entrySet()) {
                String fn = e.getKey();
                if (!functions.isEmpty() && !functions.contains(fn)) {
                    continue;
                }
                Map<String, Object> props = t.properties(fn);
                String handler = String.valueOf(props.get("Handler")).split("::")[0];
                Path jar = root.resolve(String.valueOf(props.get("CodeUri")));
                Path event = fn.equals("PostConfirmationFunction") ? confirmEvent : root.resolve("events/" + e.getValue() + ".json");
                Map<String, String> env = new LinkedHashMap<>(emu.functionConfig(fn, Map.of(
                        "WEBSOCKET_MANAGEMENT_ENDPOINT", "http://127.0.0.1:" + management.getAddress().getPort(),
                        "CLIPDROP_API_KEY", "bench", "VNPAY_TMN_CODE", "BENCH", "VNPAY_HASH_SECRET", "bench-secret",
                        "VNPAY_RETURN_URL", "http://localhost/payment/vnpay-return", "CHECKIN_TOKEN_KEY", "bench-checkin-key",
                        "STRIPE_SECRET_KEY", "sk_test_bench", "STRIPE_WEBHOOK_SECRET", "whsec_bench",
                        "USER_POOL_ID", emu.userPoolId(), "USER_POOL_CLIENT_ID", emu.clientId())).asMap());
                env.put("POWERTOOLS_LOG_LEVEL", "WARN");
                for (String mode : List.of("tuned", "sdk-defaults")) {
                    List<Double> ready = new ArrayList<>();
                    List<Double> first = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        double[] r = once(jar, childClasses, handler, event, env, mode.equals("sdk-defaults"));
                        ready.add(r[0]);
                        first.add(r[1]);
                    }
                    results.add(new Result(fn, mode, ready, first));
                    log.printf("  %-28s %-13s ready p50 %6.0f ms   first response p50 %6.0f ms%n", fn, mode,
                            Stats.percentile(ready, 50), Stats.percentile(first, 50));
                }
            }
            management.stop(0);
            return results;
        }
    }

    static double[] once(Path jar, Path childClasses, String handler, Path event, Map<String, String> env, boolean defaults) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("java", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", jar + ":" + childClasses, "dev.suite.bench.ColdStartChild", handler, event.toString())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(env);
        if (defaults) {
            pb.environment().put("AWS_SDK_DEFAULTS", "true");
        }
        long start = System.nanoTime();
        Process p = pb.start();
        double ready = -1;
        double done = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals("READY")) {
                    ready = (System.nanoTime() - start) / 1e6;
                } else if (line.startsWith("DONE")) {
                    done = (System.nanoTime() - start) / 1e6;
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        p.waitFor();
        if (ready < 0 || done < 0) {
            throw new IllegalStateException(handler + " did not answer:\n" + output);
        }
        return new double[] {ready, done};
    }
}
