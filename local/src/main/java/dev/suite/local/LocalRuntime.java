package dev.suite.local;

import dev.suite.emulators.Emulators;
import dev.suite.emulators.Paths;
import dev.suite.emulators.Resolver;
import dev.suite.emulators.Template;
import dev.suite.shared.Config;
import dev.suite.shared.Json;
import dev.suite.shared.auth.JwtVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The whole backend on localhost: reads template.yaml, starts the emulators with what it declares, runs every
 * function warm in-process, and serves the REST API, the Lambda Invoke API (Cognito triggers) and the schedules.
 */
public final class LocalRuntime implements AutoCloseable {

    /** Settings of one run. Port 0 picks a free port. */
    public record Options(
            int port,
            int wsPort,
            Path dataDir,
            boolean inMemory,
            Map<String, Map<String, String>> overrides,
            boolean schedules) {
        /**
         * For test suites: free ports, no schedules, and the per-address limits of the auth routes raised (every test
         * user registers and logs in from 127.0.0.1; the limits themselves are tested at the handler).
         */
        public static Options forTests(Path dataDir) {
            return new Options(
                    0,
                    0,
                    dataDir,
                    dataDir == null,
                    Map.of(
                            "AuthFunction",
                            Map.of(
                                    "REGISTER_LIMIT_PER_IP_PER_MINUTE",
                                    "10000",
                                    "LOGIN_FAILURES_PER_IP_PER_MINUTE",
                                    "10000")),
                    false);
        }
    }

    /** A Schedule event of a function. */
    public record Schedule(String function, String event, String expression) {}

    /** The last run of a schedule: when, how long, what the function answered (or the error). */
    public record Run(Instant at, long millis, String result) {}

    private final Template template;
    private final Options options;
    private final HttpServer http;
    private final WebSocketGateway ws;
    private Emulators emulators;
    private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
    private final List<Schedule> schedules = new ArrayList<>();
    private RestGateway rest;
    private Invocations invocations;
    private Console console;
    private final Map<String, Run> lastRuns = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private final PrintStream out;

    private LocalRuntime(Template template, Options options, PrintStream out) {
        this.template = template;
        this.options = options;
        this.out = out;
        this.http = new HttpServer(this);
        String stage = template.resourcesOfType("AWS::Serverless::Api").values().stream()
                .findFirst()
                .map(r -> String.valueOf(new Resolver(template, Map.of(), Map.of())
                        .resolve(Template.<Map<String, Object>>cast(r.get("Properties"))
                                .get("StageName"))))
                .orElse("dev");
        this.ws = new WebSocketGateway(template, stage);
    }

    public static LocalRuntime start(Options options, PrintStream out) {
        LocalRuntime rt = new LocalRuntime(Template.repo(), options, out);
        try {
            rt.boot();
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        } catch (Exception e) {
            rt.close();
            throw new IllegalStateException("local runtime failed to start: " + e.getMessage(), e);
        }
        return rt;
    }

    private void boot() throws Exception {
        http.start(options.port());
        if (ws.declared()) {
            ws.start(options.wsPort());
        }
        Resolver names = new Resolver(template, Map.of(), Map.of());
        Map<String, String> triggers = new LinkedHashMap<>();
        template.resourcesOfType("AWS::Cognito::UserPool").forEach((id, r) -> {
            Map<String, Object> lambdaConfig =
                    Template.cast(template.properties(id).getOrDefault("LambdaConfig", Map.of()));
            lambdaConfig.forEach((trigger, fn) -> triggers.put(trigger, names.string(fn)));
        });
        long t0 = System.nanoTime();
        emulators = Emulators.start(
                template, new Emulators.Options(options.inMemory() ? null : options.dataDir(), http.port(), triggers));
        long t1 = System.nanoTime();
        template.resourcesOfType("AWS::ApiGatewayV2::Api").keySet().stream()
                .findFirst()
                .ifPresent(api -> ws.iam(
                        emulators.iam(),
                        emulators
                                .resolver()
                                .string(Map.of(
                                        "Fn::Sub",
                                        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + api
                                                + "}/${Stage}"))));
        emulators.cognitoLocal().onCode(c -> out.println("[mail] code for " + c.destination() + ": " + c.code()));
        invocations = new Invocations();
        template.resourcesOfType("AWS::Serverless::Function").forEach((id, r) -> {
            Map<String, String> env = new LinkedHashMap<>(standIns(id));
            env.putAll(options.overrides().getOrDefault(id, Map.of()));
            functions.put(
                    id,
                    new LocalFunction(
                            id,
                            String.valueOf(template.properties(id).get("Handler")),
                            emulators.functionConfig(id, env),
                            invocations));
            Map<String, Map<String, Object>> events =
                    Template.cast(template.properties(id).getOrDefault("Events", Map.of()));
            events.forEach((name, e) -> {
                if ("Schedule".equals(e.get("Type"))) {
                    Map<String, Object> p = Template.cast(e.get("Properties"));
                    schedules.add(new Schedule(id, name, String.valueOf(p.get("Schedule"))));
                }
            });
        });
        Set<String> clients = Set.copyOf(template.resourcesOfType("AWS::Cognito::UserPoolClient").keySet().stream()
                .map(emulators::ref)
                .toList());
        JwtVerifier verifier = new JwtVerifier(
                emulators.cognitoLocal().issuer(emulators.userPoolId()),
                URI.create(emulators.cognitoLocal().jwksUrl(emulators.userPoolId())),
                clients,
                Clock.systemUTC());
        rest = new RestGateway(template, emulators.resolver(), functions, verifier);
        phases = String.format(
                "emulators %d ms, functions %d ms", (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        ws.functions(functions);
        console = new Console(this, invocations);
        if (options.schedules()) {
            startTimer();
        }
    }

    /**
     * Outside services for local runs, configured as the Imagify deployment did (CLIPDROP_API_KEY, VNPAY_*), read from this process's environment; where
     * unset, the function is pointed at a local stand-in served by this runtime.
     */
    private Map<String, String> standIns(String function) {
        Map<String, Object> vars = Template.cast(
                Template.<Map<String, Object>>cast(template.properties(function).getOrDefault("Environment", Map.of()))
                        .getOrDefault("Variables", Map.of()));
        Map<String, String> env = new LinkedHashMap<>();
        Config outside = Config.fromSystem();
        if (vars.containsKey("CLIPDROP_API_KEY_PARAM")) {
            Optional<String> key = outside.get("CLIPDROP_API_KEY");
            if (key.isPresent()) {
                env.put("CLIPDROP_API_KEY", key.get());
                standInNotes.add("ClipDrop     the real API (CLIPDROP_API_KEY is set)");
            } else {
                env.put("CLIPDROP_API_KEY", "local-stand-in");
                env.put("CLIPDROP_URL", baseUrl() + ClipDropStandIn.PATH);
                standInNotes.add("ClipDrop     local stand-in at " + baseUrl() + ClipDropStandIn.PATH
                        + " (draws a PNG from the prompt; set CLIPDROP_API_KEY to use the real API)");
            }
        }
        if (vars.containsKey("WEBSOCKET_MANAGEMENT_ENDPOINT") && ws.declared()) {
            env.put("WEBSOCKET_MANAGEMENT_ENDPOINT", "http://127.0.0.1:" + ws.port());
        }
        if (vars.containsKey("VNPAY_HASH_SECRET_PARAM")) {
            Optional<String> tmn = outside.get("VNPAY_TMN_CODE");
            Optional<String> secret = outside.get("VNPAY_HASH_SECRET");
            if (tmn.isPresent() && secret.isPresent()) {
                env.put("VNPAY_TMN_CODE", tmn.get());
                env.put("VNPAY_HASH_SECRET", secret.get());
                outside.get("VNPAY_URL").ifPresent(url -> env.put("VNPAY_URL", url));
                standInNotes.add("VNPAY        the sandbox merchant " + tmn.get() + " (VNPAY_TMN_CODE is set)");
            } else {
                if (vnpay == null) {
                    vnpay = new VnpayStandIn(baseUrl());
                }
                env.put("VNPAY_TMN_CODE", VnpayStandIn.TMN);
                env.put("VNPAY_HASH_SECRET", VnpayStandIn.SECRET);
                env.put("VNPAY_URL", baseUrl() + VnpayStandIn.PAY);
                env.put("VNPAY_API_URL", baseUrl() + VnpayStandIn.QUERYDR);
                standInNotes.add("VNPAY        local stand-in payment page at " + baseUrl() + VnpayStandIn.PAY
                        + " (set VNPAY_TMN_CODE and VNPAY_HASH_SECRET for the real sandbox)");
            }
            env.put("VNPAY_RETURN_URL", outside.get("VNPAY_RETURN_URL").orElse(baseUrl() + "/payment/vnpay-return"));
        }
        if (vars.containsKey("CHECKIN_TOKEN_KEY_PARAM")) {
            env.put("CHECKIN_TOKEN_KEY", outside.get("CHECKIN_TOKEN_KEY").orElse(checkinKey));
        }
        String secret = outside.get("STRIPE_WEBHOOK_SECRET").orElse(LOCAL_WEBHOOK_SECRET);
        if (vars.containsKey("STRIPE_WEBHOOK_SECRET_PARAM")) {
            env.put("STRIPE_WEBHOOK_SECRET", secret);
            if (outside.get("STRIPE_WEBHOOK_SECRET").isEmpty()) {
                standInNotes.add("Stripe       webhook secret " + LOCAL_WEBHOOK_SECRET
                        + " (set STRIPE_WEBHOOK_SECRET to use yours)");
            }
        }
        if (vars.containsKey("STRIPE_SECRET_KEY_PARAM")) {
            Optional<String> key = outside.get("STRIPE_SECRET_KEY");
            if (key.isPresent()) {
                env.put("STRIPE_SECRET_KEY", key.get());
                outside.get("STRIPE_API_URL").ifPresent(url -> env.put("STRIPE_API_URL", url));
                standInNotes.add("Stripe       the real API (STRIPE_SECRET_KEY is set)");
            } else {
                if (stripe == null) {
                    stripe = new StripeStandIn(baseUrl(), secret);
                }
                env.put("STRIPE_SECRET_KEY", StripeStandIn.KEY);
                env.put("STRIPE_API_URL", baseUrl() + StripeStandIn.API);
                standInNotes.add(
                        "Stripe       local stand-in checkout page under " + baseUrl() + StripeStandIn.PAY
                                + " (Pay posts a signed checkout.session.completed to the webhook; set STRIPE_SECRET_KEY for the real API)");
            }
            env.put(
                    "STRIPE_SUCCESS_URL",
                    outside.get("STRIPE_SUCCESS_URL")
                            .orElse(baseUrl() + StripeStandIn.SUCCESS + "?session_id={CHECKOUT_SESSION_ID}"));
            env.put("STRIPE_CANCEL_URL", outside.get("STRIPE_CANCEL_URL").orElse(baseUrl() + StripeStandIn.CANCELLED));
        }
        return env;
    }

    /** The webhook signing secret of local runs without STRIPE_WEBHOOK_SECRET: sign your own events with it. */
    static final String LOCAL_WEBHOOK_SECRET = "whsec_local_suite";

    /**
     * The check-in code key of this run when CHECKIN_TOKEN_KEY is unset: random, so codes die with the process (they
     * live 60 s).
     */
    private final String checkinKey = UUID.randomUUID() + "-" + UUID.randomUUID();

    private VnpayStandIn vnpay;
    private StripeStandIn stripe;

    StripeStandIn stripe() {
        return stripe;
    }

    private String phases = "";

    VnpayStandIn vnpay() {
        return vnpay;
    }

    private final Set<String> standInNotes = new LinkedHashSet<>();

    private void startTimer() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "schedules");
            t.setDaemon(true);
            return t;
        });
        for (Schedule s : schedules) {
            arm(s, ZonedDateTime.now(ZoneOffset.UTC));
        }
    }

    private void arm(Schedule s, ZonedDateTime after) {
        ZonedDateTime next = Schedules.next(s.expression(), after);
        long delay = Math.max(0, next.toInstant().toEpochMilli() - System.currentTimeMillis());
        timer.schedule(
                () -> {
                    try {
                        fire(s);
                    } catch (Exception e) {
                        out.println("[schedule] " + s.function() + " failed: " + e);
                    }
                    arm(s, next);
                },
                delay,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Runs a schedule now (what EventBridge would send), by function id or event name; answers the function's output.
     */
    public String fire(String name) throws Exception {
        for (Schedule s : schedules) {
            if (s.function().equals(name) || s.event().equals(name)) {
                return fire(s);
            }
        }
        throw new IllegalArgumentException("no schedule named " + name);
    }

    private String fire(Schedule s) throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", "000000000000");
        event.put("time", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
        event.put("region", Emulators.REGION);
        event.put("resources", List.of("arn:aws:events:" + Emulators.REGION + ":000000000000:rule/" + s.event()));
        event.put("detail", Map.of());
        long t0 = System.nanoTime();
        try {
            String result = new String(
                    functions.get(s.function()).invoke(Json.EVENTS.writeValueAsBytes(event)), StandardCharsets.UTF_8);
            lastRuns.put(s.function(), new Run(Instant.now(), (System.nanoTime() - t0) / 1_000_000, result));
            return result;
        } catch (Exception | Error e) {
            lastRuns.put(s.function(), new Run(Instant.now(), (System.nanoTime() - t0) / 1_000_000, "failed: " + e));
            throw e;
        }
    }

    /** The last run of a schedule's function (timer or on demand), or null. */
    Run lastRun(String function) {
        return lastRuns.get(function);
    }

    boolean schedulesRunning() {
        return timer != null;
    }

    Console console() {
        return console;
    }

    WebSocketGateway ws() {
        return ws;
    }

    public List<Schedule> schedules() {
        return schedules;
    }

    public LocalFunction function(String id) {
        return functions.get(id);
    }

    RestGateway rest() {
        return rest;
    }

    Map<String, LocalFunction> functions() {
        return functions;
    }

    public Emulators emulators() {
        return emulators;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + http.port();
    }

    public int port() {
        return http.port();
    }

    /** ws://127.0.0.1:port, or null when the template declares no WebSocket API. */
    public String wsUrl() {
        return ws.declared() ? "ws://127.0.0.1:" + ws.port() : null;
    }

    public int openWebSockets() {
        return ws.openConnections();
    }

    void printBanner() {
        out.println();
        out.println("Local backend from " + template.file() + " (no Docker, no AWS account)");
        out.println("  REST API     " + baseUrl() + "   (" + rest.routes().size() + " routes)");
        if (ws.declared()) {
            out.println("  WebSocket    " + wsUrl() + "/?token=<idToken>   (routes "
                    + String.join(", ", ws.routes().keySet()) + ")");
        }
        out.println("  Console      " + baseUrl() + Console.ROOT
                + "   (mail, users, requests, data, chat, payments, schedules, "
                + "coaching, gym, API; loopback only)");
        out.println("  API docs     " + baseUrl() + ApiDocs.DOCS + "   (" + baseUrl() + ApiDocs.OPENAPI + ", "
                + baseUrl() + ApiDocs.ASYNCAPI + ", WebSocket frames " + baseUrl() + ApiDocs.DOCS + "/websocket)");
        out.println("  DynamoDB     http://127.0.0.1:" + emulators.dynamoPort());
        out.println("  S3           http://127.0.0.1:" + emulators.s3Port());
        out.println("  Cognito      " + emulators.cognitoLocal().endpoint() + "  pool " + emulators.userPoolId()
                + "  client " + emulators.clientId());
        out.println("  Data         "
                + (options.inMemory() ? "in memory" : options.dataDir().toAbsolutePath()));
        standInNotes.forEach(n -> out.println("  " + n));
        for (Schedule s : schedules) {
            out.println("  Schedule     " + s.function() + " " + s.expression() + "  (now: curl -X POST " + baseUrl()
                    + "/_local/schedules/" + s.function() + ")");
        }
        out.println();
        out.println("Try it (confirmation codes are printed here as [mail] lines):");
        out.println("  curl -s -X POST " + baseUrl() + "/auth/register -H 'Content-Type: application/json' \\");
        out.println("       -d '{\"email\":\"you@example.com\",\"password\":\"Passw0rdOk\",\"name\":\"You\"}'");
        out.println("  curl -s -X POST " + baseUrl() + "/auth/confirm -H 'Content-Type: application/json' \\");
        out.println("       -d '{\"email\":\"you@example.com\",\"code\":\"<the code>\"}'");
        out.println("  TOKEN=$(curl -s -X POST " + baseUrl() + "/auth/login -H 'Content-Type: application/json' \\");
        out.println(
                "       -d '{\"email\":\"you@example.com\",\"password\":\"Passw0rdOk\"}' | sed 's/.*\"idToken\":\"\\([^\"]*\\)\".*/\\1/')");
        out.println("  curl -s " + baseUrl() + "/auth/me -H \"Authorization: Bearer $TOKEN\"");
        out.println("  curl -s -X POST " + baseUrl() + "/image/generate-image -H \"Authorization: Bearer $TOKEN\" \\");
        out.println("       -H 'Content-Type: application/json' -d '{\"prompt\":\"a lighthouse at dawn\"}'");
        out.println();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (console != null) {
            console.close();
        }
        http.stop();
        if (invocations != null) {
            invocations.close();
        }
        ws.stop();
        if (emulators != null) {
            emulators.close();
        }
    }

    static final String USAGE = "usage: local/run [--port N] [--ws-port N] [--data DIR] [--in-memory] [--admin EMAIL]";

    private static void fail(String message) {
        System.err.println("local/run: " + message);
        System.exit(2);
    }

    /** One line saying the port is taken and which flag moves it, or null when it is free. */
    static String portInUse(int port, String flag) {
        if (port == 0) {
            return null;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return null;
        } catch (IOException e) {
            return "port " + port + " on 127.0.0.1 is in use (another local/run?); stop it or choose another with "
                    + flag + " N";
        }
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        int port = 3000;
        int wsPort = 3001;
        Path data = Paths.root().resolve(".local");
        boolean inMemory = false;
        String admin = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--ws-port" -> wsPort = Integer.parseInt(args[++i]);
                    case "--data" -> data = Path.of(args[++i]);
                    case "--in-memory" -> inMemory = true;
                    case "--admin" -> admin = args[++i];
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> fail("unknown option " + args[i] + " (try --help)");
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            fail("an option is missing its value or it is not a number; " + USAGE);
        }
        for (String problem : new String[] {portInUse(port, "--port"), portInUse(wsPort, "--ws-port")}) {
            if (problem != null) {
                fail(problem);
            }
        }
        Map<String, Map<String, String>> overrides =
                admin == null ? Map.of() : Map.of("PostConfirmationFunction", Map.of("ADMIN_EMAIL", admin));
        LocalRuntime rt = start(new Options(port, wsPort, data, inMemory, overrides, true), System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(rt::close, "shutdown"));
        rt.printBanner();
        Thread docs = new Thread(
                () -> {
                    try {
                        ApiDocs.install();
                    } catch (IOException e) {
                        System.out.println(
                                "[docs] the API reference renderer could not be installed (npm ci in contract/): "
                                        + e.getMessage());
                    }
                },
                "docs-install");
        docs.setDaemon(true);
        docs.start();
        long check = System.nanoTime();
        rt.http.selfCheck();
        System.out.printf("ready%n");
        System.out.printf(
                "(started in %d ms: %s, first call of every route %d ms; Ctrl-C stops everything)%n",
                (System.nanoTime() - started) / 1_000_000, rt.phases, (System.nanoTime() - check) / 1_000_000);
    }
}
